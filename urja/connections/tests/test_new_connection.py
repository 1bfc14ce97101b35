import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from urja.billing import runs
from urja.billing.models import Bill
from urja.common import clock
from urja.connections import new_connection as nc
from urja.customers.choices import ConsumerStatus
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.metering.models import Meter
from urja.org.choices import Role
from urja.testing import UserFactory
from urja.workflow import services as wf
from urja.workflow.services import TransitionRefused

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]
D = Decimal


@pytest.fixture
def people(two_subdivisions):
    dc = two_subdivisions["dc_a"]
    return {
        **two_subdivisions,
        "dc": dc,
        "lineman": UserFactory(username="nc_lineman", role=Role.LINEMAN, office=dc),
        "cashier": UserFactory(username="nc_cashier", role=Role.CASHIER, office=two_subdivisions["sub_a"]),
    }


def application(people, area="municipal", load="2.4"):
    app = nc.apply(
        by=people["je_a"], office=people["dc"], applicant_name="Sita Devi", father_husband_name="Ram Lal",
        address="12 Station Road", village_town="Mohanlalganj", district="Lucknow", mobile="9876543210",
        category="LMV1-URBAN", load=D(load), area_class=area, kyc_document="aadhaar",
        kyc_number="123412341234", preferred_dates=[datetime.date(2026, 12, 1)],
    )  # fmt: skip
    for kind in ("id_proof", "address_proof"):
        nc.document_add(
            app, kind=kind, upload=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 x"), by=people["je_a"]
        )
    return app


def to_payment(people, app):
    nc.verify(app, by=people["je_a"])
    order = app.item.work_orders.get(kind="site_inspection")
    wf.work_order_complete(order, by=people["je_a"], key=f"insp-{app.pk}", result={"remarks": "Feasible"})
    app.item.refresh_from_db()
    assert app.item.state == "estimate"
    wf.transition(app.item, "issue_demand", by=people["sdo_a"])
    app.refresh_from_db()
    return app


def test_documents_are_checked_and_kyc_stored_masked(people):
    app = application(people)
    assert app.kyc_number_masked.endswith("1234") and "12341234" not in app.kyc_number_masked
    with pytest.raises(ValidationError):
        nc.document_add(app, kind="photo", upload=SimpleUploadedFile("x.exe", b"MZ"), by=people["je_a"])
    with pytest.raises(ValidationError):
        nc.document_add(
            app, kind="photo", upload=SimpleUploadedFile("x.pdf", b"0" * (3 * 1024 * 1024)), by=None
        )


def test_verification_needs_the_documents(people):
    app = nc.apply(
        by=people["je_a"], office=people["dc"], applicant_name="A", father_husband_name="B", address="C",
        village_town="D", district="E", mobile="9876543210", category="LMV1-URBAN", load=D("1"), area_class="rural",
    )  # fmt: skip
    with pytest.raises(TransitionRefused, match="Documents still needed"):
        nc.verify(app, by=people["je_a"])
    app.item.refresh_from_db()
    assert app.item.state == "applied"


