from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "urja.helpdesk"
    label = "helpdesk"
    verbose_name = "Helpdesk"
