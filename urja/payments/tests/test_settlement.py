import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from urja.common import clock
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.org.choices import OfficeLevel, Role
from urja.payments.choices import Channel, MatchStatus, PaymentStatus
from urja.payments.models import Payment, SettlementFile, SettlementLine
from urja.payments.services import payment_cancel, payment_post
from urja.payments.settlement import (
    collection_summary,
    ledger_payments_total,
    parse_paid_at,
    settlement_day_report,
    settlement_import,
    settlement_source,
)
from urja.testing import UserFactory

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


@pytest.fixture
def bank_day(two_subdivisions):
    a, b = two_subdivisions["consumer_a"], two_subdivisions["consumer_b"]
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
    payment_cancel(payment=cancelled, by=two_subdivisions["sdo_b"], reason="wrong account")
    post(a, "99.00", "UTR1", source="bank:HDFC")  # another bank's reference space
    return two_subdivisions


def the_file(a, b):
    return csv_bytes(
        f"UTR1,{a.account_number},500.00,20-11-2026 10:00,2026-11-21,NEFT",
        f"UTR2,{a.account_number},300.00,2026-11-20T12:30:00,,",  # not in Urja → posted late
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
        settlement = settlement_import(data=the_file(a, b), file_name="sbi-20.csv", source_name="SBI")
        summary = settlement.summary
        counts = {s: v["count"] for s, v in summary["by_status"].items()}
        amounts = {s: D(v["amount"]) for s, v in summary["by_status"].items()}
        assert counts == {
            MatchStatus.MATCHED: 1,
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
        assert settlement.lines_total == 7 and settlement.amount_total == D("1650.00")
        file_statuses = [s for s in counts if s != MatchStatus.MISSING_IN_FILE]
        assert sum(counts[s] for s in file_statuses) == summary["file"]["lines"]
        assert sum(amounts[s] for s in file_statuses) == D(summary["file"]["amount"])
        # Urja's side: matched + late + mismatch at Urja's amount + missing.
        assert summary["urja"] == {"payments": 4, "amount": "1075.00"}
        assert summary["mismatch_difference"] == "50.00"
        assert SettlementLine.objects.filter(file=settlement).count() == 8

    def test_late_posting_and_lines(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        settlement = settlement_import(data=the_file(a, b), file_name="sbi-20.csv", source_name="bank:SBI")
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
        settlement_import(data=data, file_name="sbi-20.csv", source_name="SBI")
        before = (Payment.objects.count(), LedgerEntry.objects.count(), SettlementLine.objects.count())
        with pytest.raises(ValidationError, match="already imported"):
            settlement_import(data=data, file_name="renamed.csv", source_name="bank:SBI")
        assert (
            Payment.objects.count(),
            LedgerEntry.objects.count(),
            SettlementLine.objects.count(),
        ) == before
        assert SettlementFile.objects.count() == 1
        # The same bytes from another source are another file.
        settlement_import(data=data, file_name="sbi-20.csv", source_name="HDFC")
        assert SettlementFile.objects.count() == 2

    def test_second_overlapping_file_matches_what_the_first_posted_late(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        settlement_import(data=the_file(a, b), file_name="one.csv", source_name="SBI")
        again = settlement_import(
            data=csv_bytes(f"UTR2,{a.account_number},300.00,20-11-2026 12:30"),
            file_name="two.csv",
            source_name="SBI",
        )
        assert again.summary["by_status"][MatchStatus.MATCHED]["count"] == 1
        assert Payment.objects.filter(source="bank:SBI", reference="UTR2").count() == 1

    def test_reference_of_another_account_is_invalid(self, bank_day):
        a = bank_day["consumer_a"]
        settlement = settlement_import(
            data=csv_bytes(
                f"UTR3,{a.account_number},200.00,20-11-2026 11:00",
                header="reference,account_number,amount,paid_at",
            ),
            file_name="x.csv",
            source_name="SBI",
        )
        line = settlement.lines.get(line_number=2)
        assert line.status == MatchStatus.INVALID and "already posted to account" in line.note

    def test_importer_needs_supervisor_capability(self, two_subdivisions):
        a = two_subdivisions["consumer_a"]
        data = csv_bytes(f"X1,{a.account_number},120.00,20-11-2026 09:00")
        with pytest.raises(PermissionDenied):
            settlement_import(data=data, file_name="x.csv", source_name="SBI", by=two_subdivisions["je_a"])
        settlement = settlement_import(
            data=data, file_name="x.csv", source_name="SBI", by=two_subdivisions["sdo_a"]
        )
        assert settlement.imported_by == two_subdivisions["sdo_a"]
        assert Payment.objects.get(reference="X1").posted_by == two_subdivisions["sdo_a"]

    def test_gateway_source_posts_online(self, two_subdivisions):
        a = two_subdivisions["consumer_a"]
        settlement_import(
            data=csv_bytes(f"pay_1,{a.account_number},120.00,2026-11-20 09:00:00+05:30"),
            file_name="gw.csv",
            source_name="gateway:sandbox",
        )
        payment = Payment.objects.get(source="gateway:sandbox", reference="pay_1")
        assert payment.channel == Channel.ONLINE and payment.late

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"reference,amount,paid_at\nX,1,20-11-2026 10:00\n", "account_number"),
            (b"reference,account_number,amount,paid_at\n", "no lines"),
            (b"\xff\xfe\x00bad", "UTF-8"),
        ],
    )
    def test_unreadable_file_refused_nothing_stored(self, two_subdivisions, data, message):
        with pytest.raises(ValidationError, match=message):
            settlement_import(data=data, file_name="bad.csv", source_name="SBI")
        assert not SettlementFile.objects.exists() and not Payment.objects.exists()

    @pytest.mark.parametrize("name", ["partner:1", "", "bank:", "counter:C1", "bank:S B I"])
    def test_bad_source_refused(self, name):
        with pytest.raises(ValidationError):
            settlement_source(name)

    def test_source_names(self):
        assert settlement_source("SBI") == ("bank:SBI", "bank")
        assert settlement_source("bank:SBI") == ("bank:SBI", "bank")
        assert settlement_source("gateway:sandbox") == ("gateway:sandbox", "online")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("20-11-2026 10:15", at(DAY, 10, 15)),
            ("2026-11-20T10:15:00", at(DAY, 10, 15)),
            ("2026-11-20 04:45:00+00:00", at(DAY, 10, 15)),
        ],
    )
    def test_paid_at_formats(self, text, expected):
        assert parse_paid_at(text) == expected

    @pytest.mark.parametrize("text", ["2026-11-20", "20/11/2026 10:00", "", "yesterday"])
    def test_paid_at_refused(self, text):
        with pytest.raises(ValueError):
            parse_paid_at(text)


