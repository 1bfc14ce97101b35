from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "urja.helpdesk"
    label = "helpdesk"
    verbose_name = "Helpdesk"

    def ready(self) -> None:
        # The ledger renders entries by code; it cannot import the helpdesk, so the helpdesk registers
        # the words of its own entry here.
        from urja.ledger.descriptions import RENDERERS

        from .descriptions import THEFT_ASSESSMENT, render_theft_assessment

        RENDERERS.setdefault(THEFT_ASSESSMENT, render_theft_assessment)

        from urja.workflow.choices import WorkOrderKind
        from urja.workflow.registry import on_order_kind_done

        from .services import theft_inspection_done

        on_order_kind_done(WorkOrderKind.THEFT_INSPECTION, theft_inspection_done)
