import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from urja.customers.models import Consumer, ConsumerChange
from urja.customers.services import kyc_hash
from urja.domain import account_number as acct
from urja.legacy_import import consumers as importers
from urja.metering.models import Meter, MeterInstallation
from urja.org.choices import OfficeLevel
from urja.testing import ConsumerFactory, OfficeFactory, TransformerFactory, office_chain

pytestmark = pytest.mark.django_db

SAMPLE = Path(importers.__file__).parent / "fixtures" / "sample_consumers.csv"


@pytest.fixture
def lko():
    """The offices and DTs the sample file names: DC LKO-DC under sub-division LKO-SUB."""
    chain = office_chain("LKO")
    dc = chain[OfficeLevel.DC]
    TransformerFactory(code="LKO-DT-001", office=dc)
    TransformerFactory(code="LKO-DT-002", office=chain[OfficeLevel.SUBDIVISION])
    return chain


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(tmp_path, rows, columns=None, name="legacy.csv") -> Path:
    columns = columns or list(rows[0])
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_errors(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def errors_path(path: Path) -> Path:
    return path.with_name(path.stem + ".errors.csv")


def run(path, *args, **options):
    call_command("import", "consumers", str(path), *args, **options)


def test_sample_file_imports(lko, tmp_path):
    path = write_csv(tmp_path, sample_rows())
    run(path)

    assert Consumer.objects.count() == 15
    assert (
        ConsumerChange.objects.filter(field="*", source="import", reason="legacy import legacy.csv").count()
        == 15
    )
    ram = Consumer.objects.get(account_number="4100000019")
    assert ram.name_hi == "राम प्रसाद यादव"
    assert ram.office == lko[OfficeLevel.DC] and ram.dt.code == "LKO-DT-001"
    assert ram.kyc_number_masked == "XXXXXX4567" and ram.kyc_number_hash == kyc_hash("XUP1234567")
    arif = Consumer.objects.get(account_number="4100000088")
    assert arif.connection_date == datetime.date(2011, 8, 3)  # DD/MM/YYYY
    assert arif.mobile == "9839054321"
    assert Consumer.objects.get(account_number="4100000026").connection_date == datetime.date(2015, 6, 15)
    assert Consumer.objects.get(account_number="4100000090").status == "td"
    assert Consumer.objects.get(account_number="4100000035").status == "active"  # "live"
    assert Consumer.objects.get(account_number="4100000128").sanctioned_load == Decimal("2.5")
    # 12 metered rows carry a meter; the unmetered and the PD consumer have none.
    assert MeterInstallation.objects.filter(removed_on__isnull=True).count() == 12
    installation = MeterInstallation.objects.get(meter__serial="LKOM100006")
    assert installation.consumer == arif and installation.initial_reading == Decimal("18765")
    assert Meter.objects.get(serial="LKOM100004").phase == 3
    assert Meter.objects.get(serial="LKOM100006").office == arif.office  # held by the connection's office
    assert read_errors(errors_path(path)) == []


def test_reimport_creates_no_duplicates(lko, tmp_path, capsys):
    path = write_csv(tmp_path, sample_rows())
    run(path)
    history = ConsumerChange.objects.count()
    run(path)
    assert Consumer.objects.count() == 15
    assert MeterInstallation.objects.count() == 12 and Meter.objects.count() == 12
    assert ConsumerChange.objects.count() == history
    assert "0 created, 0 updated, 15 unchanged, 0 invalid" in capsys.readouterr().out


def test_changed_row_is_updated_with_history(lko, tmp_path, capsys):
    rows = sample_rows()
    run(write_csv(tmp_path, rows))
    rows[0]["sanctioned_load"] = "3.5"
    rows[0]["village_town"] = "Kapoorthala"
    path = write_csv(tmp_path, rows, name="second.csv")
    run(path)

    assert "0 created, 1 updated, 14 unchanged" in capsys.readouterr().out
    consumer = Consumer.objects.get(account_number="4100000019")
    assert consumer.sanctioned_load == Decimal("3.5")
    change = ConsumerChange.objects.get(consumer=consumer, field="sanctioned_load")
    assert (change.old_value, change.new_value, change.source, change.reason) == (
        "2.00",
        "3.5",
        "import",
        "legacy import second.csv",
    )
    assert ConsumerChange.objects.filter(consumer=consumer, field="village_town").exists()


def test_meter_installed_on_existing_consumer_without_one(lko, tmp_path):
    rows = sample_rows()[:1]
    consumer = ConsumerFactory(
        account_number=rows[0]["account_number"], office=lko[OfficeLevel.DC], name=rows[0]["name"]
    )
    run(write_csv(tmp_path, rows))
    installation = MeterInstallation.objects.get(consumer=consumer)
    assert installation.meter.serial == "LKOM100001" and installation.installed_on == datetime.date(
        2019, 3, 1
    )
    assert ConsumerChange.objects.filter(consumer=consumer, field="meter", new_value="LKOM100001").exists()


def test_a_stock_meter_installed_by_import_moves_to_the_connections_office(lko, tmp_path):
    from urja.metering.models import MeterChange

    rows = sample_rows()[:1]
    store = lko[OfficeLevel.DIVISION]
    meter = Meter.objects.create(serial=rows[0]["meter_serial"], office=store)
    run(write_csv(tmp_path, rows))
    meter.refresh_from_db()
    consumer = Consumer.objects.get(account_number=rows[0]["account_number"])
    assert meter.office == consumer.office
    change = MeterChange.objects.get(meter=meter)
    assert (change.field, change.old_value, change.new_value) == ("office", store.code, consumer.office.code)


def test_bad_check_digit_changes_nothing(lko, tmp_path):
    rows = sample_rows()
    rows[2]["account_number"] = "4100000036"  # last digit mistyped
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path)

    assert (
        not Consumer.objects.exists() and not Meter.objects.exists() and not ConsumerChange.objects.exists()
    )
    assert read_errors(errors_path(path)) == [
        {
            "line": "4",
            "column": "account_number",
            "value": "4100000036",
            "reason": "The account number's check digit does not match: please check for a typing error.",
        }
    ]


