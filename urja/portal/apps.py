from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "urja.portal"
    label = "portal"
    verbose_name = "Consumer portal"