def test_happy_path_to_an_energised_account_billed_in_the_next_run(people, tariffs):
    app = application(people)
    # the Rules' SLA runs from the complete application: 15 days for a municipal area
    nc.verify(app, by=people["je_a"])
    app.refresh_from_db()
    assert app.sla_due_at is not None and app.item.total_due_at == app.sla_due_at
    order = app.item.work_orders.get(kind="site_inspection")
    assert "2026-12-01" in order.reason  # the applicant's preferred date
    wf.work_order_assign(order, to=people["lineman"], by=people["je_a"])
    wf.work_order_complete(order, by=people["lineman"], key="k-insp", result={"remarks": "ok"})
    app.item.refresh_from_db()
    wf.transition(app.item, "issue_demand", by=people["sdo_a"])
    app.refresh_from_db()
    consumer = app.consumer
    assert consumer.status == ConsumerStatus.PENDING and consumer.dt_id == app.dt_id
    # 2.4 kW → 3 kW: fee 100 + SD 3 × 300 + system loading 3 × 200 (seeded LMV1-URBAN 0–10 kW)
    assert app.demand_total == D("1600.00") and app.demand_deposit == D("900.00")
    assert balance(consumer.pk) == D("1600.00")
    # not billed while pending
    runs.bill_run(cycle_code="2026-11", office=people["dc"])
    assert not Bill.objects.filter(consumer=consumer).exists()

    nc.pay(
        app, amount=D("1600.00"), channel="cash", source="counter", reference="NC-R1", by=people["cashier"]
    )
    app.item.refresh_from_db()
    assert app.item.state == "installation" and balance(consumer.pk) == 0
    consumer.refresh_from_db()
    assert consumer.security_deposit == D("900.00")
    Meter.objects.create(serial="NC-M1", digits=6)
    install = app.item.work_orders.get(kind="meter_installation")
    wf.work_order_assign(install, to=people["lineman"], by=people["je_a"])
    wf.work_order_complete(
        install, by=people["lineman"], key="k-inst",
        result={"meter": "NC-M1", "initial_reading": "0", "installed_on": "2026-11-28"},
    )  # fmt: skip
    app.item.refresh_from_db()
    app.refresh_from_db()
    consumer.refresh_from_db()
    assert app.item.outcome == "energised" and consumer.status == ConsumerStatus.ACTIVE
    assert (
        consumer.connection_date == datetime.date(2026, 11, 28)
        and app.energised_on == consumer.connection_date
    )
    assert consumer.meter_installations.get().meter.serial == "NC-M1"
    runs.bill_run(cycle_code="2026-11", office=people["dc"])
    assert Bill.objects.filter(consumer=consumer).count() == 1
    # The applicant heard of each step that asks something of them or tells an outcome, once each.
    from urja.notifications.models import OutboundMessage

    told = [m.body for m in OutboundMessage.objects.filter(template="application_update").order_by("id")]
    reference = app.item.reference
    assert len(told) == 4 and all(reference in body for body in told)
    assert "1,600.00" in told[1] and consumer.account_number in told[3]


def test_retried_payment_changes_nothing(people):
    app = to_payment(people, application(people))
    for _ in range(2):
        nc.pay(
            app,
            amount=D("1600.00"),
            channel="cash",
            source="counter",
            reference="NC-R2",
            by=people["cashier"],
        )
    assert LedgerEntry.objects.filter(consumer=app.consumer, entry_type=EntryType.PAYMENT).count() == 1
    assert app.item.work_orders.filter(kind="meter_installation").count() == 1


def test_part_payment_leaves_the_item_waiting(people):
    app = to_payment(people, application(people))
    nc.pay(app, amount=D("600.00"), channel="cash", source="counter", reference="NC-R3", by=people["cashier"])
    app.item.refresh_from_db()
    assert app.item.state == "payment"


def test_refused_transitions_and_roles(people):
    app = application(people)
    item = app.item
    with pytest.raises(TransitionRefused):  # system only
        wf.transition(item, "inspected", by=people["je_a"])
    with pytest.raises(TransitionRefused):  # not from this state
        wf.transition(item, "issue_demand", by=people["sdo_a"])
    with pytest.raises(TransitionRefused):  # role
        nc.verify(app, by=people["lineman"])
    with pytest.raises(TransitionRefused):  # another office
        nc.verify(app, by=people["je_b"])
    item.refresh_from_db()
    assert item.state == "applied" and item.events.count() == 1


def test_send_back_resubmit_and_rejection_needs_a_reason(people):
    app = application(people)
    with pytest.raises(TransitionRefused, match="reason"):
        wf.transition(app.item, "send_back", by=people["je_a"])
    wf.transition(app.item, "send_back", by=people["je_a"], reason="Address proof unreadable")
    wf.transition(app.item, "resubmit", by=people["je_a"])
    with pytest.raises(TransitionRefused, match="reason"):
        wf.transition(app.item, "reject", by=people["sdo_a"])
    wf.transition(app.item, "reject", by=people["sdo_a"], reason="Premises not electrifiable")
    assert app.item.outcome == "rejected"
    assert app.item.events.get(action="reject").reason == "Premises not electrifiable"