def test_skip_invalid_imports_the_good_rows(lko, tmp_path, capsys):
    rows = sample_rows()
    rows[2]["account_number"] = "4100000036"
    rows[5]["mobile"] = "12345"
    path = write_csv(tmp_path, rows)
    report = tmp_path / "report.csv"
    run(path, "--skip-invalid", "--errors-file", str(report))

    assert Consumer.objects.count() == 13
    assert not Consumer.objects.filter(account_number__in=["4100000036", rows[5]["account_number"]]).exists()
    assert [(e["line"], e["column"]) for e in read_errors(report)] == [
        ("4", "account_number"),
        ("7", "mobile"),
    ]
    assert "13 created, 0 updated, 0 unchanged, 2 invalid" in capsys.readouterr().out
    assert not errors_path(path).exists()


def test_every_bad_row_is_reported(lko, tmp_path):
    rows = sample_rows()
    rows[0]["pincode"] = "0226"
    rows[14]["connection_date"] = "31-02-2018"
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    assert [(e["line"], e["column"]) for e in read_errors(errors_path(path))] == [
        ("2", "pincode"),
        ("16", "connection_date"),
    ]


def test_missing_column_is_a_file_error(lko, tmp_path):
    columns = [c for c in sample_rows()[0] if c not in ("category", "office_code")]
    path = write_csv(tmp_path, sample_rows(), columns=columns)
    with pytest.raises(CommandError, match="cannot be imported"):
        run(path)
    errors = read_errors(errors_path(path))
    assert len(errors) == 1 and errors[0]["line"] == "1"
    assert errors[0]["reason"] == "The header lacks required column(s): category, office_code."
    assert not Consumer.objects.exists()


def test_unknown_column_is_a_file_error(lko, tmp_path):
    rows = [dict(r, tariff_code="X") for r in sample_rows()]
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    assert [(e["column"], e["reason"][:24]) for e in read_errors(errors_path(path))] == [
        ("tariff_code", "This is not a known colu")
    ]


def test_optional_columns_may_be_left_out(lko, tmp_path):
    path = write_csv(tmp_path, sample_rows(), columns=list(importers.REQUIRED_COLUMNS))
    run(path)
    consumer = Consumer.objects.get(account_number="4100000042")
    assert (consumer.status, consumer.phase, consumer.mobile, consumer.dt) == ("active", 1, "", None)


