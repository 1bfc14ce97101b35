from django.apps import AppConfig


class RevenueConfig(AppConfig):
    name = "urja.revenue"
    label = "revenue"
    verbose_name = "Revenue protection"

    def ready(self) -> None:
        # An inspection raised from the list is a theft-inspection work order; when it is completed
        # (at the office or from the field app) the case hears of it.
        from urja.workflow.choices import WorkOrderKind
        from urja.workflow.registry import on_order_kind_done

        from .services import inspection_done

        on_order_kind_done(WorkOrderKind.THEFT_INSPECTION, inspection_done)
