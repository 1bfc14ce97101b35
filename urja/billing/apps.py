from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "urja.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from urja.notifications.attachments import attachment_register

        from .attachments import bill_pdf_attachment

        attachment_register("bill", bill_pdf_attachment)