@pytest.mark.clock("2026-11-28T12:00+05:30")
def test_breach_credits_the_compensation_once(people, travel):
    app = to_payment(people, application(people, area="metro"))
    nc.pay(
        app, amount=D("1600.00"), channel="cash", source="counter", reference="NC-B1", by=people["cashier"]
    )
    app.refresh_from_db()
    due = app.sla_due_at
    travel.move_to(due + datetime.timedelta(hours=1))
    wf.sweep_breaches()
    wf.sweep_breaches()
    app.refresh_from_db()
    credits = LedgerEntry.objects.filter(consumer=app.consumer, source_type="new_connection", amount__lt=0)
    assert credits.count() == 1 and credits.get().amount == D("-500.00")
    assert app.compensation_entry_id == credits.get().pk and "Rules 2020" in credits.get().reason


def test_the_applicants_time_to_pay_does_not_count(people, travel):
    app = to_payment(people, application(people, area="metro"))
    due = app.sla_due_at
    travel.shift(datetime.timedelta(days=10))  # the demand note waits ten days, past the 7-day limit
    assert [b for b in wf.sweep_breaches() if b.rule == "total"] == []
    waited = app.item.state_entered_at
    nc.pay(
        app, amount=D("1600.00"), channel="cash", source="counter", reference="NC-W1", by=people["cashier"]
    )
    app.refresh_from_db()
    app.item.refresh_from_db()
    assert app.sla_due_at == app.item.total_due_at == due + (app.item.state_entered_at - waited)
    assert app.sla_due_at > clock.now()
    assert not LedgerEntry.objects.filter(
        consumer=app.consumer, amount__lt=0, source_type="new_connection"
    ).exists()


def test_breach_before_the_account_exists_is_credited_when_it_is_opened(people, travel):
    app = application(people, area="metro")
    nc.verify(app, by=people["je_a"])
    app.refresh_from_db()
    travel.move_to(app.sla_due_at + datetime.timedelta(hours=1))
    wf.sweep_breaches()
    order = app.item.work_orders.get(kind="site_inspection")
    wf.work_order_complete(order, by=people["je_a"], key="late-insp", result={"remarks": "ok"})
    app.item.refresh_from_db()
    wf.transition(app.item, "issue_demand", by=people["sdo_a"])
    wf.sweep_breaches()
    app.refresh_from_db()
    credits = LedgerEntry.objects.filter(consumer=app.consumer, source_type="new_connection", amount__lt=0)
    assert credits.count() == 1
    assert balance(app.consumer_id) == D("1600.00") - D("500.00")


def test_every_step_word_fits_a_dlt_variable_in_both_languages():
    from django.utils import translation

    for words in nc.STEP_WORDS.values():
        for language in ("hi", "en"):
            with translation.override(language):
                text = str(words) % {"amount": "12,34,567.00", "account": "1234567890"}
            assert len(text) <= 30, text
            assert language == "en" or not text.isascii(), text  # translated


def test_rejection_after_payment_cancels_the_demand_note_and_refunds_what_was_paid(people):
    app = to_payment(people, application(people))
    nc.pay(app, amount=D("600.00"), channel="cash", source="counter", reference="NC-RJ", by=people["cashier"])
    assert balance(app.consumer_id) == D("1000.00")
    wf.transition(app.item, "reject", by=people["sdo_a"], reason="Line not feasible")
    app.refresh_from_db()
    app.consumer.refresh_from_db()
    assert app.consumer.status == ConsumerStatus.PERM_DISCONNECTED
    assert balance(app.consumer_id) == D("0.00")
    refund = LedgerEntry.objects.get(consumer=app.consumer, code="connection_refund")
    assert refund.amount == D("600.00") and refund.posted_by == people["sdo_a"]
    assert app.item.reference in refund.reason
    from urja.ledger.descriptions import entry_text

    assert "600.00" in entry_text(refund, "hi") and "वापसी" in entry_text(refund, "hi")
    # rejected again (a retried request) changes nothing
    assert LedgerEntry.objects.filter(consumer=app.consumer, code="connection_refund").count() == 1


def test_rejection_before_the_demand_note_posts_nothing(people):
    app = application(people)
    wf.transition(app.item, "reject", by=people["sdo_a"], reason="Incomplete")
    assert not LedgerEntry.objects.exists()
