"""The words of a bill in the reader's language: bill lines, bill basis, months and dates.

A bill stores its lines as codes and parameters (``head`` and ``params`` in ``Bill.lines``, made by the
engine, :class:`urja.domain.engine.BillLine`) next to an English ``description``. What a reader sees is
rendered here at display time, with gettext, in the active language (or the one asked for): the staff
user's in the console, the consumer's on the PDF. A line without ``params`` (a bill made before lines
carried them) or with a head this module does not know shows its stored description.

Amounts inside the words are in Indian digit grouping (1,23,456.50), dates DD-MM-YYYY.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from urja.domain.money import format_indian, format_number, format_rate

#: Bill basis spelled out (the codes MU, UM, MIN, PROV, ASS are never shown to a reader).
BASIS_WORDS = {
    "MU": pgettext_lazy("bill basis", "metered"),
    "UM": pgettext_lazy("bill basis", "unmetered (flat)"),
    "MIN": pgettext_lazy("bill basis", "minimum charge"),
    "PROV": pgettext_lazy("bill basis", "provisional"),
    "ASS": pgettext_lazy("bill basis", "assessed"),
}

#: Who pays a subsidy, as tariff data names them.
PAYERS = {"Government of Uttar Pradesh": gettext_lazy("Government of Uttar Pradesh")}

MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)


def date_text(day: datetime.date | str | None) -> str:
    """A date as Urja shows it everywhere: DD-MM-YYYY (an ISO string is read first), a dash for none."""
    if not day:
        return "—"
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            return day
    return day.strftime("%d-%m-%Y")


def month_text(month: str) -> str:
    """A bill month "2025-11" as "November 2025" in the active language."""
    try:
        year, number = (int(part) for part in month.split("-"))
        return f"{MONTHS[number - 1]} {year}"
    except (ValueError, IndexError):
        return month


def basis_text(code: str | None, language: str | None = None) -> str:
    """The bill basis in words: "metered", "provisional" ... (the code itself if unknown)."""
    with _language(language):
        return str(BASIS_WORDS.get(code or "", code or "—"))


class _language:
    """translation.override(language), or nothing when no language is given."""

    def __init__(self, language: str | None) -> None:
        self.override = translation.override(language) if language else None

    def __enter__(self) -> None:
        if self.override is not None:
            self.override.__enter__()

    def __exit__(self, *exc: Any) -> None:
        if self.override is not None:
            self.override.__exit__(*exc)


def _money(value: str) -> str:
    try:
        return format_indian(value)
    except ArithmeticError:
        return value


def _num(value: str | None) -> str:
    """A quantity, load, slab bound or percentage as the engine writes it in words: 150, 147.5, 1.24."""
    return format_number(Decimal(value)) if value not in (None, "") else ""


def _rate(value: str | None) -> str:
    """A rate with at least two decimals: 5.50, 7.875."""
    return format_rate(Decimal(value)) if value not in (None, "") else ""


def _months(months: str) -> str:
    try:
        single = Fraction(months) <= 1
    except (ValueError, ZeroDivisionError):
        single = False
    return (_("%(months)s month") if single else _("%(months)s months")) % {"months": months}


def _part(p: Mapping[str, str]) -> str:
    if not p.get("part"):
        return ""
    return _(" [%(version)s tariff, %(start)s to %(end)s]") % {
        "version": p["part"],
        "start": date_text(p.get("part_from")),
        "end": date_text(p.get("part_to")),
    }


def _energy(p: Mapping[str, str]) -> str:
    word = {"provisional": _("Energy (provisional)"), "assessed": _("Energy (assessed)")}.get(
        p.get("basis", ""), _("Energy")
    )
    unit = p.get("unit", "")
    lower, upto = p.get("from"), p.get("upto")
    band = ""
    if lower is not None and upto is None:
        band = _(" above %(lower)s %(unit)s") % {"lower": _num(lower), "unit": unit}
    elif lower is not None and Decimal(lower) == 0:
        band = _(" up to %(upto)s %(unit)s") % {"upto": _num(upto), "unit": unit}
    elif lower is not None:
        band = f" {format_number(Decimal(lower) + 1)}-{_num(upto)} {unit}"
    return _("%(word)s%(band)s: %(quantity)s %(unit)s @ Rs %(rate)s") % {
        "word": word,
        "band": band,
        "quantity": _num(p.get("quantity")),
        "unit": unit,
        "rate": _rate(p.get("rate")),
    } + _part(p)


def _fixed(p: Mapping[str, str]) -> str:
    sanctioned = ""
    if p.get("sanctioned"):
        sanctioned = _(" (sanctioned %(load)s %(unit)s)") % {
            "load": _num(p["sanctioned"]),
            "unit": p.get("sanctioned_unit", ""),
        }
    return _("Fixed charge: %(load)s %(unit)s%(sanctioned)s @ Rs %(rate)s/%(unit)s/month x %(months)s") % {
        "load": _num(p.get("load")),
        "unit": p.get("unit", ""),
        "sanctioned": sanctioned,
        "rate": _rate(p.get("rate")),
        "months": _months(p.get("months", "1")),
    } + _part(p)


def _topup(p: Mapping[str, str]) -> str:
    return _("Minimum charge top-up: minimum Rs %(minimum)s less Rs %(charged)s charged") % {
        "minimum": _money(p.get("minimum", "")),
        "charged": _money(p.get("charged", "")),
    } + _part(p)


def _true_up(p: Mapping[str, str]) -> str:
    if p.get("start"):
        values = {
            "start": date_text(p["start"]),
            "end": date_text(p.get("end")),
            "billed": _num(p.get("billed")),
            "actual": _num(p.get("actual")),
            "units": _num(p.get("units")),
        }
        if p.get("kind") == "credit":
            return (
                _(
                    "Provisional true-up %(start)s to %(end)s: %(billed)s kWh billed, %(actual)s kWh used "
                    "(credit of %(units)s kWh), re-billed on that period's slabs"
                )
                % values
            )
        return (
            _(
                "Provisional true-up %(start)s to %(end)s: %(billed)s kWh billed, %(actual)s kWh used "
                "(debit of %(units)s kWh), re-billed on that period's slabs"
            )
            % values
        )
    values = {"quantity": _num(p.get("quantity") or p.get("units")), "unit": p.get("unit", "")}
    if p.get("kind") == "credit":
        return (
            _(
                "Provisional true-up: credit of %(quantity)s %(unit)s billed provisionally, priced at "
                "this bill's slab rates"
            )
            % values
        )
    return (
        _(
            "Provisional true-up: debit of %(quantity)s %(unit)s billed provisionally, priced at this "
            "bill's slab rates"
        )
        % values
    )


def _percent(text: Any) -> Any:
    def render(p: Mapping[str, str]) -> str:
        return str(text) % {"percent": _num(p.get("percent")), "base": _money(p.get("base", ""))}

    return render


def _fppas(p: Mapping[str, str]) -> str:
    if p.get("month") and not p.get("days"):
        return _("FPPAS for bills of %(month)s: %(percent)s%% on Rs %(base)s") % {
            "month": month_text(p["month"]),
            "percent": _num(p.get("percent")),
            "base": _money(p.get("base", "")),
        }
    if p.get("month"):
        return _("FPPAS %(month)s %(percent)s%% on %(days)s/%(total_days)s days of Rs %(base)s") % {
            "month": month_text(p["month"]),
            "percent": _num(p.get("percent")),
            "days": p.get("days", ""),
            "total_days": p.get("total_days", ""),
            "base": _money(p.get("base", "")),
        }
    return _("FPPAS %(percent)s%% on Rs %(base)s") % {
        "percent": _num(p.get("percent")),
        "base": _money(p.get("base", "")),
    }


def _subsidy(p: Mapping[str, str]) -> str:
    payer = p.get("payer", "")
    return _("Subsidy %(percent)s%% of current charges Rs %(base)s, paid by %(payer)s") % {
        "percent": _num(p.get("percent")),
        "base": _money(p.get("base", "")),
        "payer": str(PAYERS.get(payer, payer)),
    }


def _penalty(p: Mapping[str, str]) -> str:
    return _("Meter not accessible penalty: %(load)s %(unit)s @ Rs %(rate)s/%(unit)s") % {
        "load": _num(p.get("load")),
        "unit": p.get("unit", "kW"),
        "rate": _rate(p.get("rate")),
    }


_DUTY = gettext_lazy("Electricity duty %(percent)s%% on Rs %(base)s")


def _duty(p: Mapping[str, str]) -> str:
    if not p.get("exempt_percent"):
        return _percent(_DUTY)(p)
    return _(
        "Electricity duty %(percent)s%% (%(duty)s%% less %(exempt)s%% exempt by %(order)s) on Rs %(base)s"
    ) % {
        "percent": _num(p.get("percent")),
        "duty": _num(p.get("duty_percent")),
        "exempt": _num(p.get("exempt_percent")),
        "order": p.get("order", ""),
        "base": _money(p.get("base", "")),
    }


def _demand(p: Mapping[str, str]) -> str:
    values = {
        "billed": _num(p.get("billable_kva")),
        "md": _num(p.get("md_kva")),
        "contracted": _num(p.get("contracted_kva")),
        "share": _num(p.get("share_percent")),
        "rate": _rate(p.get("rate")),
        "months": _months(p.get("months", "1")),
    }
    if not p.get("md_kva"):
        text = _(
            "Demand charge: %(billed)s kVA (no MD recorded, contracted demand %(contracted)s kVA) @ Rs %(rate)s/kVA/month x %(months)s"
        )
    elif Decimal(p["md_kva"]) < Decimal(p.get("billable_kva", "0")):
        text = _(
            "Demand charge: %(billed)s kVA (%(share)s%% of contracted %(contracted)s kVA, above recorded MD %(md)s kVA) @ Rs %(rate)s/kVA/month x %(months)s"
        )
    else:
        text = _(
            "Demand charge: %(billed)s kVA (recorded MD, contracted %(contracted)s kVA) @ Rs %(rate)s/kVA/month x %(months)s"
        )
    return text % values + _part(p)


def _excess(p: Mapping[str, str]) -> str:
    return _(
        "Excess demand: %(excess)s kVA above contracted %(contracted)s kVA @ Rs %(rate)s/kVA/month x %(months)s (charged %(multiple)sx the demand rate in all)"
    ) % {
        "excess": _num(p.get("excess_kva")),
        "contracted": _num(p.get("contracted_kva")),
        "rate": _rate(p.get("rate")),
        "months": _months(p.get("months", "1")),
        "multiple": _num(p.get("multiple")),
    } + _part(p)


def _tod(p: Mapping[str, str]) -> str:
    percent = Decimal(p.get("percent", "0"))
    return _(
        "Time of day %(slot)s %(hours)s (%(percent)s%%): %(quantity)s of %(total)s %(unit)s on energy Rs %(energy)s"
    ) % {
        "slot": p.get("slot", ""),
        "hours": p.get("hours", ""),
        "percent": ("+" if percent > 0 else "") + _num(p.get("percent")),
        "quantity": _num(p.get("quantity")),
        "total": _num(p.get("total")),
        "unit": p.get("unit", ""),
        "energy": _money(p.get("energy", "")),
    }


def _power_factor(p: Mapping[str, str]) -> str:
    values = {
        "pf": p.get("power_factor", ""),
        "threshold": _num(p.get("threshold")),
        "percent": _num(p.get("percent")),
        "energy": _money(p.get("energy", "")),
    }
    if p.get("kind") == "rebate":
        return (
            _(
                "Power factor rebate: average PF %(pf)s above %(threshold)s, %(percent)s%% on energy Rs %(energy)s"
            )
            % values
        )
    return (
        _(
            "Power factor surcharge: average PF %(pf)s below %(threshold)s, %(percent)s%% on energy Rs %(energy)s"
        )
        % values
    )


def _voltage_rebate(p: Mapping[str, str]) -> str:
    return _("Supply voltage rebate %(percent)s%% (supply at %(kv)s kV, from %(min)s kV) on Rs %(base)s") % {
        "percent": _num(p.get("percent")),
        "kv": _num(p.get("supply_kv")),
        "min": _num(p.get("min_kv")),
        "base": _money(p.get("base", "")),
    }


def _load_factor_rebate(p: Mapping[str, str]) -> str:
    return _(
        "Load factor rebate %(percent)s%% (load factor %(factor)s%% above %(threshold)s%%) on energy Rs %(energy)s"
    ) % {
        "percent": _num(p.get("percent")),
        "factor": _num(p.get("load_factor")),
        "threshold": _num(p.get("threshold")),
        "energy": _money(p.get("energy", "")),
    }


def _net_metering(p: Mapping[str, str]) -> str:
    if Decimal(p.get("banked_after") or "0") > 0:
        return _(
            "Net metering: import %(import)s kWh - export %(export)s kWh - banked %(banked)s kWh: %(after)s kWh "
            "banked for the next bill"
        ) % {
            "import": _num(p.get("import")),
            "export": _num(p.get("export")),
            "banked": _num(p.get("banked_before")),
            "after": _num(p.get("banked_after")),
        }
    return _(
        "Net metering: import %(import)s kWh - export %(export)s kWh - banked %(banked)s kWh = %(billed)s kWh billed"
    ) % {
        "import": _num(p.get("import")),
        "export": _num(p.get("export")),
        "banked": _num(p.get("banked_before")),
        "billed": _num(p.get("billed")),
    }


def _solar_export(p: Mapping[str, str]) -> str:
    return _("Solar export (gross metering): %(units)s kWh @ Rs %(rate)s") % {
        "units": _num(p.get("units")),
        "rate": _rate(p.get("rate")),
    }


def _late_rebate(p: Mapping[str, str]) -> str:
    return _("Late bill rebate %(percent)s%% on Rs %(base)s (bill served %(days)s days after the period)") % {
        "percent": _num(p.get("percent")),
        "base": _money(p.get("base", "")),
        "days": p.get("days", ""),
    }


_REBATE = gettext_lazy("Prepaid meter rebate %(percent)s%% on Rs %(base)s")

RENDERERS = {
    "energy": _energy,
    "fixed": _fixed,
    "minimum_charge_topup": _topup,
    "provisional_true_up": _true_up,
    "electricity_duty": _duty,
    "demand": _demand,
    "excess_demand": _excess,
    "tod": _tod,
    "power_factor": _power_factor,
    "voltage_rebate": _voltage_rebate,
    "load_factor_rebate": _load_factor_rebate,
    "solar_net_metering": _net_metering,
    "solar_export_credit": _solar_export,
    "late_bill_rebate": _late_rebate,
    "fppas": _fppas,
    "prepaid_rebate": _percent(_REBATE),
    "subsidy": _subsidy,
    "na_penalty": _penalty,
    "lpsc": lambda p: _("Late payment surcharge"),
    "arrears": lambda p: _("Arrears"),
    "round_off": lambda p: _("Round-off to the rupee"),
}


def line_text(line: Mapping[str, Any], language: str | None = None) -> str:
    """The words of one stored bill line (an item of ``Bill.lines``) in ``language`` or the active one.
    Falls back to the stored English description for a line without params or of an unknown head."""
    params = line.get("params")
    render = RENDERERS.get(str(line.get("head", "")))
    if not isinstance(params, Mapping) or render is None:
        return str(line.get("description", ""))
    with _language(language):
        try:
            return render(params)
        except (KeyError, ValueError, ArithmeticError, TypeError):  # a bad number: InvalidOperation
            return str(line.get("description", ""))


def lines_text(lines: list[Mapping[str, Any]], language: str | None = None) -> list[dict[str, Any]]:
    """The stored lines, each with its words in ``text`` (for templates)."""
    return [{**line, "text": line_text(line, language)} for line in lines]
