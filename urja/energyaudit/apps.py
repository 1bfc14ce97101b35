from django.apps import AppConfig


class EnergyAuditConfig(AppConfig):
    name = "urja.energyaudit"
    label = "energyaudit"
    verbose_name = "Energy audit"

    def ready(self) -> None:
        from urja.ledger.signals import entries_posted

        entries_posted.connect(_entries_posted, dispatch_uid="energyaudit-rollup-touch")


def _entries_posted(sender, *, months, **kwargs) -> None:
    """A ledger posting: once it has committed, mark the roll-up of the ended months it is in stale."""
    from django.db import transaction

    from .services import rollup_touch

    # robust: the posting has committed whatever happens here; a failure is logged, not raised at the payer.
    transaction.on_commit(lambda: rollup_touch(months), robust=True)
