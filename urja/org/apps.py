from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "urja.org"
    label = "org"
    verbose_name = "Organisation"
