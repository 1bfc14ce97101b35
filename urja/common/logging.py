"""Keeps personal data (mobile numbers, Aadhaar numbers) out of the logs."""

import logging
import re

_AADHAAR = re.compile(r"(?<!\d)(\d{4})[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?91[ -]?|0)?([6-9]\d{5})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = _AADHAAR.sub(lambda m: f"XXXX-XXXX-{m.group(3)}", text)
    return _MOBILE.sub(lambda m: f"XXXXXX{m.group(2)}", text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
