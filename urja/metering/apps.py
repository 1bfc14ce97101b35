from django.apps import AppConfig


class MeteringConfig(AppConfig):
    name = "urja.metering"
    label = "metering"
    verbose_name = "Metering"

    def ready(self) -> None:
        from urja.workflow import registry
        from urja.workflow.choices import WorkOrderKind

        from .work_orders import on_meter_replacement_done

        registry.on_order_kind_done(WorkOrderKind.METER_REPLACEMENT, on_meter_replacement_done)
