"""Keeps personal data (mobile numbers, Aadhaar numbers, e-mail addresses) out of the logs.

Masking happens when a log record is made (`configure`, Django's LOGGING_CONFIG, installs a record
factory), so it reaches every record whichever logger and handler it goes to: the request log of
runserver (`django.server`) and of a WSGI server such as gunicorn (`gunicorn.access`), Celery's own
handlers, and the text of tracebacks. A search for a mobile puts it in the query string of the request
line, written as a form field (`98765+43210`, `%2B91…`) or typed with spaces or dashes, so all of those
are recognised.

What stays readable: account numbers (10 digits starting 1-5, never a mobile), bill numbers, receipts,
amounts, dates and ids. A 12-digit number starting 2-9 is taken for an Aadhaar number even when it is
something else (a bank's UTR): better a masked reference than a logged Aadhaar number."""

import logging
import logging.config
import re

# Between the digits of a number people put spaces or dashes; in a query string a space is "+" or "%20".
_GAP = r"(?:[ \t\-]|%20|\+){0,3}"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])(?P<local>(?:[A-Za-z0-9._+\-]|%[0-9A-Fa-f]{2})+)(?:@|%40)"
    r"(?P<domain>(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,})(?![A-Za-z0-9\-])"
)
# 4-4-4 groups (or none); never the start of a +91 mobile.
_AADHAAR = re.compile(rf"(?<![\d+])(?<!%2B)(?<!%2b)[2-9]\d{{3}}{_GAP}\d{{4}}{_GAP}(\d{{4}})(?!\d)")
# Ten digits starting 6-9, in any grouping, with +91, 91 or 0 in front or not.
_MOBILE = re.compile(
    rf"(?:(?:\+|%2[Bb]){_GAP}91{_GAP}|(?<!\d)91{_GAP}|(?<!\d)0{_GAP}|(?<!\d))"
    rf"[6-9](?:{_GAP}\d){{5}}((?:{_GAP}\d){{4}})(?!\d)"
)
_DIGITS = re.compile(r"\D")


def _mask_email(match: re.Match) -> str:
    return f"{match['local'][0]}***@{match['domain']}"


def mask_text(text: str) -> str:
    text = _EMAIL.sub(_mask_email, text)
    text = _AADHAAR.sub(lambda m: f"XXXX-XXXX-{m.group(1)}", text)
    return _MOBILE.sub(lambda m: "XXXXXX" + _DIGITS.sub("", m.group(1)), text)


def mask_record(record: logging.LogRecord) -> None:
    """Mask the message, the traceback and the stack of a record, in place."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record is reported by its handler, as usual
        return
    masked = mask_text(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        text = logging.Formatter().formatException(record.exc_info)
        masked = mask_text(text)
        if masked != text:
            record.exc_text = masked
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)


def install_record_masking() -> None:
    """Mask every log record as it is made (once per process, whatever else wraps the factory)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "masks_personal_data", False):
        return

    def masked_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        mask_record(record)
        return record

    masked_record.masks_personal_data = True
    logging.setLogRecordFactory(masked_record)


def configure(config: dict) -> None:
    """LOGGING_CONFIG: Django's dictConfig, and the record masking with it."""
    logging.config.dictConfig(config)
    install_record_masking()


class MaskPersonalDataFilter(logging.Filter):
    """For a handler configured outside Urja's settings; records made in Urja are masked already."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True
