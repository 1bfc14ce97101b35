from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "urja.connections"
    label = "connections"
    verbose_name = "Service lifecycle"

    def ready(self) -> None:
        from urja.workflow.registry import register

        from . import new_connection

        register(
            new_connection.NEW_CONNECTION,
            on_enter=new_connection.on_enter,
            on_order_done=new_connection.on_order_done,
            on_breach=new_connection.on_breach,
        )
