"""Settlement files: registered sources, import (parse, validate each line, reconcile; nothing is
posted), approval by a second supervisor (posts each missing line once), rejection, scope, reports."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from urja.api.services import partner_create
from urja.common import clock
from urja.domain import account_number as acct
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.org.choices import OfficeLevel, Role
from urja.payments import settlement as reconciliation
from urja.payments.choices import Channel, MatchStatus, PaymentStatus, SettlementFileStatus
from urja.payments.models import Payment, SettlementFile, SettlementLine, SettlementSource
from urja.payments.selectors import collection_summary, ledger_payments_total
from urja.payments.services import payment_cancel, payment_post
from urja.payments.settlement import (
    parse_paid_at,
    settlement_day_report,
    settlement_decide,
    settlement_import,
    settlement_source_get,
)
from urja.testing import ConsumerFactory, UserFactory, office_chain

# Files of 20 November 2026 imported a week later (inside the 90-day window of paid_at).
pytestmark = pytest.mark.clock("2026-11-28T12:00:00+05:30")
D = Decimal
DAY = datetime.date(2026, 11, 20)


def at(day, hour=10, minute=0):
    return clock.aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def post(consumer, amount, reference, source="bank:SBI", channel="bank", paid_at=None, **extra):
    return payment_post(
        consumer=consumer,
        amount=D(amount),
        channel=channel,
        source=source,
        reference=reference,
        paid_at=paid_at or at(DAY),
        **extra,
    ).payment


def csv_bytes(*rows, header="reference,account_number,amount,paid_at,value_date,channel"):
    return ("\n".join([header, *rows]) + "\n").encode()


def register(code, namespace, office, kind="bank", **extra):
    return SettlementSource.objects.create(
        code=code, name=f"{namespace} collections", kind=kind, namespace=namespace, office=office, **extra
    )


@pytest.fixture
def desk(two_subdivisions):
    """The division's two sub-divisions, sources registered for the discom, a cash officer at the
    division who uploads, a second supervisor there who approves, and a second SDO at sub-division A."""
    desk = dict(two_subdivisions)
    discom = desk["discom"]
    desk["sbi"] = register("SBI-T", "SBI", discom)
    desk["hdfc"] = register("HDFC-T", "HDFC", discom)
    desk["sandbox"] = register("SANDBOX-T", "sandbox", discom, kind="gateway")
    desk["uploader"] = UserFactory(username="cash_officer", role=Role.SDO, office=desk["division"])
    desk["checker"] = UserFactory(username="checker", role=Role.SDO, office=desk["division"])
    desk["sdo_a2"] = UserFactory(username="sdo_a2", role=Role.SDO, office=desk["sub_a"])
    desk["cashier_a"] = UserFactory(username="cashier_a", role=Role.CASHIER, office=desk["sub_a"])
    return desk


def upload(desk, data, source="SBI-T", by="uploader", name="sbi-20.csv"):
    return settlement_import(data=data, file_name=name, source_name=source, by=desk[by])


def approve(desk, settlement, by="checker"):
    return settlement_decide(file_id=settlement.pk, by=desk[by], approve=True)


def counts(settlement):
    settlement.refresh_from_db()
    return {s: v["count"] for s, v in settlement.summary["by_status"].items() if v["count"]}


@pytest.fixture
def bank_day(desk):
    a, b = desk["consumer_a"], desk["consumer_b"]
    ledger.entry_post(
        consumer=a,
        entry_type=EntryType.BILL,
        amount=D("2000"),
        entry_date=DAY,
        due_date=DAY,
        description="bill",
    )
    post(a, "500.00", "UTR1")  # in the file, same amount → matched
    post(b, "200.00", "UTR3")  # in the file with 250 → mismatch
    post(a, "75.00", "UTR6", paid_at=at(DAY, 15))  # not in the file → missing in file
    post(a, "60.00", "UTR7", paid_at=at(DAY + datetime.timedelta(days=3)))  # outside the file's days
    cancelled = post(b, "40.00", "UTR8")  # cancelled: not expected in the file
    payment_cancel(payment=cancelled, by=desk["sdo_b"], reason="wrong account")
    post(a, "99.00", "UTR1", source="bank:HDFC")  # another bank's reference space
    return desk


def the_file(a, b):
    return csv_bytes(
        f"UTR1,{a.account_number},500.00,20-11-2026 10:00,2026-11-21,NEFT",
        f"UTR2,{a.account_number},300.00,2026-11-20T12:30:00,,",  # not in Urja → posted when approved
        f"UTR3,{b.account_number},250.00,20-11-2026 11:00,21-11-2026,",  # mismatch
        "UTR4,12345,100.00,20-11-2026 11:00,,",  # invalid account
        f"UTR5,{a.account_number},abc,20-11-2026 11:00,,",  # invalid amount
        f"UTR1,{a.account_number},500.00,20-11-2026 10:00,,",  # reference repeated
        f"UTR9,{a.account_number},10.005,20-11-2026 10:00,,",  # fraction of a paisa
    )


@pytest.mark.django_db
class TestSettlementImport:
    def test_statuses_and_totals_add_up(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        settlement = upload(bank_day, the_file(a, b))
        assert counts(settlement) == {
            MatchStatus.MATCHED: 1,
            MatchStatus.TO_POST: 1,
            MatchStatus.AMOUNT_MISMATCH: 1,
            MatchStatus.INVALID: 4,
            MatchStatus.MISSING_IN_FILE: 1,
        }
        approve(bank_day, settlement)
        summary = SettlementFile.objects.get(pk=settlement.pk).summary
        counted = {s: v["count"] for s, v in summary["by_status"].items()}
        amounts = {s: D(v["amount"]) for s, v in summary["by_status"].items()}
        assert counted == {
            MatchStatus.MATCHED: 1,
            MatchStatus.TO_POST: 0,
            MatchStatus.POSTED_LATE: 1,
            MatchStatus.AMOUNT_MISMATCH: 1,
            MatchStatus.INVALID: 4,
            MatchStatus.MISSING_IN_FILE: 1,
        }
        assert amounts[MatchStatus.MATCHED] == D("500.00")
        assert amounts[MatchStatus.POSTED_LATE] == D("300.00")
        assert amounts[MatchStatus.AMOUNT_MISMATCH] == D("250.00")
        assert amounts[MatchStatus.INVALID] == D("600.00")  # 100 + unreadable + 500 repeated
        assert amounts[MatchStatus.MISSING_IN_FILE] == D("75.00")
        # The file's lines add up: every status but missing-in-file, count and amount.
        assert summary["file"] == {"lines": 7, "amount": "1650.00"}
        settlement.refresh_from_db()
        assert settlement.lines_total == 7 and settlement.amount_total == D("1650.00")
        file_statuses = [s for s in counted if s != MatchStatus.MISSING_IN_FILE]
        assert sum(counted[s] for s in file_statuses) == summary["file"]["lines"]
        assert sum(amounts[s] for s in file_statuses) == D(summary["file"]["amount"])
        # Urja's side: matched + late + mismatch at Urja's amount + missing.
        assert summary["urja"] == {"payments": 4, "amount": "1075.00"}
        assert summary["mismatch_difference"] == "50.00"
        assert SettlementLine.objects.filter(file=settlement).count() == 8

    def test_late_posting_and_lines(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        settlement = approve(bank_day, upload(bank_day, the_file(a, b)))
        late = Payment.objects.get(source="bank:SBI", reference="UTR2")
        assert late.late and late.channel == Channel.BANK and late.amount == D("300.00")
        assert clock.localtime(late.paid_at) == at(DAY, 12, 30)
        assert LedgerEntry.objects.filter(source_type="payment", source_id=late.pk, entry_date=DAY).exists()
        lines = {(line.line_number, line.reference): line for line in settlement.lines.all()}
        assert lines[(3, "UTR2")].status == MatchStatus.POSTED_LATE and lines[(3, "UTR2")].payment == late
        assert lines[(2, "UTR1")].status == MatchStatus.MATCHED and lines[
            (2, "UTR1")
        ].value_date == DAY + datetime.timedelta(days=1)
        assert lines[(2, "UTR1")].note == "mode NEFT"
        mismatch = lines[(4, "UTR3")]
        assert mismatch.status == MatchStatus.AMOUNT_MISMATCH and "Urja has 200.00" in mismatch.note
        assert Payment.objects.get(source="bank:SBI", reference="UTR3").amount == D("200.00")  # unchanged
        assert "invalid account number" in lines[(5, "UTR4")].note
        assert "not a number" in lines[(6, "UTR5")].note
        assert "repeated (first on line 2)" in lines[(7, "UTR1")].note
        assert "fractions of a paisa" in lines[(8, "UTR9")].note
        missing = lines[(0, "UTR6")]
        assert missing.status == MatchStatus.MISSING_IN_FILE and missing.payment.reference == "UTR6"
        assert not Payment.objects.filter(reference__in=["UTR4", "UTR5", "UTR9"]).exists()

    def test_same_file_twice_is_refused_and_changes_nothing(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        data = the_file(a, b)
        first = upload(bank_day, data)
        before = (Payment.objects.count(), LedgerEntry.objects.count(), SettlementLine.objects.count())
        with pytest.raises(ValidationError, match="already imported"):  # while it waits for approval
            upload(bank_day, data, name="renamed.csv", by="checker")
        approve(bank_day, first)
        after = (Payment.objects.count(), LedgerEntry.objects.count(), SettlementLine.objects.count())
        with pytest.raises(ValidationError, match="already imported"):  # and once posted
            upload(bank_day, data, name="renamed.csv")
        assert (
            Payment.objects.count(),
            LedgerEntry.objects.count(),
            SettlementLine.objects.count(),
        ) == after
        assert after[0] == before[0] + 1  # UTR2, once
        assert SettlementFile.objects.count() == 1
        # The same bytes from another source are another file.
        upload(bank_day, data, source="HDFC-T")
        assert SettlementFile.objects.count() == 2

    def test_second_overlapping_file_matches_what_the_first_posted_late(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        approve(bank_day, upload(bank_day, the_file(a, b), name="one.csv"))
        again = upload(
            bank_day, csv_bytes(f"UTR2,{a.account_number},300.00,20-11-2026 12:30"), name="two.csv"
        )
        assert counts(again)[MatchStatus.MATCHED] == 1 and MatchStatus.TO_POST not in counts(again)
        assert Payment.objects.filter(source="bank:SBI", reference="UTR2").count() == 1

    def test_reference_of_another_account_is_invalid(self, bank_day):
        a = bank_day["consumer_a"]
        settlement = upload(
            bank_day,
            csv_bytes(
                f"UTR3,{a.account_number},200.00,20-11-2026 11:00",
                header="reference,account_number,amount,paid_at",
            ),
        )
        line = settlement.lines.get(line_number=2)
        assert line.status == MatchStatus.INVALID and "already posted to account" in line.note

    def test_importer_needs_supervisor_capability(self, desk):
        a = desk["consumer_a"]
        data = csv_bytes(f"X1,{a.account_number},120.00,20-11-2026 09:00")
        for who in ("je_a", "cashier_a"):
            with pytest.raises(PermissionDenied):
                upload(desk, data, by=who)
        with pytest.raises(PermissionDenied):
            settlement_import(data=data, file_name="x.csv", source_name="SBI-T", by=None)
        assert not SettlementFile.objects.exists()
        settlement = upload(desk, data, by="sdo_a")
        assert settlement.imported_by == desk["sdo_a"] and settlement.office == desk["sub_a"]
        approve(desk, settlement, by="sdo_a2")
        payment = Payment.objects.get(reference="X1")
        assert payment.posted_by == desk["sdo_a2"]

    def test_gateway_source_posts_online(self, desk):
        a = desk["consumer_a"]
        settlement = upload(
            desk,
            csv_bytes(f"pay_1,{a.account_number},120.00,2026-11-20 09:00:00+05:30"),
            source="SANDBOX-T",
            name="gw.csv",
        )
        assert settlement.source == "gateway:sandbox"
        approve(desk, settlement)
        payment = Payment.objects.get(source="gateway:sandbox", reference="pay_1")
        assert payment.channel == Channel.ONLINE and payment.late

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"\xef\xbb\xbf", "empty"),
            (b"reference,amount,paid_at\nX,1,20-11-2026 10:00\n", "account_number"),
            (b"reference,account_number,amount,paid_at\n", "no lines"),
            (b"reference,account_number,amount,paid_at\n\n  \n,,,\n", "no lines"),
            (b"\xff\xfe\x00bad", "UTF-8"),
            (
                b"reference,account_number,amount,paid_at\nU1,1000000011,1.00,20-11-2026 10:00\nU2,\xe9,1,x\n",
                "line 3",
            ),
        ],
    )
    def test_unreadable_file_refused_nothing_stored(self, desk, data, message):
        with pytest.raises(ValidationError, match=message):
            upload(desk, data, name="bad.csv")
        assert not SettlementFile.objects.exists() and not Payment.objects.exists()

    def test_a_file_over_the_size_or_line_limit_is_refused_whole(self, desk, monkeypatch):
        a = desk["consumer_a"]
        data = csv_bytes(*[f"U{i},{a.account_number},1.00,20-11-2026 10:00,," for i in range(5)])
        monkeypatch.setattr(reconciliation, "MAX_FILE_BYTES", len(data) - 1)
        with pytest.raises(ValidationError, match="larger than"):
            upload(desk, data)
        monkeypatch.setattr(reconciliation, "MAX_FILE_BYTES", len(data))
        monkeypatch.setattr(reconciliation, "MAX_LINES", 4)
        with pytest.raises(ValidationError, match="more than 4 lines"):
            upload(desk, data)
        assert not SettlementFile.objects.exists() and not Payment.objects.exists()

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("20-11-2026 10:15", at(DAY, 10, 15)),
            ("20-11-2026 10:15:30", at(DAY, 10, 15).replace(second=30)),
            ("2026-11-20T10:15:00", at(DAY, 10, 15)),  # no zone: Indian Standard Time
            ("2026-11-20 04:45:00+00:00", at(DAY, 10, 15)),
        ],
    )
    def test_paid_at_formats(self, text, expected):
        assert parse_paid_at(text) == expected

    @pytest.mark.parametrize(
        "text",
        ["2026-11-20", "20/11/2026 10:00", "", "yesterday", "२०-११-२०२६ १०:००", "2026-11-20T10:00\x00"],
    )
    def test_paid_at_refused(self, text):
        with pytest.raises(ValueError):
            parse_paid_at(text)


@pytest.mark.django_db
class TestSources:
    @pytest.mark.parametrize(
        "name", ["MADEUP", "bank:MADEUP", "SBI", "bank:SBI", "", "partner:1", "counter:C1"]
    )
    def test_a_made_up_or_unregistered_source_is_refused_and_posts_nothing(self, desk, name):
        a = desk["consumer_a"]
        data = csv_bytes(f"FAKE1,{a.account_number},50000.00,20-11-2026 10:00,,")
        with pytest.raises(ValidationError, match="registered"):
            upload(desk, data, source=name)
        assert not SettlementFile.objects.exists() and not Payment.objects.exists()

    def test_an_inactive_source_or_partner_is_refused(self, desk):
        a = desk["consumer_a"]
        data = csv_bytes(f"U1,{a.account_number},10.00,20-11-2026 10:00,,")
        desk["sbi"].is_active = False
        desk["sbi"].save()
        with pytest.raises(ValidationError, match="registered"):
            upload(desk, data)
        partner, _key = partner_create(name="Axis Bank")
        register("AXIS-T", "AXIS", desk["discom"], partner=partner)
        partner.is_active = False
        partner.save()
        with pytest.raises(ValidationError, match="registered"):
            upload(desk, data, source="AXIS-T")
        assert not SettlementFile.objects.exists()

    def test_the_uploader_must_overlap_the_sources_office(self, desk):
        a = desk["consumer_a"]
        data = csv_bytes(f"U1,{a.account_number},10.00,20-11-2026 10:00,,")
        other = office_chain("U", down_to=OfficeLevel.DISCOM)[OfficeLevel.DISCOM]
        register("SBI-U", "SBI", other)
        register("PNB-B", "PNB", desk["sub_b"])
        with pytest.raises(PermissionDenied):
            upload(desk, data, source="SBI-U", by="sdo_a")
        with pytest.raises(PermissionDenied):
            upload(desk, data, source="PNB-B", by="sdo_a")
        assert not SettlementFile.objects.exists()
        # Within the source's office, or containing it: the file's offices are the narrower of the two.
        assert upload(desk, data, by="sdo_a").office == desk["sub_a"]
        assert upload(desk, data, source="PNB-B", by="uploader").office == desk["sub_b"]
        assert {s.code for s in reconciliation.settlement_sources_for(desk["sdo_a"])} == {
            "SBI-T",
            "HDFC-T",
            "SANDBOX-T",
        }

    def test_registration_rules(self, desk):
        partner, _key = partner_create(name="Bank of Sub B", office=desk["sub_b"])
        source = SettlementSource(
            code="BOB", name="BoB", kind="bank", namespace="BOB", office=desk["division"], partner=partner
        )
        with pytest.raises(ValidationError, match="partner"):
            source.full_clean()
        with pytest.raises(ValidationError, match="overlapping"):
            SettlementSource(
                code="SBI-SUB", name="SBI", kind="bank", namespace="SBI", office=desk["sub_a"]
            ).full_clean()
        with pytest.raises(ValidationError):
            SettlementSource(
                code="X", name="X", kind="bank", namespace="S B I", office=desk["sub_a"]
            ).full_clean()
        assert settlement_source_get(code="SBI-T") == desk["sbi"] and desk["sbi"].source == "bank:SBI"


@pytest.mark.django_db
class TestSourceAdmin:
    def add(self, client, office, code="NEW-SRC"):
        return client.post(
            reverse("admin:payments_settlementsource_add"),
            {
                "code": code,
                "name": "New bank",
                "kind": "bank",
                "namespace": code,
                "office": office.pk,
                "is_active": "on",
            },
        )

    def test_only_a_system_administrator_or_superuser_registers_sources(self, client, desk):
        for who in ("sdo_a", "uploader", "cashier_a"):
            client.force_login(desk[who])
            assert self.add(client, desk["sub_a"]).status_code == 403
            change = client.post(
                reverse("admin:payments_settlementsource_change", args=[desk["sbi"].pk]),
                {
                    "code": "SBI-T",
                    "name": "x",
                    "kind": "bank",
                    "namespace": "FAKE",
                    "office": desk["discom"].pk,
                },
            )
            assert change.status_code == 403
        assert not SettlementSource.objects.filter(code="NEW-SRC").exists()
        desk["sbi"].refresh_from_db()
        assert desk["sbi"].namespace == "SBI"
        admin_user = UserFactory(username="sysadmin", role=Role.SYSTEM_ADMIN, office=None)
        client.force_login(admin_user)
        assert self.add(client, desk["sub_a"]).status_code == 302
        assert SettlementSource.objects.get(code="NEW-SRC").source == "bank:NEW-SRC"

    def test_a_scoped_system_administrator_registers_only_within_their_offices(self, client, desk):
        other = office_chain("U", down_to=OfficeLevel.DISCOM)[OfficeLevel.DISCOM]
        scoped = UserFactory(username="sysadmin_div", role=Role.SYSTEM_ADMIN, office=desk["division"])
        client.force_login(scoped)
        assert self.add(client, other).status_code == 200  # the form refuses the office
        assert not SettlementSource.objects.filter(code="NEW-SRC").exists()
        assert self.add(client, desk["sub_a"]).status_code == 302

    def test_a_source_with_files_keeps_its_namespace(self, client, desk):
        settlement = upload(
            desk, csv_bytes(f"U1,{desk['consumer_a'].account_number},1.00,20-11-2026 10:00,,")
        )
        client.force_login(
            UserFactory(username="root", is_superuser=True, role=Role.SYSTEM_ADMIN, office=None)
        )
        client.post(
            reverse("admin:payments_settlementsource_change", args=[desk["sbi"].pk]),
            {
                "code": "SBI-T",
                "name": "renamed",
                "kind": "gateway",
                "namespace": "FAKE",
                "office": desk["discom"].pk,
                "is_active": "on",
            },
        )
        desk["sbi"].refresh_from_db()
        assert desk["sbi"].name == "renamed" and desk["sbi"].source == "bank:SBI"
        approve(desk, settlement)
        assert Payment.objects.get(reference="U1").source == "bank:SBI"

    def test_a_source_with_files_cannot_be_deleted(self, client, desk):
        upload(desk, csv_bytes(f"U1,{desk['consumer_a'].account_number},1.00,20-11-2026 10:00,,"))
        client.force_login(
            UserFactory(username="root", is_superuser=True, role=Role.SYSTEM_ADMIN, office=None)
        )
        response = client.post(
            reverse("admin:payments_settlementsource_delete", args=[desk["sbi"].pk]), {"post": "yes"}
        )
        assert response.status_code == 403 and SettlementSource.objects.filter(pk=desk["sbi"].pk).exists()


@pytest.mark.django_db
class TestApproval:
    def file_of(self, desk, *rows, by="uploader", name="f.csv"):
        return upload(desk, csv_bytes(*rows), by=by, name=name)

    def test_import_posts_nothing_and_shows_what_would_be_posted(self, desk):
        a, b = desk["consumer_a"], desk["consumer_b"]
        settlement = self.file_of(
            desk,
            f"U1,{a.account_number},100.00,20-11-2026 10:00,,",
            f"U2,{a.account_number},50.50,20-11-2026 11:00,,UPI",
            f"U3,{b.account_number},20.00,20-11-2026 12:00,,online",
        )
        assert settlement.status == SettlementFileStatus.PENDING
        assert not Payment.objects.exists() and not LedgerEntry.objects.exists()
        assert settlement.summary["to_post"] == {"lines": 3, "accounts": 2, "amount": "170.50"}
        lines = list(settlement.lines.order_by("line_number"))
        assert [(line.status, line.channel) for line in lines] == [
            (MatchStatus.TO_POST, Channel.BANK),
            (MatchStatus.TO_POST, Channel.BANK),
            (MatchStatus.TO_POST, Channel.ONLINE),
        ]
        assert all(line.payment_id is None for line in lines)

    def test_a_second_supervisor_approves_and_every_payment_keeps_its_line(self, desk, travel):
        a = desk["consumer_a"]
        settlement = self.file_of(desk, f"U1,{a.account_number},100.00,20-11-2026 10:00,,")
        travel.shift(datetime.timedelta(hours=2))
        decided = approve(desk, settlement)
        assert decided.status == SettlementFileStatus.POSTED
        assert decided.decided_by == desk["checker"] and decided.decided_at > settlement.created_at
        payment = Payment.objects.get(reference="U1")
        assert payment.late and payment.posted_by == desk["checker"]
        line = payment.settlement_lines.get(status=MatchStatus.POSTED_LATE)
        assert line.file == settlement and line.line_number == 2
        assert settlement.lines.get(line_number=2).payment == payment

    def test_the_uploader_cannot_approve_or_reject_their_own_file(self, desk):
        settlement = self.file_of(desk, f"U1,{desk['consumer_a'].account_number},100.00,20-11-2026 10:00,,")
        with pytest.raises(PermissionDenied, match="uploaded"):
            approve(desk, settlement, by="uploader")
        with pytest.raises(PermissionDenied, match="uploaded"):
            settlement_decide(file_id=settlement.pk, by=desk["uploader"], approve=False, note="oops")
        settlement.refresh_from_db()
        assert settlement.status == SettlementFileStatus.PENDING and not Payment.objects.exists()

    @pytest.mark.parametrize("who", ["je_a", "cashier_a", "sdo_b", "sdo_a2"])
    def test_the_approver_needs_the_capability_and_the_files_offices(self, desk, who):
        # The file covers the division (both sub-divisions): an SDO of one sub-division does not cover it.
        settlement = self.file_of(desk, f"U1,{desk['consumer_a'].account_number},100.00,20-11-2026 10:00,,")
        with pytest.raises(PermissionDenied):
            approve(desk, settlement, by=who)
        assert not Payment.objects.exists()

    def test_approving_twice_posts_once(self, desk):
        settlement = self.file_of(desk, f"U1,{desk['consumer_a'].account_number},100.00,20-11-2026 10:00,,")
        approve(desk, settlement)
        admin = UserFactory(username="admin", role=Role.SYSTEM_ADMIN, office=None)
        for who in (desk["checker"], admin):
            with pytest.raises(ValidationError, match="already"):
                settlement_decide(file_id=settlement.pk, by=who, approve=True)
        assert Payment.objects.count() == 1 and LedgerEntry.objects.count() == 1

    def test_reject_needs_a_reason_posts_nothing_and_the_file_may_come_again(self, desk):
        data = csv_bytes(f"U1,{desk['consumer_a'].account_number},100.00,20-11-2026 10:00,,")
        settlement = upload(desk, data)
        with pytest.raises(ValidationError, match="why"):
            settlement_decide(file_id=settlement.pk, by=desk["checker"], approve=False, note="  ")
        rejected = settlement_decide(
            file_id=settlement.pk, by=desk["checker"], approve=False, note="wrong bank picked"
        )
        assert (
            rejected.status == SettlementFileStatus.REJECTED and rejected.decision_note == "wrong bank picked"
        )
        assert not Payment.objects.exists()
        with pytest.raises(ValidationError, match="already"):
            approve(desk, settlement)
        assert not Payment.objects.exists()
        again = upload(desk, data, name="again.csv")
        assert again.status == SettlementFileStatus.PENDING and again.pk != settlement.pk

    def test_every_file_needs_approval_whatever_its_total(self, desk):
        a = desk["consumer_a"]
        files = [
            self.file_of(desk, f"S{i},{a.account_number},0.01,20-11-2026 10:00,,", name=f"s{i}.csv")
            for i in range(5)
        ]
        assert all(f.status == SettlementFileStatus.PENDING for f in files)
        assert not Payment.objects.exists()

    def test_lines_posted_meanwhile_are_matched_at_approval(self, desk):
        a = desk["consumer_a"]
        first = self.file_of(desk, f"U1,{a.account_number},100.00,20-11-2026 10:00,,", name="1.csv")
        second = self.file_of(
            desk,
            f"U1,{a.account_number},100.00,20-11-2026 10:00,,",
            f"U2,{a.account_number},70.00,20-11-2026 10:00,,",
            name="2.csv",
        )
        approve(desk, first)
        post(a, "75.00", "U2")  # came in through another channel of the source, with another amount
        approve(desk, second)
        assert Payment.objects.filter(reference="U1").count() == 1
        lines = {line.reference: line for line in SettlementFile.objects.get(pk=second.pk).lines.all()}
        assert lines["U1"].status == MatchStatus.MATCHED and lines["U1"].payment.reference == "U1"
        assert lines["U2"].status == MatchStatus.AMOUNT_MISMATCH and "Urja has 75.00" in lines["U2"].note
        assert Payment.objects.get(reference="U2").amount == D("75.00")

    def test_an_account_moved_out_of_the_files_offices_is_not_posted(self, desk):
        a = desk["consumer_a"]
        settlement = self.file_of(desk, f"U1,{a.account_number},100.00,20-11-2026 10:00,,", by="sdo_a")
        a.office = desk["dc_b"]
        a.save(update_fields=["office"])
        approve(desk, settlement, by="sdo_a2")
        line = settlement.lines.get(line_number=2)
        assert line.status == MatchStatus.INVALID and line.note.startswith("no such account")
        assert not Payment.objects.exists()

    def test_a_line_that_aged_past_the_window_before_approval_is_invalid(self, desk, travel):
        settlement = self.file_of(desk, f"U1,{desk['consumer_a'].account_number},100.00,20-11-2026 10:00,,")
        travel.shift(datetime.timedelta(days=90))
        approve(desk, settlement)
        line = settlement.lines.get(line_number=2)
        assert line.status == MatchStatus.INVALID and "90 days" in line.note
        assert not Payment.objects.exists()

    def test_a_source_switched_off_meanwhile_cannot_be_approved(self, desk):
        settlement = self.file_of(desk, f"U1,{desk['consumer_a'].account_number},100.00,20-11-2026 10:00,,")
        desk["sbi"].is_active = False
        desk["sbi"].save()
        with pytest.raises(ValidationError, match="no longer active"):
            approve(desk, settlement)
        assert not Payment.objects.exists()


@pytest.mark.django_db
class TestScope:
    def test_lines_outside_the_uploaders_offices_look_like_unknown_accounts(self, desk):
        a, b = desk["consumer_a"], desk["consumer_b"]
        elsewhere = ConsumerFactory(office=office_chain("U")[OfficeLevel.DC])
        unknown = acct.make(1, 12_345_678)
        assert not type(a).objects.filter(account_number=unknown).exists()
        settlement = upload(
            desk,
            csv_bytes(
                f"U1,{a.account_number},100.00,20-11-2026 10:00,,",
                f"U2,{b.account_number},200.00,20-11-2026 10:00,,",  # another sub-division
                f"U3,{elsewhere.account_number},300.00,20-11-2026 10:00,,",  # another discom
                f"U4,{unknown},400.00,20-11-2026 10:00,,",  # nobody's
            ),
            by="sdo_a",
        )
        lines = {line.reference: line for line in settlement.lines.all()}
        assert lines["U1"].status == MatchStatus.TO_POST
        for ref, number in (("U2", b.account_number), ("U3", elsewhere.account_number), ("U4", unknown)):
            assert lines[ref].status == MatchStatus.INVALID
            assert lines[ref].note == f"no such account {number!r} in this file's offices"
        assert settlement.summary["to_post"] == {"lines": 1, "accounts": 1, "amount": "100.00"}
        approve(desk, settlement, by="sdo_a2")
        assert list(Payment.objects.values_list("reference", flat=True)) == ["U1"]

    def test_lines_outside_the_sources_office_are_not_posted(self, desk):
        a, b = desk["consumer_a"], desk["consumer_b"]
        register("PNB-A", "PNB", desk["sub_a"])
        settlement = upload(
            desk,
            csv_bytes(
                f"P1,{a.account_number},100.00,20-11-2026 10:00,,",
                f"P2,{b.account_number},200.00,20-11-2026 10:00,,",
            ),
            source="PNB-A",
        )
        assert settlement.office == desk["sub_a"]
        approve(desk, settlement)
        assert list(Payment.objects.values_list("reference", flat=True)) == ["P1"]
        assert settlement.lines.get(reference="P2").note.startswith("no such account")

    def test_payments_outside_the_files_offices_are_not_revealed(self, desk):
        a, b = desk["consumer_a"], desk["consumer_b"]
        receipt = post(b, "200.00", "UTRB").receipt_number
        post(b, "90.00", "UTRB2")  # that day, in SUB-B: never "missing" from SUB-A's file
        settlement = upload(
            desk,
            csv_bytes(
                f"UTRB,{b.account_number},999.00,20-11-2026 10:00,,",  # would be a mismatch
                f"UTRB2,{a.account_number},999.00,20-11-2026 11:00,,",  # b's reference
            ),
            by="sdo_a",
        )
        first, second = settlement.lines.order_by("line_number")
        assert first.status == MatchStatus.INVALID and first.payment_id is None
        assert first.note == f"no such account {b.account_number!r} in this file's offices"
        assert second.status == MatchStatus.INVALID and second.payment_id is None
        assert second.note.startswith("reference already used in Urja for another account")
        everything = " ".join(settlement.lines.values_list("note", flat=True))
        assert receipt not in everything and "200.00" not in everything and "90.00" not in everything
        assert not settlement.lines.filter(status=MatchStatus.MISSING_IN_FILE).exists()
        assert settlement.summary["urja"] == {"payments": 0, "amount": "0.00"}

    def test_missing_in_file_only_within_the_files_offices(self, desk):
        a, b = desk["consumer_a"], desk["consumer_b"]
        post(a, "75.00", "UTRA", paid_at=at(DAY, 15))
        post(b, "90.00", "UTRB", paid_at=at(DAY, 15))
        settlement = upload(desk, csv_bytes(f"X1,{a.account_number},1.00,20-11-2026 10:00,,"), by="sdo_a")
        missing = settlement.lines.filter(status=MatchStatus.MISSING_IN_FILE)
        assert list(missing.values_list("reference", flat=True)) == ["UTRA"]


ASCII_ONLY = "other than ASCII"


@pytest.mark.django_db
class TestEveryLineOnItsOwn:
    """One bad line is reported with its line number; the lines around it are still validated."""

    def import_around(self, desk, bad_row):
        a = desk["consumer_a"]
        return upload(
            desk,
            csv_bytes(
                f"GOOD1,{a.account_number},10.00,20-11-2026 10:00,,",
                bad_row,
                f"GOOD2,{a.account_number},20.00,20-11-2026 11:00,,",
            ),
        )

    def assert_only_line_3_is_invalid(self, settlement, says):
        lines = {line.line_number: line for line in settlement.lines.all()}
        assert lines[2].status == MatchStatus.TO_POST and lines[4].status == MatchStatus.TO_POST
        assert lines[3].status == MatchStatus.INVALID, lines[3].note
        assert says in lines[3].note, lines[3].note
        assert not Payment.objects.exists()

    @pytest.mark.parametrize(
        ("amount", "says"),
        [
            ("1e309", "not a number"),
            ("1E5", "not a number"),
            ("NaN", "not a number"),
            ("sNaN", "not a number"),
            ("Infinity", "not a number"),
            ("-Infinity", "more than zero"),
            ("１２３", ASCII_ONLY),
            ("१२३", ASCII_ONLY),
            ("²", ASCII_ONLY),
            ("12 345", ASCII_ONLY),
            ("99999999999999999999999999999999999", "too large"),
            ("1000000000000.00", "too large"),
            ("-5.00", "more than zero"),
            ("0.00", "more than zero"),
            ("1,50", "comma"),
            ("1,2,3", "comma"),
            ("", "empty"),
            ("10.", "not a number"),
            (".5", "not a number"),
        ],
    )
    def test_bad_amounts(self, desk, amount, says):
        a = desk["consumer_a"]
        settlement = self.import_around(desk, f'BAD,{a.account_number},"{amount}",20-11-2026 10:30,,')
        self.assert_only_line_3_is_invalid(settlement, says)

    @pytest.mark.parametrize("amount", ["1,727.50", "1,00,000.00", "12,34,567", "5", "10.500"])
    def test_grouped_amounts_are_read(self, desk, amount):
        a = desk["consumer_a"]
        settlement = self.import_around(desk, f'OK,{a.account_number},"{amount}",20-11-2026 10:30,,')
        assert settlement.lines.get(line_number=3).status == MatchStatus.TO_POST

    @pytest.mark.parametrize(
        ("account", "says"),
        [
            ("１" * 10, ASCII_ONLY),
            ("१" * 10, ASCII_ONLY),
            ("123456789²", ASCII_ONLY),
            ("12345", "invalid account number"),
            ("", "no account number"),
        ],
    )
    def test_bad_account_numbers(self, desk, account, says):
        settlement = self.import_around(desk, f"BAD,{account},10.00,20-11-2026 10:30,,")
        self.assert_only_line_3_is_invalid(settlement, says)

    def test_a_look_alike_of_a_real_account_is_not_posted_to_it(self, desk):
        a = desk["consumer_a"]
        wide = a.account_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        settlement = self.import_around(desk, f"BAD,{wide},10.00,20-11-2026 10:30,,")
        self.assert_only_line_3_is_invalid(settlement, ASCII_ONLY)

    @pytest.mark.parametrize(
        ("paid_at", "says"),
        [
            ("0001-01-01 00:00", "90 days"),
            ("0001-01-01T00:00:00+14:00", "out of range"),
            ("9999-12-31 23:59", "future"),
            ("9999-12-31T23:59:00-05:00", "out of range"),
            ("29-12-2026 10:00", "future"),
            ("20-08-2026 10:00", "90 days"),
            ("२०-११-२०२६ १०:००", ASCII_ONLY),
            ("31-02-2026 10:00", "paid_at"),
            ("", "paid_at is empty"),
        ],
    )
    def test_bad_payment_times(self, desk, paid_at, says):
        a = desk["consumer_a"]
        settlement = self.import_around(desk, f"BAD,{a.account_number},10.00,{paid_at},,")
        self.assert_only_line_3_is_invalid(settlement, says)
        assert settlement.lines.get(line_number=3).paid_at is None
        # A bad date does not widen the days the file covers.
        assert settlement.summary["date_from"] == settlement.summary["date_to"] == DAY.isoformat()

    def test_a_payment_before_the_connection_date_is_invalid(self, desk):
        a = desk["consumer_a"]
        a.connection_date = datetime.date(2026, 11, 20)
        a.save(update_fields=["connection_date"])
        settlement = self.import_around(desk, f"BAD,{a.account_number},10.00,19-11-2026 23:00,,")
        self.assert_only_line_3_is_invalid(settlement, "connection date")

    @pytest.mark.parametrize(
        ("value_date", "says"),
        [
            ("0001-01-01", "before the payment"),
            ("9999-12-31", "future"),
            ("19-11-2026", "before the payment"),
            ("२०२६-११-२१", ASCII_ONLY),
            ("2026-02-30", "value_date"),
        ],
    )
    def test_bad_value_dates(self, desk, value_date, says):
        a = desk["consumer_a"]
        settlement = self.import_around(desk, f"BAD,{a.account_number},10.00,20-11-2026 10:30,{value_date},")
        self.assert_only_line_3_is_invalid(settlement, says)

    @pytest.mark.parametrize(
        ("reference", "says"),
        [
            ("UTR\x00X", "control"),
            ("ＵＴＲ1", "letters, digits"),
            ("UTR 1", "letters, digits"),
            ("X" * 65, "longer than 64"),
            ("", "no reference"),
        ],
    )
    def test_bad_references(self, desk, reference, says):
        a = desk["consumer_a"]
        settlement = self.import_around(desk, f"{reference},{a.account_number},10.00,20-11-2026 10:30,,")
        self.assert_only_line_3_is_invalid(settlement, says)
        assert "\x00" not in settlement.lines.get(line_number=3).reference

    def test_nul_bytes_anywhere_are_reported_not_stored(self, desk):
        a = desk["consumer_a"]
        settlement = self.import_around(
            desk, f"BAD,{a.account_number}\x00,10.00\x00,20-11-2026 10:30,,NE\x00FT"
        )
        self.assert_only_line_3_is_invalid(settlement, "control")
        line = settlement.lines.get(line_number=3)
        assert "\x00" not in line.account_number + line.note + line.reference

    def test_an_unreadable_csv_line_does_not_stop_the_others(self, desk):
        a = desk["consumer_a"]
        settlement = self.import_around(desk, f'BAD,{a.account_number},"{"9" * 200_000}",20-11-2026 10:30,,')
        self.assert_only_line_3_is_invalid(settlement, "not readable")

    def test_duplicate_references_are_reported_with_the_first_line(self, desk):
        a = desk["consumer_a"]
        settlement = self.import_around(desk, f"GOOD1,{a.account_number},10.00,20-11-2026 10:00,,")
        self.assert_only_line_3_is_invalid(settlement, "repeated (first on line 2)")


@pytest.mark.django_db
class TestReports:
    def test_day_report_per_source(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        settlement = approve(bank_day, upload(bank_day, the_file(a, b)))
        rows = {r.source: r for r in settlement_day_report(DAY)}
        sbi = rows["bank:SBI"]
        # Standing payments that day: UTR1 500, UTR3 200, UTR6 75, UTR2 300 (late) = 1075.
        assert (sbi.payments, sbi.amount) == (4, D("1075.00"))
        assert sbi.statuses[MatchStatus.MATCHED] == {"count": 1, "amount": D("500.00")}
        assert sbi.statuses[MatchStatus.POSTED_LATE] == {"count": 1, "amount": D("300.00")}
        assert sbi.statuses[MatchStatus.MISSING_IN_FILE] == {"count": 1, "amount": D("75.00")}
        assert sbi.statuses[MatchStatus.AMOUNT_MISMATCH] == {"count": 1, "amount": D("250.00")}
        assert (sbi.not_in_any_file, sbi.not_in_any_file_amount) == (1, D("75.00"))
        assert sbi.files == [settlement.pk]
        hdfc = rows["bank:HDFC"]  # no file yet
        assert (hdfc.payments, hdfc.not_in_any_file, hdfc.files) == (1, 1, [])

    def test_day_report_counts_pending_lines_apart_and_leaves_out_rejected_files(self, desk):
        a = desk["consumer_a"]
        pending = upload(desk, csv_bytes(f"U1,{a.account_number},10.00,20-11-2026 10:00,,"), name="1.csv")
        rejected = upload(desk, csv_bytes(f"U2,{a.account_number},20.00,20-11-2026 10:00,,"), name="2.csv")
        settlement_decide(file_id=rejected.pk, by=desk["checker"], approve=False, note="duplicate of 1")
        sbi = {r.source: r for r in settlement_day_report(DAY)}["bank:SBI"]
        assert sbi.statuses[MatchStatus.TO_POST] == {"count": 1, "amount": D("10.00")}
        assert sbi.files == [pending.pk] and sbi.payments == 0

    def test_day_report_for_a_user_shows_only_their_offices(self, desk):
        a, b = desk["consumer_a"], desk["consumer_b"]
        post(a, "10.00", "A1")
        post(b, "20.00", "B1")
        b_file = upload(desk, csv_bytes(f"B1,{b.account_number},20.00,20-11-2026 10:00,,"), by="sdo_b")
        seen = {r.source: r for r in settlement_day_report(DAY, user=desk["sdo_a"])}["bank:SBI"]
        assert (seen.payments, seen.amount, seen.files) == (1, D("10.00"), [])
        assert sum(v["count"] for v in seen.statuses.values()) == 0
        assert (seen.not_in_any_file, seen.not_in_any_file_amount) == (1, D("10.00"))
        theirs = {r.source: r for r in settlement_day_report(DAY, user=desk["sdo_b"])}["bank:SBI"]
        assert theirs.files == [b_file.pk] and theirs.statuses[MatchStatus.MATCHED]["count"] == 1
        assert theirs.not_in_any_file == 0

    def test_commands_import_approve_reject_and_report(self, bank_day, tmp_path):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        path = tmp_path / "sbi.csv"
        path.write_bytes(the_file(a, b))
        with pytest.raises(CommandError):  # the uploader is named
            call_command("payments", "import", str(path), "--source", "SBI-T", stdout=StringIO())
        with pytest.raises(CommandError, match="registered"):
            call_command("payments", "import", str(path), "--source", "SBI", "--by", "cash_officer")
        out = StringIO()
        call_command("payments", "import", str(path), "--source", "SBI-T", "--by", "cash_officer", stdout=out)
        text = out.getvalue()
        assert "bank:SBI" in text and "to post" in text and "file total" in text and "1650.00" in text
        assert "awaiting approval" in text
        assert not Payment.objects.filter(reference="UTR2").exists()
        settlement = SettlementFile.objects.get()
        with pytest.raises(CommandError, match="already imported"):
            call_command(
                "payments", "import", str(path), "--source", "SBI-T", "--by", "checker", stdout=StringIO()
            )
        with pytest.raises(CommandError, match="uploaded"):
            call_command("payments", "approve", str(settlement.pk), "--by", "cash_officer", stdout=StringIO())
        with pytest.raises(CommandError, match="No active staff user"):
            call_command("payments", "approve", str(settlement.pk), "--by", "nobody", stdout=StringIO())
        with pytest.raises(CommandError, match="No settlement file"):
            call_command("payments", "approve", "999999", "--by", "checker", stdout=StringIO())
        out = StringIO()
        call_command("payments", "approve", str(settlement.pk), "--by", "checker", stdout=out)
        assert "posted late" in out.getvalue() and "approved" in out.getvalue()
        assert Payment.objects.get(reference="UTR2").late
        with pytest.raises(CommandError, match="already"):
            call_command("payments", "approve", str(settlement.pk), "--by", "checker", stdout=StringIO())
        out = StringIO()
        call_command("payments", "report", "--date", DAY.isoformat(), stdout=out)
        assert "bank:SBI: 4 payments in Urja, 1075.00" in out.getvalue()
        with pytest.raises(CommandError):
            call_command("payments", "report", "--date", "20-11-2026", stdout=StringIO())

        other = tmp_path / "hdfc.csv"
        other.write_bytes(csv_bytes(f"H1,{a.account_number},10.00,20-11-2026 10:00,,"))
        call_command(
            "payments", "import", str(other), "--source", "HDFC-T", "--by", "cash_officer", stdout=StringIO()
        )
        hdfc = SettlementFile.objects.get(source="bank:HDFC")
        with pytest.raises(CommandError, match="why"):
            call_command(
                "payments", "reject", str(hdfc.pk), "--by", "checker", "--reason", " ", stdout=StringIO()
            )
        call_command(
            "payments", "reject", str(hdfc.pk), "--by", "checker", "--reason", "test file", stdout=StringIO()
        )
        hdfc.refresh_from_db()
        assert (
            hdfc.status == SettlementFileStatus.REJECTED
            and not Payment.objects.filter(reference="H1").exists()
        )


@pytest.mark.django_db
class TestCollectionSummary:
    def test_summary_equals_ledger_payment_entries(self, two_subdivisions):
        a, b = two_subdivisions["consumer_a"], two_subdivisions["consumer_b"]
        other = UserFactory(username="cashier", role=Role.CASHIER, office=two_subdivisions["sub_a"])
        post(a, "100.00", "C1", source="counter:LKO1", channel="cash", by=other)
        post(a, "250.50", "C2", source="counter:LKO1", channel="upi_counter")
        post(b, "300.00", "P1", source="partner:1", channel="partner")
        post(b, "410.25", "G1", source="gateway:sandbox", channel="online")
        post(a, "999.00", "B1", source="bank:SBI", channel="bank")
        cancelled = post(b, "50.00", "C3", source="counter:LKO2", channel="cash")
        payment_cancel(payment=cancelled, by=two_subdivisions["sdo_b"], reason="entered twice")
        post(
            a,
            "77.00",
            "NEXT",
            source="partner:1",
            channel="partner",
            paid_at=at(DAY + datetime.timedelta(days=1)),
        )
        # Late in the evening IST is still the same day in the ledger.
        post(b, "20.00", "LATE", source="partner:1", channel="partner", paid_at=at(DAY, 23, 50))

        everyone = UserFactory(username="root", is_superuser=True, role=Role.SYSTEM_ADMIN)

        def by_office(summary):
            return {r.office.code: r.amount for r in summary.by_office}

        summary = collection_summary(principal=everyone, day=DAY)
        assert summary.amount == ledger_payments_total(principal=everyone, day=DAY) == D("2129.75")
        assert (summary.reversed_count, summary.reversed_amount) == (1, D("50.00"))
        assert summary.net_amount == D("2079.75")
        assert {r.key: r.amount for r in summary.by_channel} == {
            "cash": D("150.00"),
            "upi_counter": D("250.50"),
            "partner": D("320.00"),
            "online": D("410.25"),
            "bank": D("999.00"),
        }
        assert by_office(summary) == {"DC-A": D("1349.50"), "DC-B": D("780.25")}
        for key in ("sub_a", "sub_b", "division"):
            office = two_subdivisions[key]
            assert collection_summary(
                principal=everyone, day=DAY, office=office
            ).amount == ledger_payments_total(principal=everyone, day=DAY, office=office)
        rolled = collection_summary(
            principal=everyone, day=DAY, office=two_subdivisions["division"], level=OfficeLevel.SUBDIVISION
        )
        assert by_office(rolled) == {"SUB-A": D("1349.50"), "SUB-B": D("780.25")}
        up = collection_summary(principal=everyone, day=DAY, level=OfficeLevel.DISCOM)
        assert by_office(up) == {two_subdivisions["discom"].code: D("2129.75")}
        # The sub-division's officer sees their own offices only.
        own = collection_summary(principal=two_subdivisions["sdo_a"], day=DAY)
        assert by_office(own) == {"DC-A": D("1349.50")}
        assert Payment.objects.filter(status=PaymentStatus.CANCELLED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_file_import_once(desk):
    from urja.testing import run_concurrently

    a = desk["consumer_a"]
    data = csv_bytes(*[f"U{i},{a.account_number},10.00,20-11-2026 10:00" for i in range(20)])
    results = run_concurrently(4, lambda i: upload(desk, data, name=f"f{i}.csv"))
    imported = [r for r in results if isinstance(r, SettlementFile)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(imported) == 1 and len(refused) == 3, results
    assert not Payment.objects.exists()
    approve(desk, imported[0])
    assert Payment.objects.filter(source="bank:SBI").count() == 20
    assert ledger_payments_total(principal=desk["checker"], day=DAY) == D("200.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_post_once(desk):
    from urja.testing import run_concurrently

    a, b = desk["consumer_a"], desk["consumer_b"]
    rows = [f"U{i},{(a if i % 2 else b).account_number},10.00,20-11-2026 10:00" for i in range(20)]
    settlement = upload(desk, csv_bytes(*rows))
    second = UserFactory(username="second_checker", role=Role.SYSTEM_ADMIN, office=None)
    approvers = [desk["checker"], second, desk["checker"], second]
    results = run_concurrently(
        4, lambda i: settlement_decide(file_id=settlement.pk, by=approvers[i], approve=True)
    )
    decided = [r for r in results if isinstance(r, SettlementFile)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(decided) == 1 and len(refused) == 3, results
    assert Payment.objects.count() == 20 and LedgerEntry.objects.count() == 20
    assert ledger_payments_total(principal=desk["checker"], day=DAY) == D("200.00")
    assert SettlementLine.objects.filter(file=settlement, status=MatchStatus.POSTED_LATE).count() == 20
    settlement.refresh_from_db()
    assert settlement.status == SettlementFileStatus.POSTED and settlement.decided_by == decided[0].decided_by


@pytest.mark.django_db
def test_the_demo_registers_its_bank_and_gateway_for_every_discom(two_subdivisions):
    from urja.demo.collections import demo_settlement_sources

    assert demo_settlement_sources() == 2 and demo_settlement_sources() == 0
    code = two_subdivisions["discom"].code
    sources = {s.code: s.source for s in SettlementSource.objects.all()}
    assert sources == {f"SBI-{code}": "bank:SBI", f"SANDBOX-{code}": "gateway:sandbox"}
