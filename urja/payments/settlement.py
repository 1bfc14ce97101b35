"""Settlement files, reconciliation reports and the daily collection summary.

Settlement files (format: docs/settlement-files.md). A bank or gateway sends a CSV of what it
collected; ``settlement_import`` matches each line against the payments posted in Urja from that
source, by reference:

* a payment with the reference exists and the amounts are equal → MATCHED;
* it exists with another amount → AMOUNT_MISMATCH (the payment is not changed; the line is reported);
* none exists → the payment is posted now with ``payment_post(..., late=True)`` → POSTED_LATE;
* a line that cannot be read or posted (bad account, amount, date, a reference used twice in the
  file, a reference Urja has for another account) → INVALID with the reason; nothing is posted for it;
* payments in Urja from the source, still standing, paid on a day the file covers (first to last
  ``paid_at`` date of its lines) but not in the file → one MISSING_IN_FILE line each, line number 0.

Source names: ``--source SBI`` means the bank source ``bank:SBI`` (late postings use channel "bank");
a source written with its namespace is taken literally: ``bank:SBI`` is the same, ``gateway:sandbox``
is the sandbox gateway (late postings use channel "online"). Other namespaces are refused.

A file is identified by (source, SHA-256 of its bytes): the same file again is refused and changes
nothing. The import is one transaction: the file, its lines and any late postings commit together.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.db import MoneySum
from urja.customers.models import Consumer
from urja.domain import account_number as acct
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.org import roles
from urja.org.choices import LEVEL_ORDER
from urja.org.models import Office
from urja.payments.choices import Channel, MatchStatus, PaymentStatus
from urja.payments.models import Payment, SettlementFile, SettlementLine
from urja.payments.services import PaymentConflict, payment_post

ZERO = Decimal("0.00")
REQUIRED_COLUMNS = ("reference", "account_number", "amount", "paid_at")
OPTIONAL_COLUMNS = ("value_date", "channel")
SOURCE_CHANNELS = {"bank": Channel.BANK, "gateway": Channel.ONLINE}
#: Channel column values that name an Urja channel for a late posting (others are kept as a note).
LINE_CHANNELS = {Channel.BANK.value, Channel.ONLINE.value, Channel.PARTNER.value}
FILE_STATUSES = (
    MatchStatus.MATCHED,
    MatchStatus.POSTED_LATE,
    MatchStatus.AMOUNT_MISMATCH,
    MatchStatus.INVALID,
)
MAX_FILE_BYTES = 50 * 1024 * 1024


# --- sources and parsing -----------------------------------------------------------------------------------


def settlement_source(name: str) -> tuple[str, str]:
    """(payment source, channel for late postings) for a ``--source`` name: "SBI" → ("bank:SBI", "bank"),
    "gateway:sandbox" → ("gateway:sandbox", "online")."""
    name = (name or "").strip()
    namespace, sep, rest = name.partition(":")
    if not sep:
        namespace, rest = "bank", name
    rest = rest.strip()
    if namespace not in SOURCE_CHANNELS or not rest or any(ch.isspace() for ch in rest):
        raise ValidationError(
            _(
                'Name the source as a bank ("SBI" or "bank:SBI") or a gateway ("gateway:sandbox"); got %(name)r.'
            )
            % {"name": name}
        )
    source = f"{namespace}:{rest}"
    if len(source) > 40:
        raise ValidationError(_("The source name is too long (40 characters at most)."))
    return source, SOURCE_CHANNELS[namespace]


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local calendar day, as aware datetimes."""
    return clock.day_start(day), clock.day_start(day + datetime.timedelta(days=1))


