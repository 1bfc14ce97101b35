from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "urja.api"
    label = "api"
    verbose_name = "API access"