@pytest.mark.parametrize(
    ("column", "value", "reported", "shown", "reason"),
    [
        ("mobile", "5415012345", "mobile", "XXXXXX2345", "An Indian mobile number starts with 6, 7, 8 or 9."),
        ("connection_date", "2012/04/15", "connection_date", "2012/04/15", "This is not a valid date"),
        ("connection_date", "2099-01-01", "connection_date", "2099-01-01", "The date is in the future."),
        ("office_code", "NOPE-DC", "office_code", "NOPE-DC", "There is no office with this code."),
        (
            "office_code",
            "LKO-SUB",
            "office_code",
            "LKO-SUB",
            "This office is a sub-division; a consumer belongs to a distribution centre.",
        ),
        ("category", "LMV99", "category", "LMV99", "This is not a known tariff category"),
        (
            "sanctioned_load",
            "2.555",
            "sanctioned_load",
            "2.555",
            "Ensure that there are no more than 2 decimal places.",
        ),
        (
            "sanctioned_load",
            "1,000",
            "sanctioned_load",
            "1,000",
            "Write the sanctioned load without thousands separators",
        ),
        ("sanctioned_load", "0", "sanctioned_load", "0", "The sanctioned load must be more than zero."),
        ("load_unit", "HPX", "load_unit", "HPX", "This is not a known load unit"),
        (
            "dt_code",
            "NO-SUCH-DT",
            "dt_code",
            "NO-SUCH-DT",
            "There is no distribution transformer with this code.",
        ),
        ("kyc_number", "12", "kyc_number", "12", "A KYC number has 4 to 24 letters and digits."),
        ("area_type", "rural", "category", "LMV1-URBAN", "An urban category needs area_type urban."),
        ("supply_voltage", "415V", "phase", "1", "A 415V supply is three phase."),
        ("email", "not-an-email", "email", "not-an-email", "Enter a valid email address."),
        ("name", "", "name", "", "A value is required in this column."),
        (
            "meter_initial_reading",
            "1000000",
            "meter_initial_reading",
            "1000000",
            "A 6-digit meter cannot show this reading.",
        ),
    ],
)
def test_bad_values_are_reported(lko, tmp_path, column, value, reported, shown, reason):
    rows = sample_rows()[:2]
    rows[0][column] = value
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    errors = read_errors(errors_path(path))
    assert [(e["line"], e["column"], e["value"]) for e in errors] == [("2", reported, shown)]
    assert errors[0]["reason"].startswith(reason)
    assert not Consumer.objects.exists()


def test_kyc_number_is_masked_in_the_errors_file(lko, tmp_path):
    rows = sample_rows()[:1]
    rows[0]["kyc_document"] = "aadhaar"
    rows[0]["kyc_number"] = "234567890123"  # 12 digits, wrong check digit
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    (error,) = read_errors(errors_path(path))
    assert (
        error["column"] == "kyc_number"
        and error["value"] == "XXXX-XXXX-0123"
        and "Aadhaar" in error["reason"]
    )


def test_valid_aadhaar_is_stored_masked(lko, tmp_path):
    payload = "23456789012"
    aadhaar = payload + str(acct.check_digit(payload))
    rows = sample_rows()[:1]
    rows[0]["kyc_document"] = "Aadhar"
    rows[0]["kyc_number"] = f"{aadhaar[:4]} {aadhaar[4:8]} {aadhaar[8:]}"
    run(write_csv(tmp_path, rows))
    consumer = Consumer.objects.get()
    assert consumer.kyc_document == "aadhaar" and consumer.kyc_number_masked == f"XXXX-XXXX-{aadhaar[-4:]}"
    assert aadhaar not in str(Consumer.objects.values().get())


def test_duplicate_account_in_file(lko, tmp_path):
    rows = sample_rows()[:3]
    rows[2]["account_number"] = rows[0]["account_number"]
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    assert read_errors(errors_path(path)) == [
        {
            "line": "4",
            "column": "account_number",
            "value": "4100000019",
            "reason": "This account number is also on line 2.",
        }
    ]


def test_meter_on_another_consumer(lko, tmp_path):
    rows = sample_rows()[:1]
    other = ConsumerFactory(office=lko[OfficeLevel.DC])
    meter = Meter.objects.create(serial="LKOM100001")
    MeterInstallation.objects.create(consumer=other, meter=meter, installed_on=datetime.date(2020, 1, 1))
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    (error,) = read_errors(errors_path(path))
    assert (
        error["column"] == "meter_serial"
        and error["reason"] == f"This meter is installed at consumer {other.account_number}."
    )


def test_unmetered_category_with_meter(lko, tmp_path):
    rows = sample_rows()[2:3]
    rows[0]["meter_serial"] = "LKOM999999"
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    (error,) = read_errors(errors_path(path))
    assert error["column"] == "meter_serial" and "unmetered" in error["reason"]


def test_dt_must_be_in_the_consumers_sub_division(lko, tmp_path):
    other_sub = OfficeFactory(code="OTH-SUB", level=OfficeLevel.SUBDIVISION, parent=lko[OfficeLevel.DIVISION])
    TransformerFactory(code="OTH-DT-1", office=other_sub)
    rows = sample_rows()[:1]
    rows[0]["dt_code"] = "OTH-DT-1"
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    (error,) = read_errors(errors_path(path))
    assert error["column"] == "dt_code" and "outside the sub-division" in error["reason"]


