from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "urja.payments"
    label = "payments"
    verbose_name = "Payments"
