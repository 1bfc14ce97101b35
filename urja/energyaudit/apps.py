from django.apps import AppConfig


class EnergyAuditConfig(AppConfig):
    name = "urja.energyaudit"
    label = "energyaudit"
    verbose_name = "Energy audit"
