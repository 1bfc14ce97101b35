"""The Utility Command Centre (docs/ucc.md): one page per place of the drill-down (state › discom › … ›
sub-division › feeder › DT) and the same figures as JSON for its auto-refresh. Thin: the reads are in
urja.mis.dashboard; here they are only scoped, labelled and formatted in the page's language."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache

from urja.common import clock
from urja.common.errors import NotFound
from urja.domain.money import format_indian
from urja.mis import dashboard as ucc
from urja.org import roles
from urja.org.choices import OfficeLevel
from urja.org.permissions import capability_required

#: How often the page fetches its figures again (seconds); paused while the tab is hidden.
REFRESH_SECONDS = 180
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

GAP_TEXT = {
    "no_input": gettext_lazy("no input energy recorded for the month"),
    "no_billed_amount": gettext_lazy("nothing billed in the month"),
    "unmetered_feeder": gettext_lazy("some feeders have no input reading for the month"),
    "unmetered_dt": gettext_lazy("the transformer has no input reading for the month"),
    "unindexed_consumers": gettext_lazy("some billed consumers are not indexed to a transformer"),
}
LEVEL_TEXT = {
    ucc.STATE: pgettext_lazy("the country's state, above the discoms", "State"),
    **{level.value: level.label for level in OfficeLevel},
    ucc.FEEDER: gettext_lazy("Feeder"),
    ucc.DT: gettext_lazy("Transformer"),
}


def _percent(value: str | None) -> str:
    return "—" if value is None else f"{value}%"


def _rupees(value: str) -> str:
    return "₹" + format_indian(Decimal(value))


def _reason(gaps: list[str], *, missing: bool) -> str:
    """Why a figure is missing (or, when it is there, what makes it less than whole)."""
    relevant = [g for g in gaps if missing or g not in ("no_input", "no_billed_amount")]
    return "; ".join(str(GAP_TEXT[g]) for g in relevant if g in GAP_TEXT)


def _energy_kpi(key: str, label, value: str | None, gaps: list[str], trend: list | None) -> dict:
    return {
        "key": key,
        "label": str(label),
        "value": _percent(value),
        "reason": _reason(gaps, missing=value is None),
        "gap": value is None,
        "trend": trend,
    }


def kpis(data: dict) -> list[dict]:
    """The dashboard's KPI cards: label, value as shown, and why a value is missing."""
    e, t, r = data["energy"], data["trend"], data["revenue"]
    month = data["period"]
    cards = [
        _energy_kpi("atc", _("AT&C loss (%(month)s)") % {"month": month}, e["atc_loss_pct"], e["gaps"],
                    t["atc_loss_pct"]),
        _energy_kpi("billing_efficiency", _("Billing efficiency (%(month)s)") % {"month": month},
                    e["billing_efficiency"], e["gaps"], t["billing_efficiency"]),
        _energy_kpi("collection_efficiency", _("Collection efficiency (%(month)s)") % {"month": month},
                    e["collection_efficiency"], e["gaps"], t["collection_efficiency"]),
    ]  # fmt: skip
    for key, label in (
        ("billed_today", _("Billed today")),
        ("billed_month", _("Billed this month")),
        ("billed_year", _("Billed this financial year")),
        ("collected_today", _("Collected today")),
        ("collected_month", _("Collected this month")),
        ("collected_year", _("Collected this financial year")),
    ):
        cards.append({"key": key, "label": label, "value": _rupees(r[key]), "reason": "", "gap": False})
    owed_as_of = data.get("arrears_as_of_text")
    cards.append({"key": "arrears", "label": _("Arrears"), "value": _rupees(data["arrears"]),
                  "reason": _("as of %(time)s") % {"time": owed_as_of} if owed_as_of else "",
                  "gap": False})  # fmt: skip
    u = data["unmetered"]
    cards.append(
        {
            "key": "unmetered",
            "label": _("Unmetered consumers"),
            "value": _percent(u["pct"]),
            "reason": _("%(count)s of %(of)s connected") % {"count": u["count"], "of": u["of"]}
            if u["of"]
            else _("no connected consumers"),
            "gap": u["pct"] is None,
        }
    )
    work = data["work"]
    for key, label in (
        ("complaints_open", _("Complaints open")),
        ("complaints_breached", _("Complaints past due")),
        ("applications_past_sla", _("Applications past SLA")),
        ("bill_runs", _("Bill runs in progress")),
    ):
        if work is None:
            cards.append(
                {"key": key, "label": label, "value": "—", "reason": _("counted by office"), "gap": True}
            )
        else:
            cards.append({"key": key, "label": label, "value": str(work[key]), "reason": "", "gap": False})
    for card in cards:
        card["label"] = str(card["label"])
        card.setdefault("trend", None)
    return cards