def parse_paid_at(text: str) -> datetime.datetime:
    """ISO 8601 (2026-11-20T10:15:00, 2026-11-20 10:15, with or without offset) or DD-MM-YYYY HH:MM[:SS];
    a time without an offset is Indian Standard Time."""
    text = (text or "").strip()
    if not text:
        raise ValueError("paid_at is empty")
    value = None
    for fmt in ("%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S"):
        try:
            value = datetime.datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if value is None:
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"paid_at {text!r} is not ISO 8601 or DD-MM-YYYY HH:MM")
        if len(text) <= 10:
            raise ValueError(f"paid_at {text!r} has no time")
    return clock.aware(value)


def parse_value_date(text: str) -> datetime.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"value_date {text!r} is not YYYY-MM-DD or DD-MM-YYYY")


def parse_amount(text: str) -> Decimal:
    cleaned = (text or "").strip().replace(",", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"amount {text!r} is not a number")
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"amount {text!r} must be more than zero")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"amount {text!r} has fractions of a paisa")
    if amount >= Decimal("1e12"):
        raise ValueError(f"amount {text!r} is too large")
    return amount.quantize(Decimal("0.01"))


@dataclass
class RawLine:
    line_number: int
    reference: str
    account_number: str
    amount_text: str
    paid_at_text: str
    value_date_text: str
    channel_text: str


def read_csv(data: bytes) -> list[RawLine]:
    """The data lines of a settlement CSV (header required; UTF-8, BOM allowed). Raises ValidationError
    for a file that cannot be read at all."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 50 MB; split it."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(_("The file is empty."))
    except csv.Error as exc:
        raise ValidationError(_("The file is not a readable CSV: %(error)s") % {"error": exc})
    columns = [name.strip().lower().replace(" ", "_") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ValidationError(
            _("The file's header lacks the column(s) %(missing)s; expected %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}
        )
    index = {name: columns.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in columns}

    def cell(row: list[str], name: str) -> str:
        i = index.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    lines = []
    try:
        for row in reader:
            if not any(value.strip() for value in row):
                continue
            lines.append(
                RawLine(
                    line_number=reader.line_num,
                    reference=cell(row, "reference"),
                    account_number=cell(row, "account_number"),
                    amount_text=cell(row, "amount"),
                    paid_at_text=cell(row, "paid_at"),
                    value_date_text=cell(row, "value_date"),
                    channel_text=cell(row, "channel"),
                )
            )
    except csv.Error as exc:
        raise ValidationError(
            _("Line %(line)s is not readable CSV: %(error)s") % {"line": reader.line_num, "error": exc}
        )
    if not lines:
        raise ValidationError(_("The file has a header but no lines."))
    return lines


# --- import ----------------------------------------------------------------------------------------------


def _already_imported(source: str, sha256: str) -> ValidationError:
    existing = SettlementFile.objects.filter(source=source, sha256=sha256).first()
    when = clock.localtime(existing.created_at).strftime("%d-%m-%Y %H:%M") if existing else ""
    return ValidationError(
        _(
            "This file was already imported for %(source)s (file #%(id)s, %(name)s, on %(when)s); nothing changed."
        )
        % {
            "source": source,
            "id": existing.pk if existing else "?",
            "name": existing.file_name if existing else "",
            "when": when,
        }
    )


def _line_channel(raw: RawLine, default: str) -> tuple[str, str]:
    """(channel for a late posting, note) from the optional channel column."""
    value = raw.channel_text.strip()
    if not value:
        return default, ""
    if value.lower() in LINE_CHANNELS:
        return value.lower(), ""
    return default, f"mode {value[:20]}"


def _note(*parts: str) -> str:
    return "; ".join(p for p in parts if p)[:255]


def settlement_import(
    *, data: bytes, file_name: str, source_name: str, by=None, file_format: str = "generic"
) -> SettlementFile:
    """Import a settlement file: match, post what is missing (late), report what differs. One
    transaction; the same file again (by SHA-256, per source) is refused and changes nothing. A staff
    user (`by`) needs the supervisor's capability VERIFY_CASH; the console command passes no user."""
    if by is not None and not by.can(roles.VERIFY_CASH):
        raise PermissionDenied(_("You may not import settlement files."))
    if file_format != "generic":
        raise ValidationError(
            _("Unknown settlement file format %(format)r (known: generic).") % {"format": file_format}
        )
    source, default_channel = settlement_source(source_name)
    sha256 = hashlib.sha256(data).hexdigest()
    if SettlementFile.objects.filter(source=source, sha256=sha256).exists():
        raise _already_imported(source, sha256)
    raw_lines = read_csv(data)
    try:
        with transaction.atomic():
            settlement = SettlementFile.objects.create(
                source=source, file_name=file_name[:255], sha256=sha256, imported_by=by
            )
            lines = _match_lines(settlement, raw_lines, source, default_channel, by)
            lines += _missing_in_file(settlement, lines, source)
            SettlementLine.objects.bulk_create(lines, batch_size=2000)
            summary = summarise(lines)
            settlement.lines_total = summary["file"]["lines"]
            settlement.amount_total = Decimal(summary["file"]["amount"])
            settlement.summary = summary
            settlement.save(update_fields=["lines_total", "amount_total", "summary", "updated_at"])
            return settlement
    except IntegrityError:
        if SettlementFile.objects.filter(source=source, sha256=sha256).exists():
            raise _already_imported(source, sha256)
        raise


