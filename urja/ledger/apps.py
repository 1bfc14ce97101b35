from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "urja.ledger"
    label = "ledger"
    verbose_name = "Ledger"
