from django.apps import AppConfig


class MeteringConfig(AppConfig):
    name = "urja.metering"
    label = "metering"
    verbose_name = "Metering"
