import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from urja.billing.choices import BillStatus
from urja.common import clock
from urja.connections.disconnection import (
    DisconnectionRefused,
    candidates,
    consumers_of_office,
    notice_serve,
    orders_issue,
    protest_deposit,
)
from urja.connections.models import DisconnectionNotice, NoticeStatus, Reconnection, ReconnectionStatus
from urja.customers.choices import ConsumerStatus
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.selectors import balance
from urja.notifications.models import OutboundMessage
from urja.org.models import Holiday
from urja.payments.services import payment_post
from urja.workflow.choices import WorkOrderKind, WorkOrderStatus
from urja.workflow.models import WorkOrder
from urja.workflow.services import WorkOrderRefused, work_order_complete

D = Decimal
SERVED = datetime.date(2026, 11, 30)
WEDNESDAY = "2026-12-16T11:00+05:30"  # the first day of action on a notice served 30 Nov


def debit(consumer, amount, period, due):
    return ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=D(amount),
        entry_date=due - datetime.timedelta(days=15),
        due_date=due,
        period=period,
        description=f"Bill {period}",
    )


def pay(consumer, amount, reference):
    return payment_post(
        consumer=consumer, amount=D(amount), channel="cash", source="counter:1", reference=reference
    )


@pytest.fixture
def setup(two_subdivisions):
    c = two_subdivisions["consumer_a"]
    debit(c, "3000.00", "2026-09", datetime.date(2026, 10, 15))
    return two_subdivisions


def served(setup):
    return notice_serve(setup["consumer_a"], by=setup["je_a"], on=SERVED)


