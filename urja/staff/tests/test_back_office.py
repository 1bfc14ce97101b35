"""The back-office collection pages: settlement files, collections by office, adjustments, one-time
settlement, the statement PDF, the LPSC run and the navigation — each for the right role (200), the
wrong role (403) and another office (404), driven through the pages as a user would."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from urja.arrears.choices import AdjustmentStatus
from urja.arrears.models import Adjustment, LpscCharge, OtsRegistration, OtsScheme
from urja.common import clock
from urja.customers.choices import TariffCategory
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.org.choices import OfficeLevel, Role
from urja.payments.choices import MatchStatus, SettlementFileStatus
from urja.payments.models import Payment, SettlementFile, SettlementSource
from urja.payments.services import payment_post
from urja.payments.tests.counter_fixtures import bill, counter_desk
from urja.testing import ConsumerFactory, UserFactory, office_chain

D = Decimal


@pytest.fixture
def desk(two_subdivisions):
    desk = counter_desk(two_subdivisions)
    desk["reader_a"] = UserFactory(username="reader_a", role=Role.METER_READER, office=desk["dc_a"])
    desk["admin"] = UserFactory(username="admin", role=Role.SYSTEM_ADMIN, office=None)
    return desk


def login(client, user):
    client.force_login(user)
    return client


def yesterday() -> datetime.date:
    return clock.today() - datetime.timedelta(days=1)


def yesterday_at(hour=10):
    return clock.aware(datetime.datetime.combine(yesterday(), datetime.time(hour, 0)))


def bank_payment(consumer, amount, reference, source="bank:SBI", paid_at=None):
    return payment_post(
        consumer=consumer,
        amount=D(amount),
        channel="bank",
        source=source,
        reference=reference,
        paid_at=paid_at or clock.now(),
    ).payment


def settlement_csv(*rows) -> bytes:
    return ("\n".join(["reference,account_number,amount,paid_at,value_date,channel", *rows]) + "\n").encode()


# ------------------------------------------------------------------------------------ settlements


def registered_sources(desk):
    desk["sbi"] = SettlementSource.objects.create(
        code="SBI-T", name="State Bank", kind="bank", namespace="SBI", office=desk["discom"]
    )
    other = office_chain("U", down_to=OfficeLevel.DISCOM)[OfficeLevel.DISCOM]
    desk["sbi_other"] = SettlementSource.objects.create(
        code="SBI-U", name="State Bank (other discom)", kind="bank", namespace="SBI", office=other
    )
    desk["sdo_a2"] = UserFactory(username="sdo_a2", role=Role.SDO, office=desk["sub_a"])
    return desk


@pytest.mark.django_db
class TestSettlementPages:
    def upload(self, client, data: bytes, source="SBI-T", name="sbi.csv"):
        return client.post(
            reverse("payments:settlements"),
            {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "source": source},
        )

    def decide(self, client, settlement, decision="approve", note=""):
        return client.post(
            reverse("payments:settlement_decide", args=[settlement.pk]), {"decision": decision, "note": note}
        )

    def test_upload_through_the_form_then_approve_report_and_day(self, client, desk):
        registered_sources(desk)
        a, b = desk["consumer_a"], desk["consumer_b"]
        bank_payment(a, "500.00", "UTR1", paid_at=yesterday_at(10))
        bank_payment(a, "75.00", "UTR9", paid_at=yesterday_at(15))  # not in the file
        other_office = bank_payment(b, "200.00", "UTR2", paid_at=yesterday_at(10))
        stamp = yesterday().strftime("%d-%m-%Y")
        data = settlement_csv(
            f"UTR1,{a.account_number},500.00,{stamp} 10:00,,NEFT",
            f"UTR2,{b.account_number},250.00,{stamp} 10:00,,",  # another sub-division: not this SDO's
            f"UTR3,{a.account_number},300.00,{stamp} 11:00,,",
            f"UTR4,1234567890,10.00,{stamp} 11:00,,",
        )
        login(client, desk["sdo_a"])
        form_page = client.get(reverse("payments:settlements")).content.decode()
        assert 'value="SBI-T"' in form_page and "SBI-U" not in form_page
        response = self.upload(client, data)
        assert response.status_code == 302
        settlement = SettlementFile.objects.get()
        assert response["Location"] == reverse("payments:settlement", args=[settlement.pk])
        assert not Payment.objects.filter(reference="UTR3").exists()  # nothing posted at import

        page = client.get(response["Location"])
        assert page.status_code == 200
        html = page.content.decode()
        for status, count in (("matched", 1), ("to_post", 1), ("amount_mismatch", 0), ("invalid", 2)):
            assert f'data-testid="count-{status}">{count}<' in html
        assert 'data-testid="count-missing_in_file">1<' in html
        # The file's lines add up: 500 + 250 + 300 + 10.
        assert 'data-testid="file-lines">4<' in html and 'data-testid="file-amount">1060.00<' in html
        assert 'data-testid="to-post-lines">1<' in html and 'data-testid="to-post-amount">300.00<' in html
        assert 'data-testid="own-file"' in html and 'data-testid="decide-form"' not in html
        assert "UTR9" in html and "200.00" not in html  # the other office's payment is not shown
        assert reverse("payments:payment", args=[Payment.objects.get(reference="UTR1").pk]) in html
        assert reverse("payments:payment", args=[other_office.pk]) not in html

        # The uploader cannot approve their own file: 403, nothing posted.
        refused = self.decide(client, settlement)
        assert refused.status_code == 403 and 'data-testid="decide-error"' in refused.content.decode()
        assert not Payment.objects.filter(reference="UTR3").exists()

        login(client, desk["sdo_a2"])
        listing = client.get(reverse("payments:settlements")).content.decode()
        assert 'data-testid="waiting"' in listing and "sbi.csv" in listing
        assert 'data-testid="decide-form"' in client.get(response["Location"]).content.decode()
        approved = self.decide(client, settlement)
        assert approved.status_code == 302
        late = Payment.objects.get(reference="UTR3")
        assert late.late and late.posted_by == desk["sdo_a2"]
        page = client.get(response["Location"]).content.decode()
        assert 'data-testid="count-posted_late">1<' in page and 'data-testid="file-status">Approved' in page
        again = self.decide(client, settlement)  # a double click
        assert again.status_code == 400 and "already been decided" in again.content.decode()
        assert Payment.objects.filter(reference="UTR3").count() == 1
        receipt = client.get(reverse("payments:payment", args=[late.pk])).content.decode()
        assert 'data-testid="settlement-line"' in receipt and f"#{settlement.pk}" in receipt

        only = client.get(response["Location"], {"status": MatchStatus.INVALID})
        assert only.status_code == 200 and "UTR4" in only.content.decode()
        assert "UTR1" not in only.content.decode()

        day = client.get(reverse("payments:settlement_day"), {"date": yesterday().isoformat()})
        assert day.status_code == 200 and 'data-testid="source-bank:SBI"' in day.content.decode()

    def test_same_file_again_is_refused_and_changes_nothing(self, client, desk):
        registered_sources(desk)
        a = desk["consumer_a"]
        data = settlement_csv(f"UTR5,{a.account_number},100.00,{yesterday().isoformat()} 10:00,,")
        login(client, desk["sdo_a"])
        assert self.upload(client, data).status_code == 302
        again = self.upload(client, data)
        assert again.status_code == 400
        assert "already imported" in again.content.decode()
        assert SettlementFile.objects.count() == 1 and not Payment.objects.exists()

    def test_unregistered_or_other_offices_source_and_bad_files_are_refused(self, client, desk, monkeypatch):
        registered_sources(desk)
        a = desk["consumer_a"]
        data = settlement_csv(f"UTR6,{a.account_number},10.00,{yesterday().isoformat()} 10:00,,")
        login(client, desk["sdo_a"])
        client.cookies["django_language"] = "hi"
        for source in ("SBI", "bank:SBI", "SBI-U", "counter:X", ""):
            response = self.upload(client, data, source=source)
            assert response.status_code == 400, source
        assert not SettlementFile.objects.exists()
        response = self.upload(client, b"nothing,useful\n1,2\n")
        assert response.status_code == 400 and 'data-testid="form-error"' in response.content.decode()
        assert "reference" in response.content.decode()
        monkeypatch.setattr("urja.payments.settlement.MAX_FILE_BYTES", 10)
        response = self.upload(client, data)
        assert response.status_code == 400 and "MB" in response.content.decode()
        assert not SettlementFile.objects.exists() and not Payment.objects.exists()

    def test_roles(self, client, desk):
        registered_sources(desk)
        a = desk["consumer_a"]
        settlement_data = settlement_csv(f"UTR6,{a.account_number},10.00,{yesterday().isoformat()} 10:00,,")
        login(client, desk["cashier_a"])
        assert client.get(reverse("payments:settlements")).status_code == 403
        assert self.upload(client, settlement_data).status_code == 403
        assert client.get(reverse("payments:settlement_day")).status_code == 403
        assert not SettlementFile.objects.exists()

        login(client, desk["sdo_a"])
        self.upload(client, settlement_data)
        settlement = SettlementFile.objects.get()
        # A JE reads reports but not settlement files: none are shown, a file is a 404, deciding a 403.
        login(client, desk["je_a"])
        listing = client.get(reverse("payments:settlements"))
        assert listing.status_code == 200 and 'data-testid="no-access"' in listing.content.decode()
        assert client.get(reverse("payments:settlement", args=[settlement.pk])).status_code == 404
        assert self.upload(client, settlement_data).status_code == 403
        assert self.decide(client, settlement).status_code == 403
        # The SDO of the other sub-division: the file of sub-division A is a 404, to see and to decide.
        login(client, desk["sdo_b"])
        assert client.get(reverse("payments:settlement", args=[settlement.pk])).status_code == 404
        assert self.decide(client, settlement).status_code == 404
        assert "sbi.csv" not in client.get(reverse("payments:settlements")).content.decode()
        assert not Payment.objects.exists()
        # Someone who sees every office sees the file, and may decide it.
        login(client, desk["admin"])
        assert client.get(reverse("payments:settlement", args=[settlement.pk])).status_code == 200
        rejected = self.decide(client, settlement, decision="reject")
        assert rejected.status_code == 400 and "why" in rejected.content.decode()
        assert self.decide(client, settlement, decision="reject", note="test upload").status_code == 302
        settlement.refresh_from_db()
        assert settlement.status == SettlementFileStatus.REJECTED and not Payment.objects.exists()
        assert self.decide(client, settlement).status_code == 400

    def test_day_report_refuses_a_future_day(self, client, desk):
        login(client, desk["sdo_a"])
        future = clock.today() + datetime.timedelta(days=2)
        assert client.get(reverse("payments:settlement_day"), {"date": future.isoformat()}).status_code == 400


# ----------------------------------------------------------------------------- collections by office


@pytest.mark.django_db
class TestCollectionsByOffice:
    def test_rollup_equals_ledger_and_is_scoped(self, client, desk):
        bank_payment(desk["consumer_a"], "500.00", "R1")
        bank_payment(desk["consumer_b"], "777.00", "R2")
        login(client, desk["sdo_a"])
        response = client.get(reverse("payments:summary_offices"))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="ledger-equal">yes<' in html and 'data-testid="total">500.00<' in html
        assert "777.00" not in html and "Sub-division A" in html
        # Another office cannot be chosen.
        other = client.get(reverse("payments:summary_offices"), {"office": desk["sub_b"].pk})
        assert other.status_code == 400 and "777.00" not in other.content.decode()

        login(client, desk["admin"])
        response = client.get(reverse("payments:summary_offices"), {"level": "division"})
        html = response.content.decode()
        assert 'data-testid="total">1277.00<' in html and 'data-testid="ledger-equal">yes<' in html

    def test_roles(self, client, desk):
        login(client, desk["cashier_a"])
        assert client.get(reverse("payments:summary_offices")).status_code == 403
        login(client, desk["je_a"])  # reads reports
        assert client.get(reverse("payments:summary_offices")).status_code == 200


# -------------------------------------------------------------------------------------- adjustments


@pytest.mark.django_db
class TestAdjustmentPages:
    def request_adjustment(self, client, consumer, amount, reason="meter replaced, units billed twice"):
        return client.post(
            reverse("payments:adjustment_request", args=[consumer.account_number]),
            {"amount": amount, "reason": reason},
        )

    def test_request_then_checker_approves_and_the_ledger_has_it(self, client, desk):
        consumer = desk["consumer_a"]
        login(client, desk["je_a"])
        page = client.get(reverse("staff:consumer_detail", args=[consumer.account_number]))
        assert 'data-testid="adjustment-form"' in page.content.decode()
        response = self.request_adjustment(client, consumer, "-1500.00")
        assert response.status_code == 302
        adjustment = Adjustment.objects.get()
        assert adjustment.status == AdjustmentStatus.PENDING and adjustment.made_by == desk["je_a"]

        login(client, desk["sdo_a"])
        queue = client.get(reverse("payments:adjustments"))
        assert (
            queue.status_code == 200 and f'data-testid="adjustment-{adjustment.pk}"' in queue.content.decode()
        )
        response = client.post(
            reverse("payments:adjustment_decide", args=[adjustment.pk]),
            {
                f"a{adjustment.pk}-decision": "approve",
                f"a{adjustment.pk}-note": "checked the meter change",
                f"a{adjustment.pk}-confirm": "on",
            },
        )
        assert response.status_code == 302
        adjustment.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.POSTED and adjustment.decided_by == desk["sdo_a"]
        entry = LedgerEntry.objects.get(pk=adjustment.ledger_entry_id)
        assert entry.entry_type == EntryType.ADJUSTMENT and entry.amount == D("-1500.00")

        page = client.get(reverse("staff:consumer_detail", args=[consumer.account_number]))
        html = page.content.decode()
        assert "checked the meter change" in html and "badge adj-posted" in html

    def test_maker_cannot_approve_own_through_the_page(self, client, desk):
        login(client, desk["sdo_a"])
        assert self.request_adjustment(client, desk["consumer_a"], "2500.00").status_code == 302
        adjustment = Adjustment.objects.get()
        assert adjustment.status == AdjustmentStatus.PENDING  # above the limit: waits for another checker
        queue = client.get(reverse("payments:adjustments"))
        assert f'data-testid="adjustment-{adjustment.pk}"' not in queue.content.decode()
        response = client.post(
            reverse("payments:adjustment_decide", args=[adjustment.pk]),
            {f"a{adjustment.pk}-decision": "approve", f"a{adjustment.pk}-confirm": "on"},
        )
        assert response.status_code == 403
        adjustment.refresh_from_db()
        assert (
            adjustment.status == AdjustmentStatus.PENDING
            and not LedgerEntry.objects.filter(entry_type=EntryType.ADJUSTMENT).exists()
        )

    def test_errors_change_nothing(self, client, desk):
        consumer = desk["consumer_a"]
        login(client, desk["je_a"])
        for amount, reason in (("0", "x"), ("12.345", "x"), ("100", "")):
            response = self.request_adjustment(client, consumer, amount, reason)
            assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
        assert not Adjustment.objects.exists()
        self.request_adjustment(client, consumer, "300")
        adjustment = Adjustment.objects.get()
        login(client, desk["sdo_a"])
        response = client.post(
            reverse("payments:adjustment_decide", args=[adjustment.pk]),
            {f"a{adjustment.pk}-decision": "reject"},
        )
        assert response.status_code == 400 and 'data-testid="decide-error"' in response.content.decode()
        adjustment.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.PENDING
        response = client.post(
            reverse("payments:adjustment_decide", args=[adjustment.pk]),
            {f"a{adjustment.pk}-decision": "reject", f"a{adjustment.pk}-note": "no evidence"},
        )
        assert response.status_code == 302
        adjustment.refresh_from_db()
        assert adjustment.status == AdjustmentStatus.REJECTED and adjustment.decision_note == "no evidence"

    def test_roles_and_offices(self, client, desk):
        consumer = desk["consumer_a"]
        login(client, desk["cashier_a"])
        assert self.request_adjustment(client, consumer, "100").status_code == 403
        assert client.get(reverse("payments:adjustments")).status_code == 403
        page = client.get(reverse("staff:consumer_detail", args=[consumer.account_number]))
        assert 'data-testid="adjustment-form"' not in page.content.decode()
        login(client, desk["je_a"])
        assert client.get(reverse("payments:adjustments")).status_code == 403
        assert (
            client.get(reverse("payments:adjustment_request", args=[consumer.account_number])).status_code
            == 200
        )
        self.request_adjustment(client, consumer, "100")
        adjustment = Adjustment.objects.get()
        login(client, desk["sdo_b"])
        assert self.request_adjustment(client, consumer, "100").status_code == 404
        response = client.post(
            reverse("payments:adjustment_decide", args=[adjustment.pk]),
            {f"a{adjustment.pk}-decision": "approve", f"a{adjustment.pk}-confirm": "on"},
        )
        assert response.status_code == 404
        assert Adjustment.objects.count() == 1 and Adjustment.objects.get().status == AdjustmentStatus.PENDING


# ----------------------------------------------------------------------------------------------- OTS


@pytest.fixture
def scheme(db):
    today = clock.today()
    return OtsScheme.objects.create(
        code="OTS-VIEW",
        name="Test scheme",
        categories=[{"category": "LMV1-URBAN", "max_load": "2"}],
        registration_opens=today - datetime.timedelta(days=10),
        registration_closes=today + datetime.timedelta(days=10),
        registration_deposit_percent=D("10"),
        surcharge_waiver_percent=D("100"),
        principal_rebate_phases=[
            {"until": (today + datetime.timedelta(days=20)).isoformat(), "percent": "25"}
        ],
    )


@pytest.mark.django_db
class TestOtsPages:
    def test_register_and_settle_through_the_pages(self, client, desk, scheme):
        consumer = desk["consumer_a"]  # LMV1-URBAN, 2 kW
        bill(consumer, "4000.00", period="2026-05")
        ledger.entry_post(
            consumer=consumer,
            entry_type=EntryType.LPSC,
            amount=D("50.00"),
            entry_date=clock.today() - datetime.timedelta(days=2),
            due_date=clock.today() - datetime.timedelta(days=2),
            period="2026-06",
            description="LPSC",
        )
        detail = reverse("staff:consumer_detail", args=[consumer.account_number])
        login(client, desk["je_a"])
        page = client.get(detail).content.decode()
        assert 'data-testid="ots-register"' in page and "OTS-VIEW" in page

        response = client.post(
            reverse("payments:ots_register", args=[consumer.account_number]), {"scheme": scheme.pk}
        )
        assert response.status_code == 302 and response["Location"].endswith("#ots")
        registration = OtsRegistration.objects.get()
        assert (registration.principal, registration.surcharge) == (D("4000.00"), D("50.00"))

        page = client.get(detail).content.decode()
        # 4000 − 25 % rebate + 50 − 50 waived = 3000 required.
        assert (
            'data-testid="ots-required"><span class="money">₹3,000.00</span><' in page
            and 'data-testid="ots-settle"' not in page
        )
        settle = reverse("payments:ots_settle", args=[registration.pk])
        response = client.post(settle, follow=True)
        assert "more is needed" in response.content.decode()
        assert not OtsRegistration.objects.get().settled

        payment_post(
            consumer=consumer,
            amount=D("3000.00"),
            channel="bank",
            source="bank:SBI",
            reference="OTS1",
            paid_at=clock.now(),
        )
        page = client.get(detail).content.decode()
        assert (
            'data-testid="ots-still"><span class="money">₹0.00</span><' in page
            and 'data-testid="ots-settle"' in page
        )
        assert client.post(settle).status_code == 302
        assert OtsRegistration.objects.get().settled
        assert LedgerEntry.objects.filter(source_type="ots").count() == 2

        listing = client.get(reverse("payments:ots"))
        assert listing.status_code == 200 and consumer.account_number in listing.content.decode()

    def test_ineligible_refused_with_the_reason(self, client, desk, scheme):
        shop = ConsumerFactory(office=desk["dc_a"], category=TariffCategory.LMV6)
        bill(shop, "1000.00")
        login(client, desk["je_a"])
        page = client.get(reverse("staff:consumer_detail", args=[shop.account_number])).content.decode()
        assert "not open to the" in page and 'data-testid="ots-register"' not in page
        response = client.post(
            reverse("payments:ots_register", args=[shop.account_number]), {"scheme": scheme.pk}, follow=True
        )
        assert "not open to the" in response.content.decode() and not OtsRegistration.objects.exists()

    def test_roles_and_offices(self, client, desk, scheme):
        consumer = desk["consumer_a"]
        bill(consumer, "1000.00")
        login(client, desk["reader_a"])
        assert client.get(reverse("payments:ots")).status_code == 403
        register = reverse("payments:ots_register", args=[consumer.account_number])
        assert client.post(register, {"scheme": scheme.pk}).status_code == 403
        login(client, desk["je_b"])
        assert client.post(register, {"scheme": scheme.pk}).status_code == 404
        assert not OtsRegistration.objects.exists()
        login(client, desk["cashier_a"])  # takes payments: may register
        assert client.post(register, {"scheme": scheme.pk}).status_code == 302
        registration = OtsRegistration.objects.get()
        login(client, desk["je_b"])
        assert client.post(reverse("payments:ots_settle", args=[registration.pk])).status_code == 404
        listing = client.get(reverse("payments:ots"))
        assert listing.status_code == 200 and consumer.account_number not in listing.content.decode()
        assert "OTS-VIEW" in listing.content.decode()


# --------------------------------------------------------------------------------- statement PDF


@pytest.mark.django_db
class TestStatementPdf:
    def test_pdf_for_my_office_only(self, client, desk):
        consumer = desk["consumer_a"]
        bill(consumer, "800.00")
        url = reverse("payments:statement_pdf", args=[consumer.account_number])
        login(client, desk["je_a"])
        page = client.get(reverse("staff:consumer_detail", args=[consumer.account_number])).content.decode()
        assert url in page
        statement_page = client.get(reverse("staff:consumer_statement", args=[consumer.account_number]))
        assert url in statement_page.content.decode()
        response = client.get(url, {"from": "2026-01-01", "to": clock.today().isoformat()})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert client.get(url).content.startswith(b"%PDF")
        assert client.get(url, {"from": "not a date"}).status_code == 400
        login(client, desk["je_b"])
        assert client.get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 302


# ------------------------------------------------------------------------------------------ LPSC


@pytest.mark.django_db
class TestLpscPage:
    def test_preview_then_run_once(self, client, desk):
        consumer = desk["consumer_a"]
        bill(consumer, "1000.00", on=clock.today() - datetime.timedelta(days=60))
        login(client, desk["sdo_a"])
        page = client.get(reverse("staff:consumer_detail", args=[consumer.account_number])).content.decode()
        assert 'data-testid="lpsc-total">12.50<' in page  # 1.25 % of 1000 for the first months

        assert client.get(reverse("payments:lpsc")).status_code == 200
        today = clock.today().isoformat()
        response = client.post(reverse("payments:lpsc"), {"on": today, "office": desk["sub_a"].pk})
        html = response.content.decode()
        assert response.status_code == 200 and 'data-testid="charged">1<' in html
        assert LpscCharge.objects.get().consumer == consumer
        again = client.post(reverse("payments:lpsc"), {"on": today, "office": desk["sub_a"].pk})
        assert 'data-testid="charged">0<' in again.content.decode()
        assert 'data-testid="already">1<' in again.content.decode() and LpscCharge.objects.count() == 1

    def test_roles_offices_and_bad_dates(self, client, desk):
        bill(desk["consumer_b"], "1000.00", on=clock.today() - datetime.timedelta(days=60))
        login(client, desk["je_a"])
        assert client.get(reverse("payments:lpsc")).status_code == 403
        assert client.post(reverse("payments:lpsc"), {"on": clock.today().isoformat()}).status_code == 403
        login(client, desk["sdo_a"])
        response = client.post(
            reverse("payments:lpsc"), {"on": clock.today().isoformat(), "office": desk["sub_b"].pk}
        )
        assert response.status_code == 400
        future = (clock.today() + datetime.timedelta(days=1)).isoformat()
        assert (
            client.post(reverse("payments:lpsc"), {"on": future, "office": desk["sub_a"].pk}).status_code
            == 400
        )
        assert not LpscCharge.objects.exists()


# ----------------------------------------------------------------------------------------- navigation


@pytest.mark.django_db
class TestNavigation:
    LINKS = ("nav-counters", "nav-verify", "nav-summary", "nav-settlements", "nav-adjustments")

    def shown(self, client, user) -> set[str]:
        login(client, user)
        html = client.get(reverse("staff:home")).content.decode()
        return {link for link in self.LINKS if f'data-testid="{link}"' in html}

    def test_links_by_capability(self, client, desk):
        assert self.shown(client, desk["cashier_a"]) == {"nav-counters"}
        assert self.shown(client, desk["sdo_a"]) == set(self.LINKS)
        assert self.shown(client, desk["je_a"]) == {"nav-summary"}
        assert self.shown(client, desk["reader_a"]) == set()
        ee = UserFactory(username="ee", role=Role.EE, office=desk["division"])
        assert self.shown(client, ee) == {"nav-summary", "nav-adjustments"}

    def test_collection_pages_show_each_link_once(self, client, desk):
        login(client, desk["sdo_a"])
        html = client.get(reverse("payments:counters")).content.decode()
        assert html.count('href="' + reverse("payments:books_to_verify") + '"') == 1
        assert html.count('data-testid="nav-counters"') == 1
