"""What the ledger tells the layers above it, without knowing them (docs/energy-audit.md, "Monthly
roll-up").

``entries_posted`` is sent inside the posting's transaction each time entries are added (one entry,
a bulk of a bill run, a reversal), with ``months``: the set of months (YYYY-MM) the entries belong to:
their entry dates' months and the billing periods they are for. Receivers that keep figures derived
from the ledger (the energy audit's monthly roll-up) mark those months stale, after the commit."""

from collections.abc import Iterable

from django.dispatch import Signal

entries_posted = Signal()


def months_of(entries: Iterable) -> set[str]:
    """The months the entries belong to: each entry date's month and its billing period, if any."""
    months: set[str] = set()
    for entry in entries:
        months.add(str(entry.entry_date)[:7])
        if entry.period:
            months.add(entry.period)
    return months
