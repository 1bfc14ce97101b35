"""Legacy import of consumers from an old billing system's CSV export (`urja import consumers`).

The file is read as a stream and handled in chunks: each row is parsed and checked on its own (formats,
choices, the office), then a chunk of rows is checked against the database in a few queries (existing
consumers, distribution transformers, meters) and written: new consumers in bulk, changed ones through
`consumer_update` so the history records them. The whole import is one transaction; a file with any
error is rolled back unless `skip_invalid` is given. A bad line (a value that cannot be taken, a line
that is not UTF-8 or not CSV) is reported with its line number and never stops the other lines being
checked; only an unreadable header stops the import. The columns and rules are documented in
docs/import-consumers.md — keep the two in step.
"""

from __future__ import annotations

import copy
import csv
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from urja.common import clock
from urja.customers.choices import (
    UNMETERED_CATEGORIES,
    AreaType,
    ConsumerStatus,
    KycDocument,
    LoadUnit,
    Phase,
    SupplyVoltage,
    TariffCategory,
)
from urja.customers.models import Consumer, ConsumerChange
from urja.customers.services import consumer_update, kyc_hash
from urja.domain import account_number as acct
from urja.domain import mobile as mob
from urja.domain.inputs import ascii_digits, is_ascii_digits
from urja.metering.models import Meter, MeterChange, MeterInstallation
from urja.network.models import DistributionTransformer
from urja.org.choices import OfficeLevel
from urja.org.models import Office

# Columns in the documented order. A required column must be in the header and have a value in every row.
COLUMNS = (
    "account_number",
    "name",
    "name_hi",
    "father_husband_name",
    "address",
    "village_town",
    "district",
    "pincode",
    "area_type",
    "mobile",
    "email",
    "category",
    "sanctioned_load",
    "load_unit",
    "phase",
    "supply_voltage",
    "connection_date",
    "status",
    "security_deposit",
    "kyc_document",
    "kyc_number",
    "latitude",
    "longitude",
    "office_code",
    "dt_code",
    "meter_serial",
    "meter_make",
    "meter_digits",
    "meter_initial_reading",
    "meter_installed_on",
)
REQUIRED_COLUMNS = (
    "account_number",
    "name",
    "address",
    "village_town",
    "district",
    "area_type",
    "category",
    "sanctioned_load",
    "load_unit",
    "connection_date",
    "office_code",
)
METER_COLUMNS = ("meter_serial", "meter_make", "meter_digits", "meter_initial_reading", "meter_installed_on")
ERRORS_FILE_COLUMNS = ("line", "column", "value", "reason")
BATCH_SIZE = 1000

# Consumer fields that are plain text, copied from the column of the same name.
_TEXT_FIELDS = ("name", "name_hi", "father_husband_name", "address", "village_town", "district", "email")
# Where a model validation error on a field is reported: the column the value came from.
_FIELD_COLUMN = {"office": "office_code", "dt": "dt_code", "kyc_number_masked": "kyc_number", "__all__": ""}
_METER_FIELD_COLUMN = {
    "serial": "meter_serial",
    "make": "meter_make",
    "digits": "meter_digits",
    "installed_on": "meter_installed_on",
    "initial_reading": "meter_initial_reading",
    "__all__": "meter_serial",
}
_MASKED_COLUMNS = {"mobile": mob.mask, "kyc_number": mob.mask_document}
_COLUMN_ORDER = {name: i for i, name in enumerate(COLUMNS)}

