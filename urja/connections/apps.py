from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "urja.connections"
    label = "connections"
    verbose_name = "Service lifecycle"

    def ready(self) -> None:
        from urja.connections import changes

        changes.register_all()