@pytest.mark.django_db
class TestReports:
    def test_day_report_per_source(self, bank_day):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        settlement_import(data=the_file(a, b), file_name="sbi.csv", source_name="SBI")
        rows = {r.source: r for r in settlement_day_report(DAY)}
        sbi = rows["bank:SBI"]
        # Standing payments that day: UTR1 500, UTR3 200, UTR6 75, UTR2 300 (late) = 1075.
        assert (sbi.payments, sbi.amount) == (4, D("1075.00"))
        assert sbi.statuses[MatchStatus.MATCHED] == {"count": 1, "amount": D("500.00")}
        assert sbi.statuses[MatchStatus.POSTED_LATE] == {"count": 1, "amount": D("300.00")}
        assert sbi.statuses[MatchStatus.MISSING_IN_FILE] == {"count": 1, "amount": D("75.00")}
        assert sbi.statuses[MatchStatus.AMOUNT_MISMATCH] == {"count": 1, "amount": D("250.00")}
        assert (sbi.not_in_any_file, sbi.not_in_any_file_amount) == (1, D("75.00"))
        hdfc = rows["bank:HDFC"]  # no file yet
        assert (hdfc.payments, hdfc.not_in_any_file, hdfc.files) == (1, 1, [])

    def test_commands_import_and_report(self, bank_day, tmp_path):
        a, b = bank_day["consumer_a"], bank_day["consumer_b"]
        path = tmp_path / "sbi.csv"
        path.write_bytes(the_file(a, b))
        out = StringIO()
        call_command("payments", "import", str(path), "--source", "SBI", stdout=out)
        text = out.getvalue()
        assert "bank:SBI" in text and "posted late" in text and "file total" in text and "1650.00" in text
        with pytest.raises(CommandError, match="already imported"):
            call_command("payments", "import", str(path), "--source", "SBI", stdout=StringIO())
        out = StringIO()
        call_command("payments", "report", "--date", DAY.isoformat(), stdout=out)
        assert "bank:SBI: 4 payments in Urja, 1075.00" in out.getvalue()
        with pytest.raises(CommandError):
            call_command("payments", "report", "--date", "20-11-2026", stdout=StringIO())


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

        summary = collection_summary(DAY)
        assert summary.amount == ledger_payments_total(DAY) == D("2129.75")
        assert (summary.reversed_count, summary.reversed_amount) == (1, D("50.00"))
        assert summary.net_amount == D("2079.75")
        assert summary.by_channel() == {
            "cash": D("150.00"),
            "upi_counter": D("250.50"),
            "partner": D("320.00"),
            "online": D("410.25"),
            "bank": D("999.00"),
        }
        assert summary.by_office() == {"DC-A": D("1349.50"), "DC-B": D("780.25")}
        for key in ("sub_a", "sub_b", "division"):
            office = two_subdivisions[key]
            assert collection_summary(DAY, office=office).amount == ledger_payments_total(DAY, office=office)
        rolled = collection_summary(DAY, office=two_subdivisions["division"], level=OfficeLevel.SUBDIVISION)
        assert rolled.by_office() == {"SUB-A": D("1349.50"), "SUB-B": D("780.25")}
        up = collection_summary(DAY, level=OfficeLevel.DISCOM)
        assert up.by_office() == {two_subdivisions["discom"].code: D("2129.75")}
        assert Payment.objects.filter(status=PaymentStatus.CANCELLED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_file_import_once(two_subdivisions):
    from urja.testing import run_concurrently

    a = two_subdivisions["consumer_a"]
    data = csv_bytes(*[f"U{i},{a.account_number},10.00,20-11-2026 10:00" for i in range(20)])
    results = run_concurrently(
        4, lambda i: settlement_import(data=data, file_name=f"f{i}.csv", source_name="SBI")
    )
    imported = [r for r in results if isinstance(r, SettlementFile)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(imported) == 1 and len(refused) == 3, results
    assert Payment.objects.filter(source="bank:SBI").count() == 20
    assert ledger_payments_total(DAY) == D("200.00")
