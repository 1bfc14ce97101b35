"""What a ledger entry says, in the reader's language.

An entry stores a ``code`` and its ``params`` (bill number, receipt number, channel ...) next to an
English ``description`` (kept for the admin, logs and exports). Statements (console and PDF) and the
bill's "last payment" show :func:`entry_text`, rendered with gettext in the active language or the one
asked for. An entry without a code (posted before entries carried one, or by a poster that does not
set one yet) shows its stored description.

The posters (billing, payments) build their entries with :func:`describe`, which gives both the code
and params and the English description, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urja.domain.money import format_indian

BILL = "bill"
BILL_CREDIT = "bill_credit"
BILL_SUBSIDY = "bill_subsidy"
PAYMENT = "payment"
BOUNCE_CHARGE = "bounce_charge"
REVERSAL = "reversal"
LPSC = "lpsc"
ADJUSTMENT = "adjustment"
DEPOSIT_DEMAND = "deposit_demand"
DEPOSIT_SET_OFF = "deposit_set_off"
DEPOSIT_REFUND = "deposit_refund"
CONNECTION_REFUND = "connection_refund"
#: A credit the rules owe the consumer for a missed standard of performance (a late new connection).
COMPENSATION = "compensation"
OTS_WAIVER = "ots_waiver"
OTS_REBATE = "ots_rebate"

#: How a payment came in, by Payment.channel. The words are the msgids of payments.choices.Channel
#: (the ledger sits below payments and cannot import it), so they share its Hindi.
CHANNEL_WORDS = {
    "cash": gettext_lazy("Cash at counter"),
    "cheque": gettext_lazy("Cheque"),
    "dd": gettext_lazy("Demand draft"),
    "card": gettext_lazy("Card at counter"),
    "upi_counter": gettext_lazy("UPI at counter"),
    "online": gettext_lazy("Online (gateway)"),
    "partner": gettext_lazy("BBPS / bank / payment app"),
    "bank": gettext_lazy("Bank transfer (NEFT/RTGS)"),
}
INSTRUMENT_WORDS = {"cheque": gettext_lazy("cheque"), "dd": gettext_lazy("demand draft")}


def _channel(p: Mapping[str, Any]) -> str:
    channel = str(p.get("channel", ""))
    return str(CHANNEL_WORDS.get(channel, channel))


def _bounce(p: Mapping[str, Any]) -> str:
    instrument = str(p.get("instrument", ""))
    words = " ".join(
        part
        for part in (str(INSTRUMENT_WORDS.get(instrument, instrument)), p.get("number"), p.get("bank"))
        if part
    )
    return _("Cheque bounce charge: %(instrument)s, receipt %(receipt)s") % {
        "instrument": words,
        "receipt": p.get("receipt", ""),
    }


def _reversal(p: Mapping[str, Any]) -> str:
    inner = dict(p)
    code = str(inner.pop("of", ""))
    description = str(inner.pop("of_description", ""))
    what = render(code, inner, description)
    return _("Reversal of %(what)s") % {"what": what}


def _lpsc(p: Mapping[str, Any]) -> str:
    parts = [
        _("%(percent)s%% on %(base)s (%(period)s)")
        % {"percent": percent, "base": format_indian(base), "period": period or _("opening balance")}
        for percent, base, period in p.get("items", [])
    ]
    return _("LPSC %(month)s: %(parts)s") % {"month": p.get("month", ""), "parts": "; ".join(parts)}


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    BILL: lambda p: _("Bill %(number)s") % {"number": p.get("bill", "")},
    BILL_CREDIT: lambda p: _("Credit on bill %(number)s") % {"number": p.get("bill", "")},
    BILL_SUBSIDY: lambda p: _("Government subsidy on bill %(number)s") % {"number": p.get("bill", "")},
    PAYMENT: lambda p: (
        _("Payment %(receipt)s (%(channel)s)") % {"receipt": p.get("receipt", ""), "channel": _channel(p)}
    ),
    BOUNCE_CHARGE: _bounce,
    REVERSAL: _reversal,
    LPSC: _lpsc,
    ADJUSTMENT: lambda p: (
        (
            _("Adjustment #%(number)s (debit): %(reason)s")
            if p.get("kind") == "debit"
            else _("Adjustment #%(number)s (credit): %(reason)s")
        )
        % {"number": p.get("number", ""), "reason": p.get("reason", "")}
    ),
    DEPOSIT_DEMAND: lambda p: (
        _("Additional security deposit for load %(old)s to %(new)s %(unit)s (%(item)s)")
        % {
            "old": p.get("old", ""),
            "new": p.get("new", ""),
            "unit": p.get("unit", ""),
            "item": p.get("item", ""),
        }
    ),
    DEPOSIT_SET_OFF: lambda p: (
        _("Security deposit %(amount)s set against dues on permanent disconnection")
        % {"amount": format_indian(p.get("amount", "0"))}
    ),
    DEPOSIT_REFUND: lambda p: (
        _("Refund of %(amount)s, the deposit left after the dues, on permanent disconnection")
        % {"amount": format_indian(p.get("amount", "0"))}
    ),
    CONNECTION_REFUND: lambda p: (
        _("Refund of %(amount)s paid on new connection application %(item)s, rejected")
        % {"amount": format_indian(p.get("amount", "0")), "item": p.get("item", "")}
    ),
    COMPENSATION: lambda p: (
        _("Compensation: new connection %(item)s not given by %(date)s")
        % {"item": p.get("item", ""), "date": p.get("date", "")}
    ),
    OTS_WAIVER: lambda p: (
        _("OTS surcharge waiver %(scheme)s (%(percent)s%% of %(base)s)")
        % {
            "scheme": p.get("scheme", ""),
            "percent": p.get("percent", ""),
            "base": format_indian(p.get("base", "0")),
        }
    ),
    OTS_REBATE: lambda p: (
        _("OTS principal rebate %(scheme)s (%(percent)s%% of %(base)s, paid by %(day)s)")
        % {
            "scheme": p.get("scheme", ""),
            "percent": p.get("percent", ""),
            "base": format_indian(p.get("base", "0")),
            "day": p.get("day", ""),
        }
    ),
}


def render(code: str, params: Mapping[str, Any] | None, description: str, language: str | None = None) -> str:
    """The words for (code, params); ``description`` when the code is unknown or has no renderer."""
    renderer = RENDERERS.get(code)
    if renderer is None or not isinstance(params, Mapping):
        return description
    if language and language != translation.get_language():  # activating one costs more than the text
        with translation.override(language):
            return renderer(params)
    return renderer(params)


def entry_text(entry: Any, language: str | None = None) -> str:
    """What a ledger entry says, in ``language`` or the active one (its stored description if it has
    no code)."""
    return render(entry.code, entry.params, entry.description, language)


def describe(code: str, **params: Any) -> dict[str, Any]:
    """The ``code``, ``params`` and English ``description`` fields of a new entry."""
    clean = {key: value for key, value in params.items() if value not in (None, "")}
    return {"code": code, "params": clean, "description": render(code, clean, "", "en")[:200]}


def reversal_of(entry: Any) -> dict[str, Any]:
    """The description fields of the entry reversing ``entry``."""
    if entry.code:
        return describe(REVERSAL, of=entry.code, **dict(entry.params or {}))
    return describe(REVERSAL, of_description=entry.description)