def _match_lines(
    settlement: SettlementFile, raw_lines: list[RawLine], source: str, default_channel: str, by
) -> list[SettlementLine]:
    references = {raw.reference for raw in raw_lines if raw.reference}
    existing = {
        p.reference: p
        for p in Payment.objects.filter(source=source, reference__in=references).select_related("consumer")
    }
    accounts = {raw.account_number for raw in raw_lines if raw.account_number}
    consumers = {c.account_number: c for c in Consumer.objects.filter(account_number__in=accounts)}
    # Lock order: account › payment › receipt series. The first late posting takes the source's receipt
    # series and keeps it to the end of this transaction, so lock every account a line may post to now,
    # in id order, before any posting (else we would wait for an account while holding the series).
    to_post = [
        consumers[raw.account_number].pk
        for raw in raw_lines
        if raw.reference not in existing and raw.account_number in consumers
    ]
    if to_post:
        list(Consumer.objects.select_for_update().filter(pk__in=to_post).order_by("pk").values_list("pk"))
    seen: dict[str, int] = {}
    lines = []
    for raw in raw_lines:
        line = SettlementLine(
            file=settlement,
            line_number=raw.line_number,
            reference=raw.reference[:64],
            account_number=raw.account_number[:20],
        )
        lines.append(line)
        problems = []
        try:
            line.amount = parse_amount(raw.amount_text)
        except ValueError as exc:
            problems.append(str(exc))
        try:
            line.paid_at = parse_paid_at(raw.paid_at_text)
        except ValueError as exc:
            problems.append(str(exc))
        try:
            line.value_date = parse_value_date(raw.value_date_text)
        except ValueError as exc:
            problems.append(str(exc))
        channel, mode_note = _line_channel(raw, default_channel)
        if not raw.reference:
            problems.append("no reference")
        elif len(raw.reference) > 64:
            problems.append("reference longer than 64 characters")
        elif raw.reference in seen:
            problems.append(f"reference repeated (first on line {seen[raw.reference]})")
        else:
            seen[raw.reference] = raw.line_number
        if problems:
            line.status, line.note = MatchStatus.INVALID, _note(*problems, mode_note)
            continue
        payment = existing.get(raw.reference)
        if payment is not None:
            line.payment = payment
            cancelled = (
                "" if payment.status == PaymentStatus.POSTED else f"payment is {payment.status} in Urja"
            )
            if payment.account_number != raw.account_number:
                line.status = MatchStatus.INVALID
                line.note = _note(
                    f"reference already posted to account {payment.account_number} "
                    f"(receipt {payment.receipt_number})",
                    cancelled,
                )
            elif payment.amount == line.amount:
                line.status, line.note = MatchStatus.MATCHED, _note(cancelled, mode_note)
            else:
                line.status = MatchStatus.AMOUNT_MISMATCH
                line.note = _note(
                    f"Urja has {payment.amount} (receipt {payment.receipt_number}), "
                    f"file {line.amount}, difference {line.amount - payment.amount}",
                    cancelled,
                    mode_note,
                )
            continue
        consumer = consumers.get(raw.account_number)
        if consumer is None:
            reason = "no such account" if acct.is_valid(raw.account_number) else "invalid account number"
            line.status, line.note = MatchStatus.INVALID, _note(f"{reason} {raw.account_number!r}", mode_note)
            continue
        try:
            result = payment_post(
                consumer=consumer,
                amount=line.amount,
                channel=channel,
                source=source,
                reference=raw.reference,
                paid_at=line.paid_at,
                by=by,
                late=True,
            )
        except ValidationError as exc:
            line.status, line.note = (
                MatchStatus.INVALID,
                _note("not posted: " + " ".join(exc.messages), mode_note),
            )
            continue
        except PaymentConflict as exc:  # posted meanwhile by another channel of this source
            line.status, line.note = MatchStatus.INVALID, _note(str(exc), mode_note)
            continue
        line.payment = result.payment
        line.status = MatchStatus.POSTED_LATE if result.created else MatchStatus.MATCHED
        line.note = _note(
            f"posted late: receipt {result.payment.receipt_number}" if result.created else "", mode_note
        )
    return lines


