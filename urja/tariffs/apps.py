from django.apps import AppConfig


class TariffsConfig(AppConfig):
    name = "urja.tariffs"
    label = "tariffs"
    verbose_name = "Tariffs"
