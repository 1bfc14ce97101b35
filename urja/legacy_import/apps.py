from django.apps import AppConfig


class LegacyImportConfig(AppConfig):
    name = "urja.legacy_import"
    label = "legacy_import"
    verbose_name = "Legacy import"