def _missing_in_file(
    settlement: SettlementFile, lines: list[SettlementLine], source: str
) -> list[SettlementLine]:
    dated = [clock.local_date(line.paid_at) for line in lines if line.paid_at is not None]
    if not dated:
        return []
    start, _ignored = day_bounds(min(dated))
    _ignored, end = day_bounds(max(dated))
    in_file = {line.reference for line in lines}
    missing = (
        Payment.objects.filter(
            source=source, status=PaymentStatus.POSTED, paid_at__gte=start, paid_at__lt=end
        )
        .exclude(reference__in=in_file)
        .order_by("paid_at", "pk")
    )
    return [
        SettlementLine(
            file=settlement,
            line_number=0,
            reference=payment.reference,
            account_number=payment.account_number,
            amount=payment.amount,
            paid_at=payment.paid_at,
            status=MatchStatus.MISSING_IN_FILE,
            payment=payment,
            note=f"in Urja (receipt {payment.receipt_number}), not in the file",
        )
        for payment in missing
    ]


# --- summaries and reports ----------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def summarise(lines: list[SettlementLine]) -> dict:
    """Counts and amounts per status. The file's lines (every status but MISSING_IN_FILE) add up to the
    file totals; the Urja side is matched + posted late + mismatched (at Urja's amount) + missing."""
    counts = dict.fromkeys(MatchStatus.values, 0)
    amounts = dict.fromkeys(MatchStatus.values, ZERO)
    urja_amount = ZERO
    mismatch_urja = ZERO
    for line in lines:
        counts[line.status] += 1
        amounts[line.status] += line.amount or ZERO
        if line.status == MatchStatus.AMOUNT_MISMATCH and line.payment is not None:
            mismatch_urja += line.payment.amount
    file_count = sum(counts[s] for s in FILE_STATUSES)
    file_amount = sum((amounts[s] for s in FILE_STATUSES), ZERO)
    urja_amount = (
        amounts[MatchStatus.MATCHED]
        + amounts[MatchStatus.POSTED_LATE]
        + mismatch_urja
        + amounts[MatchStatus.MISSING_IN_FILE]
    )
    dated = [clock.local_date(line.paid_at) for line in lines if line.paid_at is not None]
    return {
        "by_status": {s: {"count": counts[s], "amount": _money(amounts[s])} for s in MatchStatus.values},
        "file": {"lines": file_count, "amount": _money(file_amount)},
        "urja": {
            "payments": counts[MatchStatus.MATCHED]
            + counts[MatchStatus.POSTED_LATE]
            + counts[MatchStatus.AMOUNT_MISMATCH]
            + counts[MatchStatus.MISSING_IN_FILE],
            "amount": _money(urja_amount),
        },
        "mismatch_difference": _money(amounts[MatchStatus.AMOUNT_MISMATCH] - mismatch_urja),
        "date_from": min(dated).isoformat() if dated else None,
        "date_to": max(dated).isoformat() if dated else None,
    }


