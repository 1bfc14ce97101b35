from django.apps import AppConfig


class MisConfig(AppConfig):
    name = "urja.mis"
    label = "mis"
    verbose_name = "Management information"