def test_dry_run_writes_nothing(lko, tmp_path, capsys):
    run(write_csv(tmp_path, sample_rows()), "--dry-run")
    assert not Consumer.objects.exists() and not Meter.objects.exists()
    out = capsys.readouterr().out
    assert "15 would be created" in out and "Dry run" in out


def test_bom_crlf_and_small_batches(lko, tmp_path):
    path = tmp_path / "excel.csv"
    text = SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes("\ufeff".encode() + text.encode())
    result = importers.import_consumers(path, batch_size=4)
    assert (result.rows_read, result.created, result.invalid) == (15, 15, 0)
    assert MeterInstallation.objects.count() == 12
    again = importers.import_consumers(path, batch_size=4)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)


def test_line_numbers_count_physical_lines(lko, tmp_path):
    rows = sample_rows()[:3]
    rows[0]["address"] = "House 12,\nGali 3"  # a quoted field over two lines
    rows[2]["mobile"] = "99"
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    assert [e["line"] for e in read_errors(errors_path(path))] == ["5"]


def test_not_utf8_line_is_reported_with_its_number(lko, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(
        SAMPLE.read_bytes().split(b"\n")[0] + b"\n" + "4100000019,Ram Pras\xe4d\n".encode("latin-1")
    )
    with pytest.raises(CommandError):
        run(path)
    (error,) = read_errors(errors_path(path))
    assert error["line"] == "2" and "UTF-8" in error["reason"]


def test_duplicate_of_an_invalid_row_is_reported_too(lko, tmp_path):
    rows = sample_rows()[:2]
    rows[1]["account_number"] = rows[0]["account_number"]
    rows[0]["pincode"] = "1"
    path = write_csv(tmp_path, rows)
    run(path, "--skip-invalid")
    assert [(e["line"], e["column"]) for e in read_errors(errors_path(path))] == [
        ("2", "pincode"),
        ("3", "account_number"),
    ]
    assert not Consumer.objects.exists()


def test_duplicate_meter_serial_in_file(lko, tmp_path):
    rows = sample_rows()[:2]
    rows[1]["meter_serial"] = rows[0]["meter_serial"]
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    (error,) = read_errors(errors_path(path))
    assert (error["line"], error["column"], error["reason"]) == (
        "3",
        "meter_serial",
        "This meter serial number is also on line 2.",
    )


def test_meter_change_is_not_made_by_import(lko, tmp_path):
    rows = sample_rows()[:1]
    run(write_csv(tmp_path, rows))
    rows[0]["meter_serial"] = "LKOM777777"
    path = write_csv(tmp_path, rows, name="again.csv")
    with pytest.raises(CommandError):
        run(path)
    (error,) = read_errors(errors_path(path))
    assert error["column"] == "meter_serial" and "has meter LKOM100001 installed" in error["reason"]


def test_meter_detail_without_serial(lko, tmp_path):
    rows = sample_rows()[:1]
    rows[0]["meter_serial"] = ""
    path = write_csv(tmp_path, rows)
    with pytest.raises(CommandError):
        run(path)
    assert {e["column"] for e in read_errors(errors_path(path))} == {
        "meter_make",
        "meter_digits",
        "meter_initial_reading",
        "meter_installed_on",
    }


def test_new_kyc_number_with_the_same_last_digits_is_kept(lko, tmp_path):
    rows = sample_rows()[:1]
    run(write_csv(tmp_path, rows))
    rows[0]["kyc_number"] = "ABC0004567"  # masks the same as XUP1234567
    run(write_csv(tmp_path, rows, name="again.csv"))
    consumer = Consumer.objects.get()
    assert consumer.kyc_number_hash == kyc_hash("ABC0004567") and consumer.kyc_number_masked == "XXXXXX4567"
    assert ConsumerChange.objects.filter(
        consumer=consumer, field="kyc_number_masked", source="import"
    ).exists()


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run(tmp_path / "nope.csv")


# --- hostile values: one bad line is reported and never stops the others being checked -------------

DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
HOSTILE = [
    "1e309",
    "NaN",
    "-Infinity",
    "a\x00b",
    "\x00",
    "²",
    "१२३",
    "１２",
    "0001-01-01",
    "9999-12-31",
    "x" * 5000,
    "9" * 5000,  # beyond int()'s 4300 digits
]


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:12]))
def test_a_hostile_value_in_any_column_is_reported_on_its_line(lko, tmp_path, value):
    """One row per column with `value` in that column, then a good row: every row is checked (no
    crash, no file error), the good one is imported with --skip-invalid, nothing with a NUL or
    another script's digits is stored."""
    base = sample_rows()
    rows = []
    for position, column in enumerate(importers.COLUMNS):
        row = dict(base[position % 14])
        row["account_number"] = acct.make(4, 50_000_000 + position)
        row["meter_serial"] = f"HOSTILE{position}" if row["meter_serial"] else ""
        row[column] = value
        rows.append(row)
    rows.append(base[14])
    path = write_csv(tmp_path, rows)
    result = importers.import_consumers(path, skip_invalid=True)
    assert not result.file_errors
    assert result.rows_read == len(rows)
    errors = read_errors(errors_path(path))
    reported = {(int(e["line"]), e["column"]) for e in errors}
    assert {line for line, _ in reported} <= set(range(2, len(rows) + 1))
    assert len(rows) + 1 not in {line for line, _ in reported}  # the good last row
    assert Consumer.objects.filter(account_number=base[14]["account_number"]).exists()
    for line, column in enumerate(importers.COLUMNS, start=2):
        if "\x00" in value or len(value) > 300:
            assert (line, column) in reported, f"{column} took {value[:20]!r}"
    for consumer in Consumer.objects.all():
        for name in ("account_number", "mobile", "pincode"):
            assert getattr(consumer, name).isascii()
        assert "\x00" not in str(Consumer.objects.filter(pk=consumer.pk).values().get())


