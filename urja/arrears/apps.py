from django.apps import AppConfig


class ArrearsConfig(AppConfig):
    name = "urja.arrears"
    label = "arrears"
    verbose_name = "Arrears"
