"""Seed data: the HV categories of the UP rate schedule (HV-1 to HV-4, by supply voltage) and the
time-of-day rule for LMV-6.

HV consumers are billed on kVA demand and kVAh energy: each version has a :class:`DemandRule` (its
demand charge takes the place of the band's fixed charge, which is 0) and a kVAh rule with factor 1 and
threshold 0, because the schedule quotes HV energy rates per kVAh already (a bill without a kVAh reading
is billed on kWh at the same rate, with the engine's note).

**Every HV rate below is uncertain.** The public material searched for this book (listed in ``_FOUND``)
confirms the categories, their titles, that HV schedules are for supply at 11 kV and above from 75 kW,
the kVA conversion and kVAh billing provisions, and that TOD meters are installed where TOD rates are
specified; it did not show the HV demand and energy rates, the TOD slots, the 75% minimum demand share
or the excess-demand multiple. Those figures are the FY 2019-20 rate schedule as recalled (rates
unchanged to FY 2025-26, per DOMAIN.md), marked "uncertain" in each version's ``source``; verify them
against the UPERC tariff order before billing real HV consumers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from urja.domain.demand import DemandRule, TodRule, TodSlot
from urja.domain.tariff import KvahRule, LoadBand, LoadUnit, Slab, TariffVersion

HV_CATEGORY_CODES: tuple[str, ...] = (
    "HV1-11KV",
    "HV1-ABOVE11KV",
    "HV2-11KV",
    "HV2-66KV",
    "HV2-132KV",
    "HV2-ABOVE132KV",
    "HV3-BELOW132KV",
    "HV3-132KV",
    "HV4-11KV",
    "HV4-66KV",
    "HV4-132KV",
)

_FY = date(2025, 4, 1)
_LABEL = "FY 2025-26"
_FOUND = (
    "Found: UPERC Rate Schedule FY 2017-18 (fdocuments.in '12.1 Rate Schedule for FY 2017-18', General "
    "Provisions 1 and 5: kVA = kW / 0.90 to 2 decimals; kVAh tariffs for contracted load >= 10 kW / 13.4 "
    "BHP with TVM/TOD/demand recording meters, demand charges per kVA); Rate Schedule FY 2012-13 "
    "(scribd 191027292: TVM or TOD meters on all consumers of rate schedules where TOD rates are "
    "specified); Rate Schedule FY 2004-05 (HV-2 may be supplied at more than one point); desimetrics.com "
    "UPPCL category explainer (HV-1 Non-Industrial Bulk Loads, HV-2 Large and Heavy Power, HV-3 Railway "
    "Traction, HV-4 Lift Irrigation Works; HV schedules are for supply at 11 kV and above, HV-1 from 75 kW "
    "on a single point); Hindustan Times 4 Sep 2019 (heavy industrial tariff raised 5-10% in FY 2019-20)."
)
_UNCERTAIN = (
    "UNCERTAIN (not shown in the material found; FY 2019-20 rate schedule as recalled, rates unchanged to "
    "FY 2025-26 per DOMAIN.md): "
)
_DEMAND_RULE = (
    "billable demand = the higher of recorded MD and 75% of contracted demand (uncertain); excess demand "
    "over contracted charged at 2x the demand rate in all (uncertain)"
)
_DUTY = (
    "Electricity duty 7.5% (uncertain for this category), on the rate charged including FPPAS as a surcharge "
    "on the rates (UP Electricity (Duty) Act 1952 s.2(h)(v): duty_on_fppas)"
)
_NA = "NA penalty Rs 50/kW: Electricity Supply Code clause 6.2(c)"

# DOMAIN.md gives LMV-6 TOD as +/-15%; the slot hours are the older schedules' three slots (uncertain:
# later orders may use seasonal slots, which this rule does not model).
STANDARD_TOD = TodRule(
    (
        TodSlot("offpeak", 22, 6, Decimal("-15")),
        TodSlot("normal", 6, 17, Decimal("0")),
        TodSlot("peak", 17, 22, Decimal("15")),
    )
)
_TOD = (
    "TOD (uncertain): 22:00-06:00 -15%, 06:00-17:00 0%, 17:00-22:00 +15% (DOMAIN.md: +/-15%; older "
    "schedules had -7.5% off-peak)"
)

#: The time-of-day rule for LMV-6 (DOMAIN.md: "time-of-day +/-15%"); the lead joins it to the LMV6
#: version of the default book, and the tariffs data migration adds it to the seeded LMV6 rows.
LMV6_TOD = STANDARD_TOD


def _hv(category: str, demand_rate: str, energy_rate: str, what: str, tod: bool = True) -> TariffVersion:
    return TariffVersion(
        category=category,
        label=_LABEL,
        effective_from=_FY,
        effective_to=None,
        metered=True,
        load_unit=LoadUnit.KW,
        bands=(LoadBand(None, Decimal("0"), (Slab(None, Decimal(energy_rate)),)),),
        duty_percent=Decimal("7.5"),
        kvah=KvahRule(threshold_kw=Decimal("0"), threshold_bhp=Decimal("0"), factor=Decimal("1")),
        prepaid_rebate_percent=Decimal("0"),
        na_penalty_per_kw=Decimal("50"),
        demand=DemandRule(Decimal(demand_rate)),
        tod=STANDARD_TOD if tod else None,
        source=(
            f"{_UNCERTAIN}{what}: demand Rs {demand_rate}/kVA/month, energy Rs {energy_rate}/kVAh; "
            f"{_DEMAND_RULE}. {_TOD if tod else 'No TOD rates (uncertain)'}. {_DUTY}. {_NA}. {_FOUND}"
        ),
    )


def hv_tariff_book() -> list[TariffVersion]:
    """The HV versions, FY 2025-26, effective 2025-04-01, open-ended (every rate uncertain: see above).

    Seed data for the ``tariffs`` app (migration 0006); an administrator corrects or supersedes it.
    Not modelled: HV-1 (b) public institutions / societies, the HV-2 rural schedule, HV-3 metro rail and
    HV-3's minimum charge per kVA, seasonal TOD slots.
    """
    return [
        _hv("HV1-11KV", "430", "8.32", "HV-1 (a) non-industrial bulk loads >= 75 kW, supply at 11 kV"),
        _hv(
            "HV1-ABOVE11KV", "400", "8.12", "HV-1 (a) non-industrial bulk loads >= 75 kW, supply above 11 kV"
        ),
        _hv("HV2-11KV", "300", "7.10", "HV-2 large and heavy power (urban schedule), supply at 11 kV"),
        _hv("HV2-66KV", "290", "6.80", "HV-2 large and heavy power, supply above 11 kV up to 66 kV"),
        _hv("HV2-132KV", "270", "6.60", "HV-2 large and heavy power, supply above 66 kV up to 132 kV"),
        _hv("HV2-ABOVE132KV", "270", "6.40", "HV-2 large and heavy power, supply above 132 kV"),
        _hv("HV3-BELOW132KV", "350", "7.70", "HV-3 railway traction, supply below 132 kV", tod=False),
        _hv("HV3-132KV", "350", "7.50", "HV-3 railway traction, supply at 132 kV and above", tod=False),
        _hv("HV4-11KV", "350", "7.90", "HV-4 lift irrigation works, supply at 11 kV"),
        _hv("HV4-66KV", "340", "7.80", "HV-4 lift irrigation works, supply above 11 kV up to 66 kV"),
        _hv("HV4-132KV", "330", "7.70", "HV-4 lift irrigation works, supply above 66 kV up to 132 kV"),
    ]