def settlement_file_report(settlement: SettlementFile) -> dict:
    """The file's summary and its lines by status, for a page or the command."""
    lines = list(settlement.lines.select_related("payment").order_by("line_number", "pk"))
    by_status: dict[str, list[SettlementLine]] = defaultdict(list)
    for line in lines:
        by_status[line.status].append(line)
    return {"file": settlement, "summary": settlement.summary, "lines": by_status}


@dataclass
class SourceDay:
    """One source's reconciliation for one day (by the day the money was paid)."""

    source: str
    payments: int = 0  # posted in Urja from the source that day, still standing
    amount: Decimal = ZERO
    statuses: dict[str, dict[str, Decimal | int]] = field(
        default_factory=lambda: {s: {"count": 0, "amount": ZERO} for s in MatchStatus.values}
    )
    not_in_any_file: int = 0  # Urja payments of that day no settlement file has reported yet
    not_in_any_file_amount: Decimal = ZERO
    files: list[int] = field(default_factory=list)


def settlement_day_report(day: datetime.date, sources: list[str] | None = None) -> list[SourceDay]:
    """Per bank/gateway source, for payments made on `day`: payments in Urja and their amount, and the
    settlement lines of that day by status (matched, posted late, missing in file, mismatch, invalid),
    across every file imported for the source. Three queries."""
    start, end = day_bounds(day)
    source_q = Q(source__startswith="bank:") | Q(source__startswith="gateway:")
    if sources is not None:
        source_q = Q(source__in=sources)
    result: dict[str, SourceDay] = {}

    def row(source: str) -> SourceDay:
        return result.setdefault(source, SourceDay(source=source))

    payments = Payment.objects.filter(
        source_q, paid_at__gte=start, paid_at__lt=end, status=PaymentStatus.POSTED
    )
    for item in payments.values("source").annotate(n=Count("pk"), total=MoneySum("amount")).order_by():
        entry = row(item["source"])
        entry.payments, entry.amount = item["n"], item["total"] or ZERO
    line_q = Q(paid_at__gte=start, paid_at__lt=end)
    file_source_q = (
        Q(file__source__in=sources)
        if sources is not None
        else (Q(file__source__startswith="bank:") | Q(file__source__startswith="gateway:"))
    )
    settled_ids: dict[str, set[int]] = defaultdict(set)
    for source, status, amount, payment_id, file_id in SettlementLine.objects.filter(
        line_q, file_source_q
    ).values_list("file__source", "status", "amount", "payment_id", "file_id"):
        entry = row(source)
        entry.statuses[status]["count"] += 1
        entry.statuses[status]["amount"] += amount or ZERO
        if file_id not in entry.files:
            entry.files.append(file_id)
        if status != MatchStatus.MISSING_IN_FILE and payment_id is not None:
            settled_ids[source].add(payment_id)
    for source, payment_id, amount in payments.values_list("source", "pk", "amount"):
        if payment_id not in settled_ids[source]:
            entry = row(source)
            entry.not_in_any_file += 1
            entry.not_in_any_file_amount += amount
    return sorted(result.values(), key=lambda r: r.source)


# --- daily collection summary ----------------------------------------------------------------------------------


