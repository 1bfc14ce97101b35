"""Money-path review: failing-first tests for bugs found in the payments services."""

import datetime
import re
from decimal import Decimal

import pytest

from urja.arrears.ots import ots_register, ots_settle
from urja.arrears.tests.test_ots import arrears, pay, scheme  # noqa: F401 - fixtures
from urja.ledger.selectors import balance

D = Decimal


@pytest.mark.django_db
def test_ots_payment_on_registration_day_is_not_counted_twice(scheme, arrears):  # noqa: F811
    """A payment made on the registration day, before registering, already lowered the frozen principal;
    it must not also count towards the settlement amount (else the scheme is earned with money short)."""
    day = datetime.date(2026, 10, 5)
    pay(arrears, "5000.00", "MORNING", day)  # balance 10612.50 -> 5612.50
    registration = ots_register(scheme=scheme, consumer=arrears, on=day)
    # Settling now would post a rebate though only 5000 of the 7500 the scheme asks was ever paid.
    with pytest.raises(Exception, match="more is needed"):
        ots_settle(registration=registration, on=day)
    pay(arrears, "2500.00", "REST", datetime.date(2026, 10, 6))
    ots_settle(registration=registration, on=datetime.date(2026, 10, 6))
    assert balance(arrears.pk) == D("0.00")


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.clock("2026-11-28T12:00:00+05:30")
def test_settlement_approval_locks_every_account_before_a_receipt_series(two_subdivisions):
    """Lock order is settlement file › account › payment › receipt series. Approving a settlement file
    posts many late payments in one transaction: it must not hold the source's receipt series (taken by
    the first posting) while it waits for the next account — a live posting for that account from the
    same source holds the account and waits for the series, and the two deadlock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from urja.org.choices import Role
    from urja.payments.models import SettlementSource
    from urja.payments.settlement import settlement_decide, settlement_import
    from urja.testing import UserFactory

    a, b = two_subdivisions["consumer_a"], two_subdivisions["consumer_b"]
    division = two_subdivisions["division"]
    SettlementSource.objects.create(code="SBI-T", name="SBI", kind="bank", namespace="SBI", office=division)
    data = (
        "reference,account_number,amount,paid_at\n"
        f"R1,{b.account_number},100.00,2026-11-20 10:00\n"
        f"R2,{a.account_number},200.00,2026-11-20 11:00\n"
    ).encode()
    settlement = settlement_import(
        data=data,
        file_name="f.csv",
        source_name="SBI-T",
        by=UserFactory(username="uploader", role=Role.SDO, office=division),
    )
    checker = UserFactory(username="checker", role=Role.SDO, office=division)
    with CaptureQueriesContext(connection) as ctx:
        settlement_decide(file_id=settlement.pk, by=checker, approve=True)
    before_series = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        if "FOR UPDATE" not in sql:
            continue
        if '"payments_receiptseries"' in sql.split(" WHERE ", 1)[0]:
            break
        if '"customers_consumer"' in sql.split(" WHERE ", 1)[0]:
            before_series.append(sql.split(" WHERE ", 1)[1])
    locked = set()
    for where in before_series:
        match = re.search(r'"customers_consumer"\."id" (?:= (\d+)|IN \(([\d, ]+)\))', where)
        if match:
            locked |= {int(x) for x in (match.group(1) or match.group(2)).split(",")}
    assert {a.pk, b.pk} <= locked, before_series