# Legacy spellings accepted besides the codes themselves (matched case-insensitively, spaces, dots,
# dashes and underscores ignored).
_AREA_TYPES = {"rural": AreaType.RURAL, "r": AreaType.RURAL, "urban": AreaType.URBAN, "u": AreaType.URBAN}
_LOAD_UNITS = {"kw": LoadUnit.KW, "kva": LoadUnit.KVA, "bhp": LoadUnit.BHP, "hp": LoadUnit.BHP}
_PHASES = {
    "1": Phase.SINGLE,
    "1ph": Phase.SINGLE,
    "single": Phase.SINGLE,
    "3": Phase.THREE,
    "3ph": Phase.THREE,
    "three": Phase.THREE,
}
_VOLTAGES = {
    "230v": SupplyVoltage.LT_230V,
    "230": SupplyVoltage.LT_230V,
    "415v": SupplyVoltage.LT_415V,
    "415": SupplyVoltage.LT_415V,
    "11kv": SupplyVoltage.HT_11KV,
}
_STATUSES = {
    "active": ConsumerStatus.ACTIVE,
    "a": ConsumerStatus.ACTIVE,
    "live": ConsumerStatus.ACTIVE,
    "connected": ConsumerStatus.ACTIVE,
    "td": ConsumerStatus.TEMP_DISCONNECTED,
    "tdco": ConsumerStatus.TEMP_DISCONNECTED,
    "disconnected": ConsumerStatus.TEMP_DISCONNECTED,
    "temporarilydisconnected": ConsumerStatus.TEMP_DISCONNECTED,
    "pd": ConsumerStatus.PERM_DISCONNECTED,
    "pdco": ConsumerStatus.PERM_DISCONNECTED,
    "permanentlydisconnected": ConsumerStatus.PERM_DISCONNECTED,
}
_KYC_DOCUMENTS = {
    "aadhaar": KycDocument.AADHAAR,
    "aadhar": KycDocument.AADHAAR,
    "voter": KycDocument.VOTER_ID,
    "voterid": KycDocument.VOTER_ID,
    "epic": KycDocument.VOTER_ID,
    "pan": KycDocument.PAN,
    "ration": KycDocument.RATION_CARD,
    "rationcard": KycDocument.RATION_CARD,
    "other": KycDocument.OTHER,
}
_CATEGORIES = {c.value.replace("-", ""): c for c in TariffCategory}
# Columns holding a choice: (accepted spellings, what the value is, the codes to suggest, value of an
# empty cell).
_CHOICE_COLUMNS = {
    "area_type": (_AREA_TYPES, "area type", "rural, urban", None),
    "load_unit": (_LOAD_UNITS, "load unit", "kW, kVA, BHP", None),
    "phase": (_PHASES, "phase", "1, 3", Phase.SINGLE),
    "supply_voltage": (_VOLTAGES, "supply voltage", "230V, 415V, 11kV", SupplyVoltage.LT_230V),
    "status": (_STATUSES, "status", "active, td, pd", ConsumerStatus.ACTIVE),
}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
# Every value but free text is read with its digits in ASCII (Devanagari ०-९ and other scripts'
# digits are the same numbers, urja.domain.inputs), so the patterns below match ASCII digits only.
_DECIMAL_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$|^-?\.[0-9]+$")
_PAN_RE = re.compile(r"^[A-Z]{5}[0-9]{4}[A-Z]$")
_PINCODE_RE = re.compile(r"^[1-9][0-9]{5}$")
_NOT_UTF8 = "This line is not UTF-8 text; save the file as UTF-8 CSV."
_OLDEST_DATE = datetime.date(1900, 1, 1)


# --- results -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    value: str
    reason: str

    def sort_key(self) -> tuple[int, int]:
        return self.line, _COLUMN_ORDER.get(self.column, -1)


@dataclass
class ImportResult:
    path: Path
    errors_path: Path
    dry_run: bool = False
    skip_invalid: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    error_count: int = 0
    file_errors: list[RowError] = field(default_factory=list)
    first_errors: list[RowError] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or self.invalid > 0

    @property
    def written(self) -> bool:
        """Whether the database now holds the import's changes."""
        return not self.dry_run and not self.file_errors and (self.invalid == 0 or self.skip_invalid)


class _CellError(Exception):
    """A value that cannot be taken; the message says why, as a sentence."""