def _asked(request) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in ("office", "feeder", "dt")}


def _load(request, *, tables: bool = True) -> dict:
    period = request.GET.get("period", "").strip()
    if period and not PERIOD.match(period):
        raise Http404("period")
    try:
        place = ucc.place_for(request.user, **_asked(request))
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return ucc.dashboard(place, period=period or None, tables=tables)


def _link(level: str, code: str, keep: dict[str, str]) -> str:
    if level == ucc.STATE:
        query = {}
    elif level == ucc.FEEDER:
        query = {"feeder": code}
    elif level == ucc.DT:
        query = {"dt": code}
    else:
        query = {"office": code}
    return "?" + urlencode({**query, **{k: v for k, v in keep.items() if v}})


def _band(loss: str | None) -> str:
    """The heat map's colour band of a loss %."""
    if loss is None:
        return "none"
    value = Decimal(loss)
    if value < 15:
        return "low"
    if value < 30:
        return "mid"
    if value < 50:
        return "high"
    return "severe"


def _json_payload(data: dict) -> dict:
    return {
        **data,
        "kpis": kpis(data),
        "updated_at_text": _("Updated at %(time)s") % {"time": clock.localtime().strftime("%H:%M:%S")},
    }


@never_cache
@capability_required(roles.VIEW_REPORTS)
def command_centre(request):
    data = _load(request)
    wall = request.GET.get("wall") == "1"
    keep = {"period": request.GET.get("period", "").strip(), "wall": "1" if wall else ""}
    trail = [{**t, "label": LEVEL_TEXT.get(t["level"], t["level"]), "url": _link(t["level"], t["code"], keep)}
             for t in data["trail"]]  # fmt: skip
    for rows in (data["children"], data["league"]):
        for row in rows:
            row["url"] = _link(row["level"], row["code"], keep)
            row["reason"] = _reason(row["gaps"], missing=row["atc_loss_pct"] is None)
    heat = data["heat_map"]
    if heat:
        for row in heat["rows"]:
            row["url"] = _link(heat["level"], row["code"], keep)
            row["bands"] = [{"value": c, "band": _band(c)} for c in row["cells"]]
    place = data["place"]
    json_url = reverse("ucc:data") + _link(
        place["level"], place["code"], {"period": keep["period"], "parts": "kpis"}
    )
    return render(
        request,
        "staff/ucc/dashboard.html",
        {
            "data": data,
            "kpis": kpis(data),
            "trail": trail,
            "place_label": LEVEL_TEXT.get(place["level"], place["level"]),
            "wall": wall,
            "wall_url": _link(place["level"], place["code"], {**keep, "wall": "" if wall else "1"}),
            "json_url": json_url,
            "refresh_seconds": REFRESH_SECONDS,
            "updated_at": clock.localtime().strftime("%H:%M:%S"),
            "child_label": _child_label(place["level"]),
            "trend_rows": list(
                zip(
                    data["trend"]["months"],
                    data["trend"]["billing_efficiency"],
                    data["trend"]["collection_efficiency"],
                    data["trend"]["atc_loss_pct"],
                    strict=True,
                )
            ),
        },
    )


def _child_label(level: str) -> str:
    if level in (OfficeLevel.SUBDIVISION, OfficeLevel.DC):
        return str(LEVEL_TEXT[ucc.FEEDER])
    if level == ucc.FEEDER:
        return str(LEVEL_TEXT[ucc.DT])
    if level == ucc.DT:
        return ""
    return str(LEVEL_TEXT[ucc.DRILL_LEVELS[ucc.DRILL_LEVELS.index(level) + 1]])


@never_cache
@capability_required(roles.VIEW_REPORTS)
def command_centre_json(request):
    """The page's figures as JSON; `?parts=kpis` leaves out the tables (the auto-refresh asks for that)."""
    data = _load(request, tables=request.GET.get("parts") != "kpis")
    return JsonResponse(_json_payload(data), json_dumps_params={"ensure_ascii": False})
