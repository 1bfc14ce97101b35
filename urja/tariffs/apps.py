from django.apps import AppConfig


class TariffsConfig(AppConfig):
    name = "urja.tariffs"
    label = "tariffs"
    verbose_name = "Tariffs"

    def ready(self) -> None:
        from urja.customers.load_limits import register_version_lookup
        from urja.tariffs.selectors import version_on

        register_version_lookup(version_on)