class _FileError(Exception):
    """The file cannot be read on: nothing is imported."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.reason)
        self.error = error


# --- parsing single values ----------------------------------------------------------------------------


def _key(raw: str) -> str:
    return re.sub(r"[\s._-]", "", raw).lower()


def _choice(raw: str, aliases: dict[str, Any], what: str, allowed: str) -> Any:
    try:
        return aliases[_key(raw)]
    except KeyError:
        raise _CellError(f"This is not a known {what}; use one of: {allowed}.")


def parse_decimal(raw: str, what: str = "number") -> Decimal:
    """A decimal written plainly ("2.5", "-0.75"): exact, never through float; no thousands separators,
    exponents or currency signs."""
    if "," in raw:
        raise _CellError(f"Write the {what} without thousands separators, e.g. 100000.00.")
    if not _DECIMAL_RE.match(raw):
        raise _CellError(f"The {what} must be a plain decimal number such as 2.5.")
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise _CellError(f"The {what} must be a plain decimal number such as 2.5.")


def parse_date(raw: str) -> datetime.date:
    """YYYY-MM-DD, or the Indian DD-MM-YYYY and DD/MM/YYYY; never MM/DD."""
    for fmt in _DATE_FORMATS:
        try:
            value = datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if value > clock.today():
            raise _CellError("The date is in the future.")
        if value < _OLDEST_DATE:
            raise _CellError("The date is before 1900.")
        return value
    raise _CellError(
        "This is not a valid date; write it as YYYY-MM-DD (DD-MM-YYYY and DD/MM/YYYY are also accepted)."
    )


def _aadhaar_ok(number: str) -> bool:
    return (
        len(number) == 12
        and is_ascii_digits(number)
        and number[0] not in "01"
        and acct.check_digit(number[:-1]) == int(number[-1])
    )


def _check_kyc_number(document: str, raw: str) -> None:
    clean = "".join(ch for ch in raw if ch.isalnum()).upper()
    if any(not (ch.isalnum() or ch in " -/") for ch in raw):
        raise _CellError("A KYC number has letters, digits, spaces, dashes and slashes only.")
    if document == KycDocument.AADHAAR and not _aadhaar_ok(clean):
        raise _CellError("This is not a valid Aadhaar number (12 digits with a valid check digit).")
    if document == KycDocument.PAN and not _PAN_RE.match(clean):
        raise _CellError("This is not a valid PAN (five letters, four digits, one letter).")
    if not 4 <= len(clean) <= 24:
        raise _CellError("A KYC number has 4 to 24 letters and digits.")


# --- the parsed row -----------------------------------------------------------------------------------


@dataclass
class _MeterData:
    serial: str
    make: str
    digits: int
    initial_reading: Decimal
    installed_on: datetime.date | None
    new: Meter | None = None  # the meter to create, when the serial is not yet known


@dataclass
class _Row:
    line: int
    raw: dict[str, str]  # the cells as typed, for the errors file
    account_number: str
    fields: dict[str, Any]  # consumer fields from the columns present; office as an Office, dt set later
    dt_code: str | None  # None: the column is absent; "": blank (not indexed)
    kyc_number: str
    meter: _MeterData | None


@dataclass
class _Context:
    """What every row is checked against, loaded once (offices) or per chunk and cached (DTs)."""

    offices: dict[str, Office]
    dts: dict[str, DistributionTransformer | None] = field(default_factory=dict)
    # First line on which each account number and meter serial appeared in the file.
    accounts_seen: dict[str, int] = field(default_factory=dict)
    serials_seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Context:
        return cls(
            offices={
                o.code: o for o in Office.objects.only("id", "code", "name", "level", "path", "parent_id")
            }
        )

    def office(self, code: str) -> Office | None:
        return self.offices.get(code) or self.offices.get(code.upper())

    def load_dts(self, codes: set[str]) -> None:
        missing = codes - self.dts.keys()
        if missing:
            found = {
                dt.code: dt
                for dt in DistributionTransformer.objects.filter(code__in=missing).select_related("office")
            }
            for code in missing:
                self.dts[code] = found.get(code)


class _RowParser:
    def __init__(self, header: list[str], ctx: _Context) -> None:
        self.header = header
        self.present = set(header)
        self.ctx = ctx

    def parse(self, line: int, raw: dict[str, str]) -> tuple[_Row | None, list[RowError]]:
        errors: list[RowError] = []
        fields: dict[str, Any] = {}
        # A NUL character cannot be stored (PostgreSQL refuses it in text): the cell is reported and
        # read as empty, so the row's other values are still checked.
        # Values are read with their digits in ASCII; the errors file shows them as typed.
        typed = raw
        poisoned = {column for column, value in typed.items() if "\x00" in value}
        for column in sorted(poisoned, key=lambda c: _COLUMN_ORDER.get(c, -1)):
            errors.append(
                RowError(
                    line, column, _shown(column, typed[column]), "This value holds a NUL character (\\0)."
                )
            )
        raw = {
            column: "" if column in poisoned else value if column in _TEXT_FIELDS else ascii_digits(value)
            for column, value in raw.items()
        }

        def bad(column: str, reason: str) -> None:
            if column not in poisoned:
                errors.append(RowError(line, column, _shown(column, typed.get(column, "")), reason))

        def take(column: str, parse) -> Any:
            value = raw.get(column, "")
            if not value:
                if column in REQUIRED_COLUMNS:
                    bad(column, "A value is required in this column.")
                return None
            try:
                return parse(value)
            except _CellError as exc:
                bad(column, str(exc))
                return None

        account_number = take("account_number", _account_number)
        for name in _TEXT_FIELDS:
            if name in self.present:
                fields[name] = take(name, str) or ""
        if "pincode" in self.present:
            fields["pincode"] = take("pincode", _pincode) or ""
        if "mobile" in self.present:
            fields["mobile"] = take("mobile", _mobile) or ""
        for column, (aliases, what, allowed, default) in _CHOICE_COLUMNS.items():
            if column in self.present:
                value = take(column, lambda v, a=aliases, w=what, c=allowed: _choice(v, a, w, c))
                fields[column] = default if value is None else value
        fields["category"] = take("category", _category)
        fields["sanctioned_load"] = take("sanctioned_load", lambda v: _positive(v, "sanctioned load"))
        fields["connection_date"] = take("connection_date", parse_date)
        if "security_deposit" in self.present:
            deposit = take("security_deposit", lambda v: _non_negative(v, "security deposit"))
            fields["security_deposit"] = Decimal("0.00") if deposit is None else deposit
        for name, limit in (("latitude", 90), ("longitude", 180)):
            if name in self.present:
                fields[name] = take(name, lambda v, n=name, lim=limit: _coordinate(v, n, lim))
        fields["office"] = take("office_code", self._office)

        kyc_number = self._kyc(raw, fields, bad)
        meter = self._meter(raw, fields, bad, take)
        self._cross_checks(raw, fields, meter, bad)

        if errors:
            return None, errors
        dt_code = raw.get("dt_code", "") if "dt_code" in self.present else None
        return _Row(line, typed, account_number, fields, dt_code, kyc_number, meter), []

    def _office(self, code: str) -> Office:
        office = self.ctx.office(code)
        if office is None:
            raise _CellError("There is no office with this code.")
        if office.level != OfficeLevel.DC:
            raise _CellError(
                f"This office is a {office.get_level_display().lower()}; a consumer belongs to a distribution centre."
            )
        return office

    def _kyc(self, raw: dict[str, str], fields: dict[str, Any], bad) -> str:
        document_raw, number = raw.get("kyc_document", ""), raw.get("kyc_number", "")
        if not document_raw and not number:
            return ""  # KYC left as it is
        document = None
        if document_raw:
            try:
                document = _choice(
                    document_raw, _KYC_DOCUMENTS, "KYC document", ", ".join(KycDocument.values)
                )
            except _CellError as exc:
                bad("kyc_document", str(exc))
        elif number:
            bad("kyc_document", "Give the kind of document (kyc_document) for this KYC number.")
        if not number:
            bad("kyc_number", "Give the document's number (kyc_number) with its kind.")
        elif document is not None:
            try:
                _check_kyc_number(document, number)
            except _CellError as exc:
                bad("kyc_number", str(exc))
        if document is not None:
            fields["kyc_document"] = document
        return number

    def _meter(self, raw: dict[str, str], fields: dict[str, Any], bad, take) -> _MeterData | None:
        serial = raw.get("meter_serial", "")
        if not serial:
            for column in METER_COLUMNS[1:]:
                if raw.get(column):
                    bad(column, "A meter detail is given but no meter_serial.")
            return None
        if len(serial) > 30 or any(not (ch.isalnum() or ch in "-/.") for ch in serial):
            bad(
                "meter_serial",
                "A meter serial number has at most 30 letters, digits, dashes, slashes or dots.",
            )
        digits = take("meter_digits", _meter_digits) or 6
        reading = take("meter_initial_reading", lambda v: _non_negative(v, "reading"))
        if reading is None:
            reading = Decimal("0")
        elif reading >= 10**digits:
            bad("meter_initial_reading", f"A {digits}-digit meter cannot show this reading.")
        installed_on = take("meter_installed_on", parse_date)
        connected = fields.get("connection_date")
        if installed_on and connected and installed_on < connected:
            bad("meter_installed_on", "The meter cannot be installed before the connection date.")
        return _MeterData(serial, raw.get("meter_make", ""), digits, reading, installed_on)

    def _cross_checks(
        self, raw: dict[str, str], fields: dict[str, Any], meter: _MeterData | None, bad
    ) -> None:
        category, area_type = fields.get("category"), fields.get("area_type")
        if category and area_type:
            if "-RURAL" in category and area_type != AreaType.RURAL:
                bad("category", "A rural category needs area_type rural.")
            if "-URBAN" in category and area_type != AreaType.URBAN:
                bad("category", "An urban category needs area_type urban.")
        if meter and category in UNMETERED_CATEGORIES:
            bad(
                "meter_serial", "An unmetered category has no meter; remove the meter or change the category."
            )
        phase, voltage = fields.get("phase"), fields.get("supply_voltage")
        if phase == Phase.SINGLE and voltage in (SupplyVoltage.LT_415V, SupplyVoltage.HT_11KV):
            bad("phase", f"A {voltage} supply is three phase.")
        if phase == Phase.THREE and voltage == SupplyVoltage.LT_230V:
            bad("phase", "A three phase supply is 415V or 11kV, not 230V.")
        lat, lon = raw.get("latitude", ""), raw.get("longitude", "")
        if bool(lat) != bool(lon):
            bad("longitude" if lat else "latitude", "Give both latitude and longitude, or neither.")


def _account_number(value: str) -> str:
    try:
        return acct.normalize(value)
    except acct.InvalidAccountNumber as exc:
        raise _CellError(str(exc))


def _mobile(value: str) -> str:
    try:
        return mob.normalize(value)
    except mob.InvalidMobile as exc:
        raise _CellError(str(exc))


def _pincode(value: str) -> str:
    if not _PINCODE_RE.match(value):
        raise _CellError("A PIN code has 6 digits and does not start with 0.")
    return value


def _category(value: str) -> str:
    try:
        return _CATEGORIES[re.sub(r"[\s_-]", "", value).upper()]
    except KeyError:
        raise _CellError(
            f"This is not a known tariff category; use one of: {', '.join(TariffCategory.values)}."
        )


def _positive(value: str, what: str) -> Decimal:
    number = parse_decimal(value, what)
    if number <= 0:
        raise _CellError(f"The {what} must be more than zero.")
    return number


def _non_negative(value: str, what: str) -> Decimal:
    number = parse_decimal(value, what)
    if number < 0:
        raise _CellError(f"The {what} cannot be negative.")
    return number


def _coordinate(value: str, name: str, limit: int) -> Decimal:
    number = parse_decimal(value, name)
    if not -limit <= number <= limit:
        raise _CellError(f"A {name} lies between -{limit} and {limit}.")
    return number


def _meter_digits(value: str) -> int:
    if len(value) != 1 or value not in "456789":
        raise _CellError("A meter has 4 to 9 digits.")
    return int(value)


def _shown(column: str, value: str) -> str:
    """The value as the errors file shows it: personal numbers masked, long text cut, NUL as \\0."""
    value = value.replace("\x00", "\\0")
    if column in _MASKED_COLUMNS and value:
        return _MASKED_COLUMNS[column](value)
    return value if len(value) <= 100 else value[:97] + "..."


def _error_fields(error: RowError) -> list:
    return [error.line, error.column.replace("\x00", "\\0"), error.value.replace("\x00", "\\0"), error.reason]


def _validation_errors(
    line: int, raw: dict[str, str], exc: ValidationError, columns: dict[str, str] = _FIELD_COLUMN
) -> list[RowError]:
    errors = []
    for name, messages in exc.message_dict.items():
        column = columns.get(name, name)
        for message in messages:
            errors.append(RowError(line, column, _shown(column, raw.get(column, "")), message))
    return errors


# --- the import ---------------------------------------------------------------------------------------


class _Importer:
    def __init__(self, result: ImportResult, errors_out, batch_size: int) -> None:
        self.result = result
        self.errors_out = errors_out
        self.batch_size = batch_size
        self.reason = f"legacy import {result.path.name}"
        self.ctx = _Context.load()

    @property
    def writing(self) -> bool:
        # Once a row is bad and bad rows are not skipped, the transaction will be rolled back: stop
        # writing and only check the rest, so the errors file lists every bad row.
        return self.result.skip_invalid or self.result.invalid == 0

    def report(self, errors: list[RowError]) -> None:
        for error in sorted(errors, key=RowError.sort_key):
            self.errors_out.writerow(_error_fields(error))
            self.result.error_count += 1
            if len(self.result.first_errors) < 10:
                self.result.first_errors.append(error)

    def run(self, records: Iterator[_Record], header: list[str]) -> None:
        parser = _RowParser(header, self.ctx)
        chunk: list[_Row] = []
        chunk_errors: list[RowError] = []
        for line, values, problem in records:
            if problem is not None:  # not UTF-8, or not CSV: this line is reported, the others checked
                self.result.rows_read += 1
                self.result.invalid += 1
                chunk_errors.append(problem)
                continue
            if not any(v.strip() for v in values):
                continue  # blank lines and rows of empty cells, as spreadsheets leave them
            self.result.rows_read += 1
            if len(values) != len(header):
                self.result.invalid += 1
                chunk_errors.append(
                    RowError(
                        line, "", "", f"This row has {len(values)} fields; the header has {len(header)}."
                    )
                )
                continue
            raw = {name: value.strip() for name, value in zip(header, values, strict=True)}
            row, errors = parser.parse(line, raw)
            if row is not None:
                errors = self._check_duplicates(row)
            elif claimed := _valid_account_number(raw.get("account_number", "")):
                # An invalid row still claims its account number: a later row with it is a duplicate.
                self.ctx.accounts_seen.setdefault(claimed, line)
            if errors:
                self.result.invalid += 1
                chunk_errors += errors
            else:
                chunk.append(row)
            if len(chunk) >= self.batch_size:
                chunk_errors += self._flush(chunk)
                self.report(chunk_errors)
                chunk, chunk_errors = [], []
        chunk_errors += self._flush(chunk)
        self.report(chunk_errors)

    def _check_duplicates(self, row: _Row) -> list[RowError]:
        errors = []
        first = self.ctx.accounts_seen.setdefault(row.account_number, row.line)
        if first != row.line:
            errors.append(
                RowError(
                    row.line,
                    "account_number",
                    row.raw["account_number"],
                    f"This account number is also on line {first}.",
                )
            )
        if row.meter:
            first = self.ctx.serials_seen.setdefault(row.meter.serial, row.line)
            if first != row.line:
                errors.append(
                    RowError(
                        row.line,
                        "meter_serial",
                        row.meter.serial,
                        f"This meter serial number is also on line {first}.",
                    )
                )
        return errors

    def _flush(self, chunk: list[_Row]) -> list[RowError]:
        """Check a chunk of individually valid rows against the database, then write it."""
        if not chunk:
            return []
        self.ctx.load_dts({row.dt_code for row in chunk if row.dt_code})
        existing = {
            c.account_number: c
            for c in Consumer.objects.filter(account_number__in=[r.account_number for r in chunk])
        }
        current_meter = {  # consumer id -> serial of the meter installed now
            i.consumer_id: i.meter.serial
            for i in MeterInstallation.objects.filter(
                consumer__in=existing.values(), removed_on__isnull=True
            ).select_related("meter")
        }
        serials = [r.meter.serial for r in chunk if r.meter]
        meters = {m.serial: m for m in Meter.objects.filter(serial__in=serials)}
        installed_at = {  # serial -> account number of the consumer it is installed at now
            i.meter.serial: i.consumer.account_number
            for i in MeterInstallation.objects.filter(
                meter__serial__in=serials, removed_on__isnull=True
            ).select_related("meter", "consumer")
        }

        errors: list[RowError] = []
        to_create: list[tuple[_Row, Consumer]] = []
        to_update: list[tuple[_Row, Consumer, dict[str, Any], bool]] = []
        to_install: list[tuple[_Row, str]] = []  # (row, account number) whose meter is installed now
        for row in chunk:
            row_errors: list[RowError] = []
            consumer = existing.get(row.account_number)
            self._resolve_dt(row, row_errors)
            meter_serial = current_meter.get(consumer.pk) if consumer else None
            install = self._check_meter(row, meter_serial, installed_at, row_errors)
            if consumer is None:
                candidate = Consumer(account_number=row.account_number, **row.fields)
                changes, kyc_changed = {}, False
            else:
                changes = {
                    name: value for name, value in row.fields.items() if _differs(consumer, name, value)
                }
                kyc_changed = bool(row.kyc_number) and kyc_hash(row.kyc_number) != consumer.kyc_number_hash
                candidate = copy.copy(consumer)
                for name, value in changes.items():
                    setattr(candidate, name, value)
                if meter_serial and candidate.category in UNMETERED_CATEGORIES:
                    row_errors.append(
                        RowError(
                            row.line,
                            "category",
                            row.raw["category"],
                            f"Meter {meter_serial} is installed; remove it before making the connection unmetered.",
                        )
                    )
            if row.kyc_number:
                candidate.kyc_number_masked = mob.mask_document(row.kyc_number)
                candidate.kyc_number_hash = kyc_hash(row.kyc_number)
            try:
                # Offices, DTs and uniqueness are checked above from prefetched data, not a query per row.
                candidate.full_clean(
                    exclude=["office", "dt"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                row_errors += _validation_errors(row.line, row.raw, exc)
            if install:
                row_errors += self._check_new_meter(row, candidate, meters)
            if row_errors:
                self.result.invalid += 1
                errors += row_errors
                continue
            if install:
                to_install.append((row, row.account_number))
            if consumer is None:
                to_create.append((row, candidate))
            elif changes or kyc_changed or install:
                to_update.append((row, consumer, changes, kyc_changed))
            else:
                self.result.unchanged += 1

        if self.writing:
            errors += self._write(to_create, to_update, to_install, meters)
        else:
            self.result.created += len(to_create)
            self.result.updated += len(to_update)
        return errors

    def _resolve_dt(self, row: _Row, errors: list[RowError]) -> None:
        if row.dt_code is None:
            return
        if not row.dt_code:
            row.fields["dt"] = None
            return
        dt = self.ctx.dts.get(row.dt_code)
        if dt is None:
            errors.append(
                RowError(
                    row.line, "dt_code", row.dt_code, "There is no distribution transformer with this code."
                )
            )
            return
        dc = row.fields["office"]
        sub_division_path = dc.path[: dc.path.rstrip("/").rfind("/") + 1]
        if not dt.office.path.startswith(sub_division_path):
            errors.append(
                RowError(
                    row.line,
                    "dt_code",
                    row.dt_code,
                    f"This transformer belongs to {dt.office.code}, outside the sub-division of office {dc.code}.",
                )
            )
            return
        row.fields["dt"] = dt

    def _check_meter(
        self, row: _Row, current: str | None, installed_at: dict[str, str], errors: list[RowError]
    ) -> bool:
        """Whether the row's meter is to be installed now (it is not yet on this consumer)."""
        if row.meter is None:
            return False
        serial = row.meter.serial
        holder = installed_at.get(serial)
        if holder and holder != row.account_number:
            errors.append(
                RowError(row.line, "meter_serial", serial, f"This meter is installed at consumer {holder}.")
            )
        elif current and current != serial:
            errors.append(
                RowError(
                    row.line,
                    "meter_serial",
                    serial,
                    f"This consumer has meter {current} installed; a meter change is not made by import.",
                )
            )
        return holder is None and current is None

    def _check_new_meter(self, row: _Row, consumer: Consumer, meters: dict[str, Meter]) -> list[RowError]:
        data = row.meter
        assert data is not None
        checks = [
            MeterInstallation(
                installed_on=data.installed_on or consumer.connection_date,
                initial_reading=data.initial_reading,
            )
        ]
        if data.serial not in meters:
            data.new = Meter(
                serial=data.serial,
                make=data.make,
                digits=data.digits,
                phase=consumer.phase,
                office_id=consumer.office_id,  # installed at the connection: held by its office
            )
            checks.append(data.new)
        errors = []
        for instance in checks:
            try:
                instance.full_clean(
                    exclude=["consumer", "meter"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                errors += _validation_errors(row.line, row.raw, exc, _METER_FIELD_COLUMN)
        return errors

    # --- writing ---

    def _write(self, to_create, to_update, to_install, meters: dict[str, Meter]) -> list[RowError]:
        errors: list[RowError] = []
        created = self._create_consumers(to_create, errors)
        failed_lines = {e.line for e in errors}
        for row, consumer, changes, kyc_changed in to_update:
            try:
                with transaction.atomic():
                    self._update_consumer(consumer, changes, row.kyc_number if kyc_changed else "")
            except ValidationError as exc:  # pragma: no cover - the same checks ran above
                errors += _validation_errors(row.line, row.raw, exc)
                failed_lines.add(row.line)
                self.result.invalid += 1
                continue
            self.result.updated += 1
            created[row.account_number] = consumer
        self._install_meters(
            [
                (row, created[acc])
                for row, acc in to_install
                if row.line not in failed_lines and acc in created
            ],
            meters,
        )
        return errors

    def _create_consumers(
        self, to_create: list[tuple[_Row, Consumer]], errors: list[RowError]
    ) -> dict[str, Consumer]:
        consumers = [c for _, c in to_create]
        try:
            with transaction.atomic():
                Consumer.objects.bulk_create(consumers)
        except IntegrityError:
            # Something the checks above did not foresee (another import running at the same time?):
            # take the rows one by one so only the offending ones are refused.
            consumers = []
            for row, consumer in to_create:
                try:
                    with transaction.atomic():
                        consumer.save(force_insert=True)
                except IntegrityError as exc:
                    errors.append(RowError(row.line, "", "", f"The database refused this row: {exc}."))
                    self.result.invalid += 1
                    continue
                consumers.append(consumer)
        if any(c.pk is None for c in consumers):  # databases that do not return ids from a bulk insert
            ids = dict(
                Consumer.objects.filter(account_number__in=[c.account_number for c in consumers]).values_list(
                    "account_number", "id"
                )
            )
            for c in consumers:
                c.pk = ids[c.account_number]
        ConsumerChange.objects.bulk_create(
            ConsumerChange(
                consumer=c,
                source=ConsumerChange.Source.IMPORT,
                field="*",
                new_value=gettext("created"),
                reason=self.reason,
            )
            for c in consumers
        )
        self.result.created += len(consumers)
        return {c.account_number: c for c in consumers}

    def _update_consumer(self, consumer: Consumer, changes: dict[str, Any], kyc_number: str) -> None:
        consumer_update(
            consumer=consumer,
            source=ConsumerChange.Source.IMPORT,
            reason=self.reason,
            kyc_number=kyc_number or None,
            **changes,
        )

    def _install_meters(self, rows: list[tuple[_Row, Consumer]], meters: dict[str, Meter]) -> None:
        if not rows:
            return
        new_meters = [row.meter.new for row, _ in rows if row.meter.new is not None]
        Meter.objects.bulk_create(new_meters)
        if any(m.pk is None for m in new_meters):
            meters.update(
                {m.serial: m for m in Meter.objects.filter(serial__in=[m.serial for m in new_meters])}
            )
        else:
            meters.update({m.serial: m for m in new_meters})
        MeterInstallation.objects.bulk_create(
            MeterInstallation(
                consumer=consumer,
                meter=meters[row.meter.serial],
                installed_on=row.meter.installed_on or consumer.connection_date,
                initial_reading=row.meter.initial_reading,
            )
            for row, consumer in rows
        )
        # A meter taken from stock is held from now on by the connection's office, as by meter_install.
        moved = [
            (meters[row.meter.serial], consumer)
            for row, consumer in rows
            if meters[row.meter.serial].office_id != consumer.office_id
        ]
        codes = dict(
            Office.objects.filter(
                pk__in={m.office_id for m, _ in moved} | {c.office_id for _, c in moved}
            ).values_list("pk", "code")
        )
        MeterChange.objects.bulk_create(
            MeterChange(
                meter=meter,
                field="office",
                old_value=codes.get(meter.office_id, ""),
                new_value=codes[consumer.office_id],
                reason=self.reason,
            )
            for meter, consumer in moved
        )
        for meter, consumer in moved:
            meter.office_id = consumer.office_id
        Meter.objects.bulk_update([meter for meter, _ in moved], ["office"])
        ConsumerChange.objects.bulk_create(
            ConsumerChange(
                consumer=consumer,
                source=ConsumerChange.Source.IMPORT,
                field="meter",
                new_value=row.meter.serial,
                reason=self.reason,
            )
            for row, consumer in rows
        )


def _differs(consumer: Consumer, name: str, new: Any) -> bool:
    # Compare foreign keys by id (office_id, dt_id) so no related object is loaded.
    old = getattr(consumer, Consumer._meta.get_field(name).attname)
    new = new.pk if hasattr(new, "pk") else new
    return old != new


def _valid_account_number(raw: str) -> str | None:
    try:
        return acct.normalize(raw)
    except acct.InvalidAccountNumber:
        return None


def _lines(handle, not_utf8: set[int]) -> Iterator[str]:
    """The file's lines decoded one by one; a line that is not UTF-8 is read with replacement
    characters and its number added to `not_utf8`, so it is named exactly and the rest still read."""
    for number, data in enumerate(handle, start=1):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.add(number)
            text = data.decode("utf-8", errors="replace")
        yield text.removeprefix("\ufeff") if number == 1 else text


# (physical line where the record starts, its fields, or None and the error that made it unreadable)
_Record = tuple[int, list[str], RowError | None]


def _records(handle) -> Iterator[_Record]:
    """Each record, the header first. A record that is not UTF-8 or not valid CSV (a field beyond the
    CSV field limit) comes with its error; reading goes on with the next line."""
    not_utf8: set[int] = set()
    reader = csv.reader(_lines(handle, not_utf8))
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, [], RowError(start, "", "", f"This line is not valid CSV ({exc}).")
        else:
            bad = sorted(n for n in not_utf8 if start <= n <= reader.line_num)
            yield start, values, RowError(bad[0], "", "", _NOT_UTF8) if bad else None
        start = reader.line_num + 1


def _read_header(handle) -> tuple[list[str], Iterator[_Record], list[RowError]]:
    records = _records(handle)
    first = next(records, None)
    if first is None:
        return (
            [],
            records,
            [RowError(1, "", "", "The file is empty; it needs a header row naming the columns.")],
        )
    if first[2] is not None:
        raise _FileError(first[2])
    header = [name.strip().lower() for name in first[1]]
    errors = []
    seen = set()
    for position, name in enumerate(header, start=1):
        if not name:
            errors.append(RowError(1, "", "", f"Column {position} of the header has no name."))
        elif name in seen:
            errors.append(RowError(1, name, name, "This column appears twice in the header."))
        elif name not in COLUMNS:
            errors.append(
                RowError(
                    1, name, name, "This is not a known column; see docs/import-consumers.md for the columns."
                )
            )
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        errors.append(RowError(1, "", "", f"The header lacks required column(s): {', '.join(missing)}."))
    return header, records, errors


def default_errors_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".csv") + ".errors.csv")


def import_consumers(
    path: str | Path,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    errors_path: str | Path | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import consumers from a legacy CSV file; see docs/import-consumers.md.

    Writes the errors file (header only when the file is clean) and returns the counts. Changes are
    committed only if the file had no errors (or `skip_invalid`) and this is not a dry run.
    """
    path = Path(path)
    result = ImportResult(
        path=path,
        errors_path=Path(errors_path) if errors_path else default_errors_path(path),
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    if result.errors_path.resolve() == path.resolve():
        raise ValueError("The errors file cannot be the file being imported.")
    with path.open("rb") as handle, result.errors_path.open("w", encoding="utf-8", newline="") as errors_file:
        errors_out = csv.writer(errors_file)
        errors_out.writerow(ERRORS_FILE_COLUMNS)
        try:
            header, records, file_errors = _read_header(handle)
            if not file_errors:
                with transaction.atomic():
                    importer = _Importer(result, errors_out, batch_size)
                    importer.run(records, header)
                    if not result.written:
                        transaction.set_rollback(True)
        except _FileError as exc:
            file_errors = [exc.error]
        if file_errors:
            result.file_errors = file_errors
            for error in file_errors:
                errors_out.writerow(_error_fields(error))
            result.error_count += len(file_errors)
    return result