@dataclass
class CollectionRow:
    office: Office | None
    channel: str
    count: int = 0  # every payment made that day (gross), including those reversed since
    amount: Decimal = ZERO
    reversed_count: int = 0  # of which cancelled or bounced since
    reversed_amount: Decimal = ZERO

    @property
    def net_count(self) -> int:
        return self.count - self.reversed_count

    @property
    def net_amount(self) -> Decimal:
        return self.amount - self.reversed_amount

    @property
    def channel_label(self) -> str:
        return str(dict(Channel.choices).get(self.channel, self.channel))


@dataclass
class CollectionSummary:
    day: datetime.date
    level: str
    rows: list[CollectionRow]

    def _total(self, name: str):
        return sum((getattr(r, name) for r in self.rows), 0 if name.endswith("count") else ZERO)

    @property
    def count(self) -> int:
        return self._total("count")

    @property
    def amount(self) -> Decimal:
        return self._total("amount")

    @property
    def reversed_count(self) -> int:
        return self._total("reversed_count")

    @property
    def reversed_amount(self) -> Decimal:
        return self._total("reversed_amount")

    @property
    def net_amount(self) -> Decimal:
        return self.amount - self.reversed_amount

    def by_channel(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for r in self.rows:
            totals[r.channel] += r.amount
        return dict(totals)

    def by_office(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for r in self.rows:
            totals[r.office.code if r.office else ""] += r.amount
        return dict(totals)


def _ancestor_path(path: str, depth: int) -> str:
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:depth]) + "/"


def collection_summary(
    day: datetime.date, office: Office | None = None, level: str | None = None
) -> CollectionSummary:
    """Payments made on `day` (local date of ``paid_at``, which is the ledger entry's date) per office and
    channel, within `office`'s subtree. `level` rolls the consumer's office up to that level of the
    hierarchy (e.g. "subdivision"); by default the consumer's own office. Payments cancelled or bounced
    since are counted in the gross and shown again as reversed. Two queries.

    The gross amount equals ``ledger_payments_total(day, office)``: every payment posts exactly one
    PAYMENT entry dated its paid day, and a reversal is a separate REVERSAL entry."""
    start, end = day_bounds(day)
    payments = Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
    if office is not None:
        payments = payments.filter(consumer__office__path__startswith=office.path)
    depth = LEVEL_ORDER.index(level) + 1 if level else None
    grouped: dict[tuple[str, str], CollectionRow] = {}
    paths: set[str] = set()
    for item in (
        payments.values("consumer__office__path", "channel", "status")
        .annotate(n=Count("pk"), total=MoneySum("amount"))
        .order_by()
    ):
        path = item["consumer__office__path"]
        if depth is not None and len([p for p in path.split("/") if p]) > depth:
            path = _ancestor_path(path, depth)
        paths.add(path)
        row = grouped.setdefault((path, item["channel"]), CollectionRow(office=None, channel=item["channel"]))
        row.count += item["n"]
        row.amount += item["total"]
        if item["status"] != PaymentStatus.POSTED:
            row.reversed_count += item["n"]
            row.reversed_amount += item["total"]
    offices = {o.path: o for o in Office.objects.filter(path__in=paths)} if paths else {}
    for (path, _channel), row in grouped.items():
        row.office = offices.get(path)
    rows = sorted(grouped.values(), key=lambda r: (r.office.path if r.office else "", r.channel))
    return CollectionSummary(day=day, level=level or "", rows=rows)


def ledger_payments_total(day: datetime.date, office: Office | None = None) -> Decimal:
    """The negated sum of the ledger's PAYMENT entries dated `day` (within `office`'s subtree)."""
    entries = LedgerEntry.objects.filter(entry_type=EntryType.PAYMENT, entry_date=day)
    if office is not None:
        entries = entries.filter(consumer__office__path__startswith=office.path)
    return -(entries.aggregate(total=MoneySum("amount"))["total"] or ZERO)