def test_list_shows_eligible_accounts_only(setup, django_assert_max_num_queries):
    other = setup["consumer_b"]
    debit(other, "200.00", "2026-09", datetime.date(2026, 10, 15))
    with django_assert_max_num_queries(6):
        rows = candidates(consumers_of_office(setup["division"]), min_arrears=D("1000"), min_age_days=30)
    assert [r.consumer for r in rows] == [setup["consumer_a"]]
    assert rows[0].arrears == D("3000.00") and rows[0].notice is None
    out = StringIO()
    call_command(
        "disconnection",
        "list",
        "--office",
        "SUB-A",
        "--min-arrears",
        "1000",
        "--min-age",
        "30",
        "--json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert [r["account_number"] for r in data] == [setup["consumer_a"].account_number]
    assert data[0]["arrears"] == "3000.00" and data[0]["notice"] is None
    out = StringIO()
    call_command("disconnection", "list", "--office", "SUB-B", "--min-arrears", "1000", stdout=out)
    assert "0 eligible" in out.getvalue()


def test_notice_fixes_amount_date_and_protest_amount_and_queues_sms(
    setup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = served(setup)
    assert notice.amount == D("3000.00") and notice.served_on == SERVED
    assert notice.action_from == datetime.date(2026, 12, 16)
    assert notice.protest_amount == D("3000.00")  # no bills yet: the amount claimed
    sms = OutboundMessage.objects.get(consumer_id=setup["consumer_a"].pk)
    account = setup["consumer_a"].account_number
    assert (
        account in sms.body and "3,000.00" in sms.body and "15-12-2026" in sms.body
    )  # the day before action
    with pytest.raises(DisconnectionRefused):
        served(setup)  # one active notice per account


def test_protest_amount_is_six_month_average_of_bills(setup):
    from urja.billing.models import Bill

    c = setup["consumer_a"]
    for i, charges in enumerate(["600", "900", "700", "800", "600", "900", "1200"], start=4):
        Bill.objects.create(
            consumer=c,
            period=f"2026-{i:02d}",
            period_start=datetime.date(2026, i, 1),
            period_end=datetime.date(2026, i, 28),
            bill_number=f"B{i}",
            status=BillStatus.ISSUED,
            basis="MU",
            category=c.category,
            sanctioned_load=c.sanctioned_load,
            load_unit="kW",
            current_charges=D(charges),
            issue_date=datetime.date(2026, i, 28),
            due_date=datetime.date(2026, i, 28),
            **{
                f: D("0")
                for f in (
                    "energy_charge",
                    "fixed_charge",
                    "min_charge_topup",
                    "true_up",
                    "electricity_duty",
                    "fppas",
                    "rebate",
                    "subsidy",
                    "penalty",
                    "lpsc",
                    "arrears",
                    "round_off",
                    "payable",
                    "payable_after_due",
                )
            },
        )
    notice = served(setup)
    # last six: 900+700+800+600+900+1200 = 5100 / 6 = 850
    assert notice.protest_amount == D("850.00")


@pytest.mark.clock(WEDNESDAY)
def test_order_only_after_the_notice_period(setup):
    served(setup)
    assert orders_issue(on=datetime.date(2026, 12, 15)) == []
    out = StringIO()
    call_command("disconnection", "orders", stdout=out)
    assert "1 disconnection" in out.getvalue()
    order = WorkOrder.objects.get()
    assert order.kind == WorkOrderKind.DISCONNECTION and order.consumer == setup["consumer_a"]
    assert DisconnectionNotice.objects.get().status == NoticeStatus.ORDERED


@pytest.mark.clock(WEDNESDAY)
def test_deposit_under_protest_of_the_required_amount_stays_it(setup):
    notice = served(setup)
    protest_deposit(notice, amount=D("2999.99"), by=setup["je_a"], channel="cash", reference="P1")
    assert notice.status == NoticeStatus.SERVED  # less does not stay it
    protest_deposit(notice, amount=D("3000.00"), by=setup["je_a"], channel="cash", reference="P2")
    assert notice.status == NoticeStatus.STAYED and notice.stay_payment.amount == D("3000.00")
    assert orders_issue() == []


@pytest.mark.clock(WEDNESDAY)
def test_payment_after_the_order_cancels_it(setup, django_capture_on_commit_callbacks):
    served(setup)
    [order] = orders_issue()
    with django_capture_on_commit_callbacks(execute=True):
        pay(setup["consumer_a"], "1000.00", "R1")
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.OPEN  # part payment: the order stands
    with django_capture_on_commit_callbacks(execute=True):
        pay(setup["consumer_a"], "2000.00", "R2")
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.CANCELLED
    assert DisconnectionNotice.objects.get().status == NoticeStatus.PAID


def _complete(order, user, key="k1"):
    return work_order_complete(
        order, by=user, key=key, result={"readings": [{"register": "kwh", "value": "1234"}]}
    )


@pytest.mark.clock("2026-12-16T17:05+05:30")
def test_no_execution_after_hours(setup, settings):
    settings.URJA_DISCONNECTION_LAST_HOUR = 17
    served(setup)
    [order] = orders_issue()
    with pytest.raises(WorkOrderRefused, match="after 17"):
        _complete(order, setup["je_a"])
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.OPEN
    setup["consumer_a"].refresh_from_db()
    assert setup["consumer_a"].status == ConsumerStatus.ACTIVE


@pytest.mark.clock(WEDNESDAY)
def test_no_execution_on_a_holiday(setup):
    served(setup)
    [order] = orders_issue()
    Holiday.objects.create(date=datetime.date(2026, 12, 16), name="Local holiday", office=setup["sub_a"])
    with pytest.raises(WorkOrderRefused, match="holiday"):
        _complete(order, setup["je_a"])
    assert WorkOrder.objects.get().status == WorkOrderStatus.OPEN


@pytest.mark.clock(WEDNESDAY)
def test_execution_disconnects_then_payment_reconnects(setup, settings, django_capture_on_commit_callbacks):
    settings.URJA_RECONNECTION_CHARGES = {"1": "75.00"}
    served(setup)
    [order] = orders_issue()
    _complete(order, setup["je_a"])
    c = setup["consumer_a"]
    c.refresh_from_db()
    assert c.status == ConsumerStatus.TEMP_DISCONNECTED
    notice = DisconnectionNotice.objects.get()
    assert notice.status == NoticeStatus.DISCONNECTED
    assert notice.disconnected_by == setup["je_a"] and notice.disconnected_at is not None
    assert order.reference in notice.disconnection_reason
    rec = Reconnection.objects.get()
    assert rec.charge == D("75.00") and balance(c.pk) == D("3075.00")
    with django_capture_on_commit_callbacks(execute=True):
        pay(c, "3000.00", "R1")
    rec.refresh_from_db()
    assert rec.status == ReconnectionStatus.AWAITING_PAYMENT  # charge not yet paid
    with django_capture_on_commit_callbacks(execute=True):
        pay(c, "75.00", "R2")
    rec.refresh_from_db()
    assert rec.status == ReconnectionStatus.ORDERED
    assert rec.work_order.kind == WorkOrderKind.RECONNECTION
    assert rec.work_order.due_at is not None  # its own SLA (24 hours by default)
    work_order_complete(rec.work_order, by=setup["je_a"], key="rk", result={})
    c.refresh_from_db()
    rec.refresh_from_db()
    assert c.status == ConsumerStatus.ACTIVE and rec.status == ReconnectionStatus.DONE
    told = OutboundMessage.objects.get(template="reconnection", consumer_id=c.pk)
    assert c.account_number in told.body and f"{clock.localtime(rec.reconnected_at):%d-%m-%Y}" in told.body


@pytest.mark.clock(WEDNESDAY)
def test_deposit_under_protest_after_the_order_cancels_it(setup):
    notice = served(setup)
    [order] = orders_issue()
    notice.refresh_from_db()
    protest_deposit(notice, amount=D("3000.00"), by=setup["je_a"], channel="cash", reference="P3")
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.CANCELLED and notice.status == NoticeStatus.STAYED


def test_payment_posted_is_sent_only_when_the_payment_commits(setup, django_capture_on_commit_callbacks):
    from django.db import transaction

    from urja.payments.signals import payment_posted

    seen = []

    def listener(sender, **kwargs):
        seen.append(kwargs["consumer_id"])

    payment_posted.connect(listener)
    try:
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            pay(setup["consumer_a"], "10.00", "RB1")
            raise RuntimeError
        assert seen == []
        with django_capture_on_commit_callbacks(execute=True):
            pay(setup["consumer_a"], "10.00", "RB2")
        assert seen == [setup["consumer_a"].pk]
    finally:
        payment_posted.disconnect(listener)


def test_notices_are_numbered_from_a_locked_series(setup):
    """Numbered by the workflow's locked counter (not a count of the notices, which two officers
    serving at once would both read): consecutive, never reused."""
    from urja.testing import ConsumerFactory

    first = served(setup)
    other = ConsumerFactory(office=setup["dc_a"])
    debit(other, "2500.00", "2026-09", datetime.date(2026, 10, 15))
    second = notice_serve(other, by=setup["je_a"], on=SERVED)
    assert (first.number, second.number) == ("DN-2026-000001", "DN-2026-000002")
    first.delete()  # even a notice removed from the table (never in practice) frees no number
    third_consumer = ConsumerFactory(office=setup["dc_a"])
    debit(third_consumer, "2500.00", "2026-09", datetime.date(2026, 10, 15))
    assert notice_serve(third_consumer, by=setup["je_a"], on=SERVED).number == "DN-2026-000003"


@pytest.mark.clock(WEDNESDAY)
def test_a_long_disconnection_opens_permanent_disconnection_once(setup, travel, capsys):
    """After the configured months disconnected (6 by default) the system opens the permanent-
    disconnection process for the account, once; an account reconnected or disconnected more
    recently is left alone."""
    from urja.connections.changes import PERMANENT_DISCONNECTION, permanent_disconnections_open
    from urja.workflow.models import WorkItem

    served(setup)
    [order] = orders_issue()
    _complete(order, setup["je_a"])
    assert permanent_disconnections_open() == []  # disconnected today: too recent
    travel.move_to("2027-06-30T11:00:00+05:30")
    [item] = permanent_disconnections_open()
    assert item.definition_code == PERMANENT_DISCONNECTION.code and item.consumer == setup["consumer_a"]
    assert "DN-2026-000001" in item.events.get().reason and item.opened_by is None
    assert permanent_disconnections_open() == []  # once
    call_command("disconnection", "permanent", "--months", "1")
    assert "0 permanent disconnection(s) opened." in capsys.readouterr().out
    assert WorkItem.objects.filter(definition_code=PERMANENT_DISCONNECTION.code).count() == 1
