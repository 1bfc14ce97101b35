"""The BEE quarterly energy-accounting pack of an office (docs/energy-audit.md, "BEE pack"): a summary
sheet and feeder-level, DT-level and consumer-level sheets, read from one audit snapshot.

The column headings follow the periodic energy-accounting formats of the BEE regulations for discoms
(Manner and Intervals for Conduct of Energy Audit in Electricity Distribution Companies, 2021, as
amended) as far as Urja holds the data: input energy, energy billed, loss in kWh and per cent per
feeder and per DT, with the feeder's place in the commercial hierarchy. Where Urja departs (kWh
rather than MU, money and AT&C columns added, no voltage-level or open-access columns) is listed in
the doc."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from urja.domain.energy_audit import loss_pct, parse_period
from urja.org.choices import OfficeLevel
from urja.org.models import Office

from .selectors import AreaAudit, consumer_counts, consumer_lines, office_snapshot

Sheet = tuple[str, list[str], list[list[Any]]]


def _loss_kwh(audit_: AreaAudit) -> Decimal | None:
    f = audit_.figures
    return None if f.input_kwh is None else f.input_kwh - f.billed_kwh


def gap_words(audit_: AreaAudit) -> str:
    """The area's gaps in words (the pack's Remarks column)."""
    words = {
        "no_input": _("no input energy recorded"),
        "no_billed_amount": _("nothing billed"),
        "unmetered_feeder": _("input missing for a month"),
        "unmetered_dt": _("input missing for a month"),
        "unindexed_consumers": _("consumers not indexed to a DT"),
    }
    return "; ".join(dict.fromkeys(str(words[g]) for g in audit_.figures.gaps))


def bee_pack(*, office: Office, quarter: str) -> list[Sheet]:
    """The four sheets for `office` and a quarter (``YYYY-Qn``); ValueError for another period."""
    span = parse_period(quarter)
    if len(span.months) != 3 or "-Q" not in span.code:
        raise ValueError(f"not a quarter (YYYY-Qn): {quarter!r}")
    # Live, like the consumer-level sheet beside it: the pack's totals are the sums of its lines.
    snapshot = office_snapshot(office=office, period=span, rolled=False)
    counts = consumer_counts(office=office)
    levels = dict(
        Office.objects.filter(path__startswith=office.path.split("/")[0]).values_list("code", "level")
    )

    def above(path: str, level: str) -> str:
        return next((code for code in path.strip("/").split("/") if levels.get(code) == level), "")

    total = snapshot.office(office)
    f = total.figures
    summary: Sheet = (
        _("Summary"),
        [_("Parameter"), _("Value")],
        [
            [_("Office"), f"{office.code} {office.name}"],
            [_("Quarter"), span.code],
            [_("From"), span.start],
            [_("To"), span.end],
            [_("Input energy (kWh)"), f.input_kwh],
            [_("Energy billed (kWh)"), f.billed_kwh],
            [_("Energy loss (kWh)"), _loss_kwh(total)],
            [_("T&D loss (%)"), f.td_loss_pct],
            [_("Billed amount (Rs)"), f.billed_amount],
            [_("Collected amount (Rs)"), f.collected_amount],
            [_("Billing efficiency (%)"), f.billing_efficiency],
            [_("Collection efficiency (%)"), f.collection_efficiency],
            [_("AT&C loss (%)"), f.atc_loss_pct],
            [_("Feeders without input for a month"), len(total.unmetered_feeders)],
            [_("Billed consumers not indexed to a DT"), total.unindexed_consumers],
        ],
    )

    feeder_rows = []
    dt_rows = []
    feeder_ids = sorted(snapshot.feeders, key=lambda pk: snapshot.feeders[pk]["code"])
    for number, pk in enumerate(feeder_ids, start=1):
        row = snapshot.feeders[pk]
        a = snapshot.feeder(pk)
        fa = a.figures
        path = row["office__path"]
        feeder_rows.append([
            number, above(path, OfficeLevel.CIRCLE), above(path, OfficeLevel.DIVISION),
            above(path, OfficeLevel.SUBDIVISION), row["substation__code"], row["code"], row["name"],
            row["feeder_type"], fa.input_kwh, fa.billed_kwh, _loss_kwh(a), fa.td_loss_pct,
            sum(counts.get(dt_id, 0) for dt_id in snapshot.feeder_dts.get(pk, [])),
            fa.billed_amount, fa.collected_amount, fa.billing_efficiency, fa.collection_efficiency,
            fa.atc_loss_pct, gap_words(a),
        ])  # fmt: skip
    number = 0
    for feeder_pk in feeder_ids:
        for dt_pk in sorted(snapshot.feeder_dts.get(feeder_pk, []), key=lambda pk: snapshot.dts[pk]["code"]):
            number += 1
            dt = snapshot.dts[dt_pk]
            a = snapshot.dt(dt_pk)
            fa = a.figures
            dt_rows.append([
                number, dt["feeder__code"], dt["code"], dt["name"], dt["capacity_kva"], fa.input_kwh,
                fa.billed_kwh, _loss_kwh(a), loss_pct(input_kwh=fa.input_kwh, billed_kwh=fa.billed_kwh),
                counts.get(dt_pk, 0), fa.billed_amount, fa.collected_amount, gap_words(a),
            ])  # fmt: skip
    consumer_rows = [
        [n, c.account_number, c.name, c.category, c.feeder_code, c.dt_code, c.bills, c.units, c.billed_amount,
         c.paid, c.reading_status]
        for n, c in enumerate(consumer_lines(period=span, office=office), start=1)
    ]  # fmt: skip
    return [
        summary,
        (
            _("Feeder level"),
            [
                _("Sl. No."),
                _("Circle"),
                _("Division"),
                _("Sub-division"),
                _("Substation"),
                _("Feeder code"),
                _("Feeder name"),
                _("Feeder type"),
                _("Input energy (kWh)"),
                _("Energy billed (kWh)"),
                _("Energy loss (kWh)"),
                _("Loss (%)"),
                _("Number of consumers"),
                _("Billed amount (Rs)"),
                _("Collected amount (Rs)"),
                _("Billing efficiency (%)"),
                _("Collection efficiency (%)"),
                _("AT&C loss (%)"),
                _("Remarks"),
            ],
            feeder_rows,
        ),  # fmt: skip
        (
            _("DT level"),
            [
                _("Sl. No."),
                _("Feeder code"),
                _("DT code"),
                _("DT name"),
                _("Capacity (kVA)"),
                _("Input energy (kWh)"),
                _("Energy billed (kWh)"),
                _("Energy loss (kWh)"),
                _("Loss (%)"),
                _("Number of consumers"),
                _("Billed amount (Rs)"),
                _("Collected amount (Rs)"),
                _("Remarks"),
            ],
            dt_rows,
        ),  # fmt: skip
        (
            _("Consumer level"),
            [
                _("Sl. No."),
                _("Account number"),
                _("Name"),
                _("Category"),
                _("Feeder code"),
                _("DT code"),
                _("Bills"),
                _("Units billed (kWh)"),
                _("Billed amount (Rs)"),
                _("Paid (Rs)"),
                _("Reading status"),
            ],
            consumer_rows,
        ),  # fmt: skip
    ]