def test_numbers_in_devanagari_digits_are_imported_in_ascii(lko, tmp_path):
    rows = sample_rows()[:1]
    row = rows[0]
    for column in ("account_number", "pincode", "mobile", "sanctioned_load", "security_deposit",
                   "latitude", "longitude", "meter_digits", "meter_initial_reading", "kyc_number"):  # fmt: skip
        row[column] = row[column].translate(DEVANAGARI)
    path = write_csv(tmp_path, rows)
    run(path)
    consumer = Consumer.objects.get()
    original = sample_rows()[0]
    assert consumer.account_number == original["account_number"]
    assert (consumer.pincode, consumer.mobile) == (original["pincode"], original["mobile"])
    assert consumer.sanctioned_load == Decimal(original["sanctioned_load"])
    assert consumer.kyc_number_hash == kyc_hash(original["kyc_number"])


def test_an_account_number_repeated_in_another_script_is_a_duplicate(lko, tmp_path):
    rows = sample_rows()[:2]
    rows[1]["account_number"] = rows[0]["account_number"].translate(DEVANAGARI)
    path = write_csv(tmp_path, rows)
    run(path, "--skip-invalid")
    errors = read_errors(errors_path(path))
    assert [(e["line"], e["column"], e["value"]) for e in errors] == [
        ("3", "account_number", rows[1]["account_number"])  # shown as typed
    ]
    assert "also on line 2" in errors[0]["reason"]
    assert Consumer.objects.count() == 1


def test_an_existing_account_in_another_script_is_updated_not_duplicated(lko, tmp_path):
    rows = sample_rows()[:1]
    run(write_csv(tmp_path, rows))
    rows[0]["account_number"] = rows[0]["account_number"].translate(DEVANAGARI)
    rows[0]["village_town"] = "Gomti Nagar"
    result = importers.import_consumers(write_csv(tmp_path, rows, name="again.csv"))
    assert (result.created, result.updated) == (0, 1)
    assert Consumer.objects.get().village_town == "Gomti Nagar"


def test_a_line_that_is_not_utf8_does_not_stop_the_other_lines_being_checked(lko, tmp_path):
    rows = sample_rows()[:3]
    rows[2]["mobile"] = "99"
    path = write_csv(tmp_path, rows)
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"Ram Prasad", "Ram Pras\xe4d".encode("latin-1"))
    path.write_bytes(b"\n".join(lines))
    result = importers.import_consumers(path, skip_invalid=True)
    assert not result.file_errors
    errors = read_errors(errors_path(path))
    assert [(e["line"], e["column"]) for e in errors] == [("2", ""), ("4", "mobile")]
    assert "UTF-8" in errors[0]["reason"]
    assert list(Consumer.objects.values_list("account_number", flat=True)) == [rows[1]["account_number"]]


def test_a_field_beyond_the_csv_limit_does_not_stop_the_other_lines_being_checked(lko, tmp_path):
    rows = sample_rows()[:3]
    rows[0]["address"] = "x" * 200_000
    rows[2]["mobile"] = "99"
    path = write_csv(tmp_path, rows)
    result = importers.import_consumers(path, skip_invalid=True)
    assert not result.file_errors
    errors = read_errors(errors_path(path))
    assert [(e["line"], e["column"]) for e in errors] == [("2", ""), ("4", "mobile")]
    assert Consumer.objects.count() == 1
