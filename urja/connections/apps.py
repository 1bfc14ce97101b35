from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "urja.connections"
    label = "connections"
    verbose_name = "Service lifecycle"

    def ready(self) -> None:
        from urja.payments.signals import payment_posted
        from urja.workflow import registry
        from urja.workflow.choices import WorkOrderKind

        from . import changes, new_connection
        from .disconnection import on_disconnection_done, on_payment_posted
        from .reconnection import on_reconnection_done

        payment_posted.connect(on_payment_posted, dispatch_uid="connections.disconnection.payment")
        registry.on_order_kind_done(WorkOrderKind.DISCONNECTION, on_disconnection_done)
        registry.on_order_kind_done(WorkOrderKind.RECONNECTION, on_reconnection_done)

        changes.register_all()

        registry.register(
            new_connection.NEW_CONNECTION,
            on_enter=new_connection.on_enter,
            on_order_done=new_connection.on_order_done,
            on_breach=new_connection.on_breach,
        )
