"""Settlement files, reconciliation reports and the daily collection summary.

Settlement files (format and rules: docs/settlement-files.md). A bank or gateway sends a CSV of what it
collected. Only a *registered* source (``SettlementSource``: a bank or gateway with an office, managed
by a system administrator) can be picked, by a cash supervisor (VERIFY_CASH) whose office overlaps the
source's. The file's offices are the narrower of the source's and the uploader's; its lines may reach
only accounts under them.

``settlement_import`` parses and validates every line on its own (one bad line is reported with its
number and never stops the others), then matches each against the payments of the source, by
reference. It posts nothing:

* a payment with the reference exists and the amounts are equal → MATCHED;
* it exists with another amount → AMOUNT_MISMATCH (the payment is not changed; the line is reported);
* none exists → TO_POST: the line waits for approval;
* a line that cannot be read or may not be posted (bad account, amount, date, a reference used twice
  in the file, a reference Urja has for another account, an account outside the file's offices —
  reported exactly like an unknown one) → INVALID with the reason;
* payments in Urja from the source for accounts in the file's offices, still standing, paid on a day
  the file covers (first to last valid ``paid_at`` date of its lines) but not in the file → one
  MISSING_IN_FILE line each, line number 0.

The file waits (PENDING) until a second person decides it with ``settlement_decide``: a cash
supervisor who did not upload it and whose offices cover the file's. Approval posts every TO_POST line
through ``payment_post(..., late=True)`` once (→ POSTED_LATE; MATCHED or AMOUNT_MISMATCH when the
payment arrived meanwhile; INVALID when the account left the offices or the date is now refused);
rejection (with a reason) posts nothing. Every file needs approval, whatever its total, so splitting
a file into small ones gains nothing.

A file is identified by (source, SHA-256 of its bytes): the same file again is refused and changes
nothing, unless the earlier one was rejected. Import and decision are one transaction each.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from urja.common import clock
from urja.common.db import MoneySum
from urja.customers.models import Consumer
from urja.domain import account_number as acct
from urja.org import roles
from urja.org.models import Office
from urja.org.permissions import require, user_covers
from urja.org.selectors import office_q
from urja.payments.choices import (
    Channel,
    MatchStatus,
    PaymentStatus,
    SettlementFileStatus,
    SettlementSourceKind,
)
from urja.payments.models import Payment, SettlementFile, SettlementLine, SettlementSource
from urja.payments.services import PaymentConflict, paid_at_check, paid_at_max_age_days, payment_post

ZERO = Decimal("0.00")
REQUIRED_COLUMNS = ("reference", "account_number", "amount", "paid_at")
OPTIONAL_COLUMNS = ("value_date", "channel")
SOURCE_CHANNELS = {SettlementSourceKind.BANK: Channel.BANK, SettlementSourceKind.GATEWAY: Channel.ONLINE}
#: Channel column values that name an Urja channel for a late posting (others are kept as a note).
LINE_CHANNELS = {Channel.BANK.value, Channel.ONLINE.value, Channel.PARTNER.value}
FILE_STATUSES = (
    MatchStatus.MATCHED,
    MatchStatus.TO_POST,
    MatchStatus.POSTED_LATE,
    MatchStatus.AMOUNT_MISMATCH,
    MatchStatus.INVALID,
)
MAX_FILE_BYTES = 50 * 1024 * 1024
#: A day's file of one discom's bank is tens of thousands of lines; more is split (memory and the
#: length of the approval's transaction, which holds the source's receipt series).
MAX_LINES = 200_000
AMOUNT_MAX = Decimal("999999999999.99")  # the payment table's NUMERIC(14, 2)
#: The characters of a bank or gateway reference (UTR, payment id), as in the partner API.
REFERENCE = re.compile(r"[A-Za-z0-9._:/-]{1,64}")
#: Thousands grouped internationally (1,727.50; 100,000) or the Indian way (1,00,000.00).
GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}")
DIGITS = re.compile(r"[0-9]+")
NOT_IN_SCOPE = "no such account {number!r} in this file's offices"


# --- sources --------------------------------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def settlement_sources_for(user) -> QuerySet[SettlementSource]:
    """The usable (active, with an active partner if any) sources whose office overlaps the user's:
    lies within it or contains it."""
    sources = (
        SettlementSource.objects.filter(is_active=True)
        .filter(Q(partner__isnull=True) | Q(partner__is_active=True))
        .select_related("office", "partner")
    )
    if user.sees_everything:
        return sources
    if not user.is_authenticated or user.office_id is None:
        return sources.none()
    path = user.office.path
    return sources.filter(Q(office__path__startswith=path) | Q(office__path__in=_ancestor_paths(path)))


def settlement_source_get(*, code: str) -> SettlementSource:
    """The registered, usable source with this code (the console's ``--source``)."""
    source = (
        SettlementSource.objects.select_related("office", "partner").filter(code=(code or "").strip()).first()
    )
    if source is None or not source.usable:
        raise ValidationError(
            _(
                "%(code)r is not a registered, active settlement source. A system administrator "
                "registers banks and gateways in the admin (Settlement sources)."
            )
            % {"code": (code or "").strip()[:40]}
        )
    return source


def _file_office(source: SettlementSource, user) -> Office:
    """The offices a file of `source` uploaded by `user` may post to: the narrower of the two."""
    if user.sees_everything:
        return source.office
    office = user.office
    if office is not None and source.office.contains(office):
        return office
    if office is not None and office.contains(source.office):
        return source.office
    raise PermissionDenied(_("This settlement source is not one of your offices' sources."))


def settlement_files_for(user) -> QuerySet[SettlementFile]:
    """The files a user may see: cash supervisors and users who see every office, for files whose
    offices lie within the user's (a file from before sources were registered: everyone-seers only)."""
    if not (user.sees_everything or user.can(roles.VERIFY_CASH)):
        return SettlementFile.objects.none()
    return SettlementFile.objects.filter(office_q(user, field="office"))


def may_decide(user, settlement: SettlementFile) -> bool:
    """Whether `user` may approve or reject the file (the service checks again under the lock)."""
    return (
        settlement.status == SettlementFileStatus.PENDING
        and user.can(roles.VERIFY_CASH)
        and settlement.imported_by_id != user.pk
        and settlement.office_id is not None
        and user_covers(user, settlement.office)
    )


# --- parsing ------------------------------------------------------------------------------------------------


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local calendar day, as aware datetimes."""
    return clock.day_start(day), clock.day_start(day + datetime.timedelta(days=1))


def _ascii(text: str, name: str) -> None:
    # Python reads Devanagari, full-width and other Unicode digits as numbers (int("१२३") == 123);
    # a bank's file has ASCII digits, so anything else is refused rather than guessed.
    if not text.isascii():
        raise ValueError(f"{name} {text!r} has characters other than ASCII digits")
    if not text.isprintable():  # fromisoformat() even takes a trailing NUL
        raise ValueError(f"{name} {_printable(text, 40)!r} has control characters")


def parse_paid_at(text: str) -> datetime.datetime:
    """ISO 8601 (2026-11-20T10:15:00, 2026-11-20 10:15, with or without offset) or DD-MM-YYYY HH:MM[:SS];
    a time without an offset is Indian Standard Time (IST has no daylight saving, so it is never
    ambiguous). Not bounded here: see ``paid_at_check``."""
    text = (text or "").strip()
    if not text:
        raise ValueError("paid_at is empty")
    _ascii(text, "paid_at")
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
    _ascii(text, "value_date")
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"value_date {text!r} is not YYYY-MM-DD or DD-MM-YYYY")


def parse_amount(text: str) -> Decimal:
    """Rupees with at most 2 decimals (more zeros allowed), thousands optionally grouped. Read from the
    text itself, never through float or Decimal's own parser (which takes 1e309, NaN and Unicode
    digits)."""
    raw = (text or "").strip()
    if not raw:
        raise ValueError("amount is empty")
    _ascii(raw, "amount")
    if raw.startswith("-"):
        raise ValueError(f"amount {raw!r} must be more than zero")
    whole, dot, fraction = raw.partition(".")
    if "," in whole:
        if not GROUPED.fullmatch(whole):
            raise ValueError(f"amount {raw!r}: a comma only groups thousands (1,727.50 or 1,00,000.00)")
        whole = whole.replace(",", "")
    if not DIGITS.fullmatch(whole) or (dot and not DIGITS.fullmatch(fraction)):
        raise ValueError(f"amount {raw!r} is not a number of rupees such as 1727.50")
    if len(fraction.rstrip("0")) > 2:
        raise ValueError(f"amount {raw!r} has fractions of a paisa")
    if len(whole.lstrip("0")) > 12:
        raise ValueError(f"amount {raw!r} is too large")
    amount = Decimal(f"{whole}.{(fraction + '00')[:2]}")
    if amount <= 0:
        raise ValueError(f"amount {raw!r} must be more than zero")
    if amount > AMOUNT_MAX:
        raise ValueError(f"amount {raw!r} is too large")
    return amount


def _printable(text: str, limit: int) -> str:
    """What is stored of a cell: control and other unprintable characters (NUL, which PostgreSQL
    cannot store in text, line breaks, bidi overrides) shown as "?"."""
    return "".join(ch if ch.isprintable() else "?" for ch in text[:limit])


@dataclass
class RawLine:
    line_number: int
    reference: str = ""
    account_number: str = ""
    amount_text: str = ""
    paid_at_text: str = ""
    value_date_text: str = ""
    channel_text: str = ""
    problems: list[str] = field(default_factory=list)
    unreadable: bool = False  # not CSV: its cells are unknown, only that is reported


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            _("The file is not UTF-8 text (line %(line)s); save it as UTF-8 and import it again.")
            % {"line": line}
        )


def read_csv(data: bytes) -> list[RawLine]:
    """The data lines of a settlement CSV (header required; UTF-8, BOM allowed). Raises ValidationError
    for a file that cannot be read at all (too large, not UTF-8, empty, no header or no lines); a line
    that is not readable CSV (a field over the csv module's limit) becomes a line with a problem."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB; split it.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    text = _decode(data)
    if not text.strip():
        raise ValidationError(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ValidationError(_("The file's header is not readable CSV: %(error)s") % {"error": exc})
    columns = [name.strip().lower().replace(" ", "_") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ValidationError(
            _("The file's header lacks the column(s) %(missing)s; expected %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}
        )
    index = {name: columns.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in columns}

    lines: list[RawLine] = []
    while True:
        before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            lines.append(
                RawLine(line_number=reader.line_num, problems=[f"not readable CSV: {exc}"], unreadable=True)
            )
            if reader.line_num == before:  # no progress: stop rather than loop
                break
            continue
        if not any(value.strip() for value in row):
            continue
        if len(lines) >= MAX_LINES:
            raise ValidationError(
                _("The file has more than %(count)s lines; split it.") % {"count": f"{MAX_LINES:,}"}
            )
        line = RawLine(line_number=reader.line_num)
        for name, i in index.items():
            value = row[i].strip() if i < len(row) else ""
            if any(not ch.isprintable() for ch in value):
                line.problems.append(f"{name} has control characters (NUL or line breaks)")
            setattr(line, f"{name}_text" if name not in ("reference", "account_number") else name, value)
        lines.append(line)
    if not lines:
        raise ValidationError(_("The file has a header but no lines."))
    return lines


# --- import ---------------------------------------------------------------------------------------------------


def _already_imported(source: str, sha256: str, user) -> ValidationError:
    existing = (
        SettlementFile.objects.filter(source=source, sha256=sha256)
        .exclude(status=SettlementFileStatus.REJECTED)
        .first()
    )
    if existing is None or not settlement_files_for(user).filter(pk=existing.pk).exists():
        # Another office's file: say only that it exists.
        return ValidationError(
            _("This file was already imported for %(source)s; nothing changed.") % {"source": source}
        )
    return ValidationError(
        _(
            "This file was already imported for %(source)s (file #%(id)s, %(name)s, on %(when)s, "
            "%(status)s); nothing changed."
        )
        % {
            "source": source,
            "id": existing.pk,
            "name": existing.file_name,
            "when": clock.localtime(existing.created_at).strftime("%d-%m-%Y %H:%M"),
            "status": existing.get_status_display(),
        }
    )


def _line_channel(raw: RawLine, default: str) -> tuple[str, str]:
    """(channel for a late posting, note) from the optional channel column."""
    value = raw.channel_text.strip()
    if not value:
        return default, ""
    if value.lower() in LINE_CHANNELS:
        return value.lower(), ""
    return default, f"mode {_printable(value, 20)}"


def _note(*parts: str) -> str:
    return _printable("; ".join(p for p in parts if p), 255)


def _validation_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def settlement_import(
    *, data: bytes, file_name: str, source_name: str, by, file_format: str = "generic"
) -> SettlementFile:
    """Import a settlement file of the registered source `source_name` (its code): validate every line,
    match, report what differs and what would be posted, and post nothing; the file waits for a second
    person's decision (``settlement_decide``). One transaction; the same file again (by SHA-256, per
    source) is refused and changes nothing unless it was rejected. The uploader needs VERIFY_CASH and
    an office that overlaps the source's."""
    if by is None:
        raise PermissionDenied(_("A settlement file is imported by a named staff user."))
    require(by, roles.VERIFY_CASH, _("You may not import settlement files."))
    if file_format != "generic":
        raise ValidationError(
            _("Unknown settlement file format %(format)r (known: generic).") % {"format": file_format}
        )
    source = settlement_source_get(code=source_name)
    office = _file_office(source, by)
    sha256 = hashlib.sha256(data).hexdigest()
    duplicates = SettlementFile.objects.filter(source=source.source, sha256=sha256).exclude(
        status=SettlementFileStatus.REJECTED
    )
    if duplicates.exists():
        raise _already_imported(source.source, sha256, by)
    raw_lines = read_csv(data)
    try:
        with transaction.atomic():
            settlement = SettlementFile.objects.create(
                settlement_source=source,
                source=source.source,
                office=office,
                file_name=_printable(file_name, 255),
                sha256=sha256,
                imported_by=by,
                status=SettlementFileStatus.PENDING,
            )
            lines = _match_lines(settlement, raw_lines, source, office)
            lines += _missing_in_file(settlement, lines, source.source, office)
            SettlementLine.objects.bulk_create(lines, batch_size=2000)
            _summarise_into(settlement, lines)
            return settlement
    except IntegrityError:
        if duplicates.exists():
            raise _already_imported(source.source, sha256, by)
        raise


def _within(office: Office, consumer: Consumer) -> bool:
    return consumer.office.path.startswith(office.path)


def _parse_line(line: SettlementLine, raw: RawLine, seen: dict[str, int], default_channel: str) -> list[str]:
    """Fill the line's values from the raw text; the problems found (each on its own)."""
    problems = list(raw.problems)
    if raw.unreadable:
        return problems
    try:
        line.amount = parse_amount(raw.amount_text)
    except ValueError as exc:
        problems.append(str(exc))
    try:
        paid_at = parse_paid_at(raw.paid_at_text)
        paid_at_check(paid_at=paid_at)  # the bounds every new payment has (the account's: later)
        line.paid_at = paid_at
    except ValueError as exc:
        problems.append(str(exc))
    except ValidationError as exc:
        problems.append(f"paid_at {raw.paid_at_text!r}: {_validation_text(exc)}")
    try:
        value_date = parse_value_date(raw.value_date_text)
    except ValueError as exc:
        problems.append(str(exc))
    else:
        if value_date is not None:
            if value_date > clock.today():
                problems.append(f"value_date {raw.value_date_text!r} is in the future")
            elif value_date < (clock.local_date(line.paid_at) if line.paid_at else _earliest_day()):
                problems.append(f"value_date {raw.value_date_text!r} is before the payment")
            else:
                line.value_date = value_date
    line.channel, mode_note = _line_channel(raw, default_channel)
    if mode_note:
        line.note = mode_note
    reference = raw.reference
    if not reference:
        problems.append("no reference")
    elif len(reference) > 64:
        problems.append("reference longer than 64 characters")
    elif not REFERENCE.fullmatch(reference):
        problems.append(
            f"reference {_printable(reference, 64)!r} may have only letters, digits and . _ : / -"
        )
    elif reference in seen:
        problems.append(f"reference repeated (first on line {seen[reference]})")
    else:
        seen[reference] = raw.line_number
    number = raw.account_number
    if not number:
        problems.append("no account number")
    elif not number.isascii():
        problems.append(f"account number {_printable(number, 20)!r} has characters other than ASCII digits")
    elif not acct.is_valid(number):
        problems.append(f"invalid account number {_printable(number, 20)!r}")
    return problems


def _earliest_day() -> datetime.date:
    return clock.today() - datetime.timedelta(days=paid_at_max_age_days())


def _match_lines(
    settlement: SettlementFile, raw_lines: list[RawLine], source: SettlementSource, office: Office
) -> list[SettlementLine]:
    default_channel = SOURCE_CHANNELS[source.kind]
    # Only well-formed values reach a query (PostgreSQL refuses a NUL even as a parameter).
    references = {raw.reference for raw in raw_lines if REFERENCE.fullmatch(raw.reference)}
    existing = {
        p.reference: p
        for p in Payment.objects.filter(source=source.source, reference__in=references).select_related(
            "consumer__office"
        )
    }
    # isascii() first: acct.is_valid() takes "²" for a digit and then fails on int("²").
    accounts = {a for raw in raw_lines if (a := raw.account_number).isascii() and acct.is_valid(a)}
    # Only accounts in the file's offices are looked up: one outside reads exactly like an unknown one.
    consumers = {
        c.account_number: c
        for c in Consumer.objects.filter(account_number__in=accounts, office__path__startswith=office.path)
    }
    seen: dict[str, int] = {}
    lines = []
    for raw in raw_lines:
        line = SettlementLine(
            file=settlement,
            line_number=raw.line_number,
            reference=_printable(raw.reference, 64),
            account_number=_printable(raw.account_number, 20),
        )
        lines.append(line)
        problems = _parse_line(line, raw, seen, default_channel)
        mode_note = line.note
        if problems:
            line.status, line.note = MatchStatus.INVALID, _note(*problems, mode_note)
            continue
        consumer = consumers.get(raw.account_number)
        if consumer is None:
            line.status = MatchStatus.INVALID
            line.note = _note(NOT_IN_SCOPE.format(number=raw.account_number), mode_note)
            continue
        payment = existing.get(raw.reference)
        if payment is not None:
            _match_existing(line, payment, office, mode_note)
            continue
        try:
            paid_at_check(paid_at=line.paid_at, connection_date=consumer.connection_date)
        except ValidationError as exc:
            line.status = MatchStatus.INVALID
            line.note = _note(f"paid_at {raw.paid_at_text!r}: {_validation_text(exc)}", mode_note)
            continue
        line.status, line.note = MatchStatus.TO_POST, mode_note
    return lines


def _match_existing(line: SettlementLine, payment: Payment, office: Office, mode_note: str) -> None:
    """A line whose reference Urja has: matched, a mismatch, or another account's (named only when
    that account is in the file's offices too)."""
    cancelled = "" if payment.status == PaymentStatus.POSTED else f"payment is {payment.status} in Urja"
    if payment.account_number != line.account_number:
        line.status = MatchStatus.INVALID
        if _within(office, payment.consumer):
            line.note = _note(
                f"reference already posted to account {payment.account_number} "
                f"(receipt {payment.receipt_number})",
                cancelled,
            )
        else:
            line.note = _note("reference already used in Urja for another account")
        return
    line.payment = payment
    if payment.amount == line.amount:
        line.status, line.note = MatchStatus.MATCHED, _note(cancelled, mode_note)
    else:
        line.status = MatchStatus.AMOUNT_MISMATCH
        line.note = _note(
            f"Urja has {payment.amount} (receipt {payment.receipt_number}), "
            f"file {line.amount}, difference {line.amount - payment.amount}",
            cancelled,
            mode_note,
        )


def _missing_in_file(
    settlement: SettlementFile, lines: list[SettlementLine], source: str, office: Office
) -> list[SettlementLine]:
    dated = [clock.local_date(line.paid_at) for line in lines if line.paid_at is not None]
    if not dated:
        return []
    start, _ignored = day_bounds(min(dated))
    _ignored, end = day_bounds(max(dated))
    in_file = {line.reference for line in lines}
    missing = (
        Payment.objects.filter(
            source=source,
            status=PaymentStatus.POSTED,
            paid_at__gte=start,
            paid_at__lt=end,
            consumer__office__path__startswith=office.path,
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


def _summarise_into(settlement: SettlementFile, lines: list[SettlementLine]) -> None:
    summary = summarise(lines)
    settlement.lines_total = summary["file"]["lines"]
    settlement.amount_total = Decimal(summary["file"]["amount"])
    settlement.summary = summary
    settlement.save(update_fields=["lines_total", "amount_total", "summary", "updated_at"])


# --- approval -------------------------------------------------------------------------------------------------


def settlement_decide(*, file_id: int, by, approve: bool, note: str = "") -> SettlementFile:
    """Approve (post every TO_POST line) or reject (with a reason) a pending file. The decider is a cash
    supervisor (VERIFY_CASH) who did not upload it, whose offices cover the file's. One transaction
    under the file's row lock (lock order: settlement file › account › payment › receipt series), so
    a double click, a retry or two approvers at once decide it once."""
    require(by, roles.VERIFY_CASH, _("Only a cash supervisor may approve or reject a settlement file."))
    if by is None:
        raise PermissionDenied(_("A settlement file is decided by a named staff user."))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why the settlement file is rejected.")})
    with transaction.atomic():
        settlement = (
            SettlementFile.objects.select_for_update(of=("self",))
            .select_related(
                "office", "settlement_source", "settlement_source__office", "settlement_source__partner"
            )
            .filter(pk=file_id)
            .first()
        )
        if settlement is None:
            raise ValidationError(_("No settlement file #%(id)s.") % {"id": file_id})
        if settlement.office is None or not user_covers(by, settlement.office):
            raise PermissionDenied(_("This settlement file is outside your offices."))
        if settlement.status != SettlementFileStatus.PENDING:
            raise ValidationError(
                _("This settlement file has already been decided: %(status)s.")
                % {"status": settlement.get_status_display()}
            )
        if settlement.imported_by_id == by.pk:
            raise PermissionDenied(
                _("The person who uploaded a settlement file cannot approve or reject it.")
            )
        if approve:
            source = settlement.settlement_source
            if source is None or not source.usable:
                raise ValidationError(
                    _("The settlement source %(source)s is no longer active; the file cannot be posted.")
                    % {"source": source.code if source else settlement.source}
                )
            _post_lines(settlement, source, by)
        settlement.status = SettlementFileStatus.POSTED if approve else SettlementFileStatus.REJECTED
        settlement.decided_by, settlement.decided_at = by, clock.now()
        settlement.decision_note = _printable(note, 255)
        settlement.full_clean(exclude=["settlement_source", "office", "imported_by", "decided_by"])
        settlement.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        _summarise_into(settlement, list(settlement.lines.select_related("payment")))
        return settlement


def _post_lines(settlement: SettlementFile, source: SettlementSource, by) -> None:
    lines = list(settlement.lines.filter(status=MatchStatus.TO_POST).order_by("line_number", "pk"))
    if not lines:
        return
    # The accounts may post now only if still under the file's offices, the source's and the
    # approver's (an account may have moved since the upload).
    in_scope = {
        c.account_number: c
        for c in Consumer.objects.filter(
            account_number__in={line.account_number for line in lines},
            office__path__startswith=settlement.office.path,
        ).select_related("office")
        if _within(source.office, c) and user_covers(by, c.office)
    }
    # Lock order: account › payment › receipt series. The first posting takes the source's receipt
    # series and keeps it to the end of this transaction, so lock every account first, in id order.
    if in_scope:
        ids = sorted(c.pk for c in in_scope.values())
        list(Consumer.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    for line in lines:
        consumer = in_scope.get(line.account_number)
        mode_note = line.note
        if consumer is None:
            line.status = MatchStatus.INVALID
            line.note = _note(NOT_IN_SCOPE.format(number=line.account_number), mode_note)
            continue
        try:
            result = payment_post(
                consumer=consumer,
                amount=line.amount,
                channel=line.channel or SOURCE_CHANNELS[source.kind],
                source=settlement.source,  # the namespace the file was matched in at import
                reference=line.reference,
                paid_at=line.paid_at,
                by=by,
                late=True,
            )
        except ValidationError as exc:
            line.status, line.note = (
                MatchStatus.INVALID,
                _note("not posted: " + _validation_text(exc), mode_note),
            )
            continue
        except PaymentConflict as exc:  # posted meanwhile by another channel of the source
            existing = Payment.objects.select_related("consumer__office").get(pk=exc.existing.pk)
            _match_existing(line, existing, settlement.office, mode_note)
            continue
        line.payment = result.payment
        if result.created:
            line.status = MatchStatus.POSTED_LATE
            line.note = _note(f"posted late: receipt {result.payment.receipt_number}", mode_note)
        else:
            line.status = MatchStatus.MATCHED
            line.note = _note(f"in Urja before approval (receipt {result.payment.receipt_number})", mode_note)
    SettlementLine.objects.bulk_update(lines, ["status", "note", "payment"], batch_size=2000)


# --- summaries and reports ----------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def summarise(lines: list[SettlementLine]) -> dict:
    """Counts and amounts per status. The file's lines (every status but MISSING_IN_FILE) add up to the
    file totals; the Urja side is matched + posted late + mismatched (at Urja's amount) + missing;
    `to_post` is what approval would post (lines, distinct accounts, amount)."""
    counts = dict.fromkeys(MatchStatus.values, 0)
    amounts = dict.fromkeys(MatchStatus.values, ZERO)
    mismatch_urja = ZERO
    to_post_accounts = set()
    for line in lines:
        counts[line.status] += 1
        amounts[line.status] += line.amount or ZERO
        if line.status == MatchStatus.AMOUNT_MISMATCH and line.payment is not None:
            mismatch_urja += line.payment.amount
        if line.status == MatchStatus.TO_POST:
            to_post_accounts.add(line.account_number)
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
        "to_post": {
            "lines": counts[MatchStatus.TO_POST],
            "accounts": len(to_post_accounts),
            "amount": _money(amounts[MatchStatus.TO_POST]),
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


def settlement_day_report(day: datetime.date, sources: list[str] | None = None, user=None) -> list[SourceDay]:
    """Per bank/gateway source, for payments made on `day`: payments in Urja and their amount, and the
    settlement lines of that day by status (matched, to post, posted late, missing in file, mismatch,
    invalid), across every file imported for the source that was not rejected. For a `user`: the
    payments of their offices and the files they may see. Four queries."""
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
    if user is not None:
        payments = payments.filter(office_q(user, field="consumer__office"))
    for item in payments.values("source").annotate(n=Count("pk"), total=MoneySum("amount")).order_by():
        entry = row(item["source"])
        entry.payments, entry.amount = item["n"], item["total"] or ZERO
    line_q = Q(paid_at__gte=start, paid_at__lt=end)
    file_source_q = (
        Q(file__source__in=sources)
        if sources is not None
        else (Q(file__source__startswith="bank:") | Q(file__source__startswith="gateway:"))
    )
    day_lines = SettlementLine.objects.filter(line_q, file_source_q).exclude(
        file__status=SettlementFileStatus.REJECTED
    )
    shown = day_lines
    if user is not None:
        shown = shown.filter(file__in=settlement_files_for(user).values("pk"))
    for source, status, amount, file_id in shown.values_list("file__source", "status", "amount", "file_id"):
        entry = row(source)
        entry.statuses[status]["count"] += 1
        entry.statuses[status]["amount"] += amount or ZERO
        if file_id not in entry.files:
            entry.files.append(file_id)
    # A payment any file reported is settled, whoever may see that file (ids only, never shown).
    settled_ids: dict[str, set[int]] = defaultdict(set)
    for source, payment_id in (
        day_lines.exclude(status=MatchStatus.MISSING_IN_FILE)
        .filter(payment_id__isnull=False)
        .values_list("file__source", "payment_id")
    ):
        settled_ids[source].add(payment_id)
    for source, payment_id, amount in payments.values_list("source", "pk", "amount"):
        if payment_id not in settled_ids[source]:
            entry = row(source)
            entry.not_in_any_file += 1
            entry.not_in_any_file_amount += amount
    return sorted(result.values(), key=lambda r: r.source)
