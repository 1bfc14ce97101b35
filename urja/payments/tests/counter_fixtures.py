"""Shared set-up for the counter, view and receipt tests: a counter in each sub-division of the
`two_subdivisions` fixture, with a cashier each."""

import datetime
from decimal import Decimal

from urja.common import clock
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.org.choices import Role
from urja.payments.models import Counter
from urja.testing import UserFactory


def counter_desk(two_subdivisions) -> dict:
    desk = dict(two_subdivisions)
    for key in ("a", "b"):
        sub = desk[f"sub_{key}"]
        desk[f"counter_{key}"] = Counter.objects.create(
            code=f"C{key.upper()}1", name=f"Counter {key.upper()}", office=sub
        )
        desk[f"cashier_{key}"] = UserFactory(username=f"cashier_{key}", role=Role.CASHIER, office=sub)
    return desk


def bill(consumer, amount: str, period: str = "2026-05", on: datetime.date | None = None):
    on = on or clock.today() - datetime.timedelta(days=20)
    return ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=Decimal(amount),
        entry_date=on,
        due_date=on + datetime.timedelta(days=15),
        period=period,
        description=f"Bill {period}",
    )
