"""The seeded UP tariff book: every LT category of the UPERC rate schedule as effective-dated data.

Seed data for the ``tariffs`` app (its data migrations and the tests); an administrator edits or
supersedes it without a code change. Three groups of versions:

* **FY 2025-26** (from 2025-04-01, open-ended): the nine categories of DOMAIN.md as before, and the
  rest of the LT schedule (:func:`_rest_of_schedule`).
* **History** (:func:`_history`): the versions in force before 1 April 2025, so a cycle that starts in
  March 2025, a legacy bill or a revision of an old bill can be priced. Rates are unchanged since the
  FY 2019-20 order (in force from 12 September 2019); the FY 2022-23 order (released 23 July 2022)
  revised the domestic slabs only. So each category has a version from 2019-09-12 to 2025-03-31 with
  today's values, except LMV-1 urban, rural and lifeline, which have the pre-FY 2022-23 slabs until
  2022-07-22 and today's values from 2022-07-23.

A value the public sources did not confirm is named in the version's ``uncertain`` (and said so in its
``source``). No figure here is a constant the engine relies on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from urja.domain.tariff import (
    KvahRule,
    LifelineRule,
    LoadBand,
    LoadUnit,
    Slab,
    SubsidyRule,
    TariffBook,
    TariffVersion,
)
from urja.domain.tariff_book_hv import LMV6_TOD

_FY = date(2025, 4, 1)
_LABEL = "FY 2025-26"
_ORDER = (
    "UPERC rate schedule FY 2025-26 (rates unchanged FY 2019-20 to FY 2025-26, slabs revised FY 2022-23), "
    "as summarised in DOMAIN.md from press reports of the tariff order"
)
_DUTY = (
    "Electricity duty: UP Electricity (Duty) Act 1952, on the rate charged: energy + fixed charge, and FPPAS "
    "as a surcharge on the rates (s.2(h)(v), read as including FPPAS: duty_on_fppas); rate uncertain, data"
)
_NA = "NA penalty Rs 50/kW: Electricity Supply Code clause 6.2(c)"
_PREPAID = "smart prepaid meter rebate 2% on tariff"
_LMV_LIMIT = (
    "Load limit: LMV categories are for contracted loads up to 75 kW (100 BHP); above that the supply "
    "is HV-1/HV-2 (rate schedule applicability clauses; read as at most 75 kW inclusive)"
)
_FY1920_FROM = date(2019, 9, 12)
_FY2223_FROM = date(2022, 7, 23)
_HISTORY_TO = date(2025, 3, 31)
_FY1920 = (
    "UPERC tariff order FY 2019-20 (dated 3 Sep 2019; in force from 12 Sep 2019 per "
    "bijlibabu.com/thread.php?pid=215; rates kept unchanged by later orders, powerline.net.in 2020-11-12)"
)
_FY2223 = (
    "UPERC tariff order FY 2022-23 (released 23 Jul 2022: no rate change, domestic slabs revised; "
    "indianexpress.com, livemint.com, hindustantimes.com 23-24 Jul 2022). The date it took effect is "
    "taken as 23 Jul 2022 (uncertain: the order may have applied from a later notification)"
)


def _slabs(*pairs: tuple[str | None, str]) -> tuple[Slab, ...]:
    return tuple(Slab(None if upto is None else Decimal(upto), Decimal(rate)) for upto, rate in pairs)


def _version(category: str, **fields: Any) -> TariffVersion:
    defaults: dict[str, Any] = {
        "label": _LABEL,
        "effective_from": _FY,
        "effective_to": None,
        "metered": True,
        "load_unit": LoadUnit.KW,
        "prepaid_rebate_percent": Decimal("2"),
        "na_penalty_per_kw": Decimal("50"),
    }
    defaults.update(fields)
    return TariffVersion(category=category, **defaults)


def _domain_md_versions() -> list[TariffVersion]:
    """The UP tariff versions of DOMAIN.md: FY 2025-26 rates, effective 2025-04-01, open-ended.

    No minimum charges are seeded (DOMAIN.md gives none); LMV-6 carries the time-of-day rule of
    :data:`urja.domain.tariff_book_hv.LMV6_TOD`.
    """
    kvah = KvahRule()
    return [
        _version(
            "LMV1-LIFELINE",
            bands=(LoadBand(None, Decimal("50"), _slabs((None, "3.00"))),),
            duty_percent=Decimal("5"),
            lifeline=LifelineRule(Decimal("1"), Decimal("100"), "LMV1-RURAL"),
            source=f"{_ORDER}: LMV-1 lifeline/BPL Rs 50/kW, Rs 3.00/kWh, <= 1 kW and <= 100 kWh/month, "
            "above that billed as normal domestic (default fallback LMV1-RURAL as most lifeline consumers "
            f"are rural; the bill input names the area's category). {_DUTY}: 5% domestic. {_PREPAID}. {_NA}.",
        ),
        _version(
            "LMV1-RURAL-UM",
            metered=False,
            bands=(LoadBand(None, Decimal("500")),),
            duty_percent=Decimal("5"),
            prepaid_rebate_percent=Decimal("0"),
            source=f"{_ORDER}: LMV-1 rural unmetered flat Rs 500/kW/month. {_DUTY}: 5% domestic. {_NA}.",
        ),
        _version(
            "LMV1-RURAL",
            bands=(
                LoadBand(
                    None,
                    Decimal("90"),
                    _slabs(("100", "3.35"), ("150", "3.85"), ("300", "5.00"), (None, "5.50")),
                ),
            ),
            duty_percent=Decimal("5"),
            kvah=kvah,
            source=f"{_ORDER}: LMV-1 rural metered Rs 90/kW (fixed charge less certain); 0-100: 3.35, "
            f"101-150: 3.85, 151-300: 5.00, >300: 5.50. {_DUTY}: 5% domestic. {_PREPAID}. {_NA}.",
        ),
        _version(
            "LMV1-URBAN",
            bands=(LoadBand(None, Decimal("110"), _slabs(("150", "5.50"), ("300", "6.00"), (None, "6.50"))),),
            duty_percent=Decimal("5"),
            kvah=kvah,
            source=f"{_ORDER}: LMV-1 urban metered Rs 110/kW; 0-150: 5.50 (published as 0-100 and 101-150, "
            f"both 5.50), 151-300: 6.00, >300: 6.50. {_DUTY}: 5% domestic. {_PREPAID}. {_NA}.",
        ),
        _version(
            "LMV2-URBAN",
            bands=(
                LoadBand(Decimal("4"), Decimal("330"), _slabs(("300", "7.50"), (None, "8.40"))),
                LoadBand(None, Decimal("450"), _slabs(("1000", "7.50"), (None, "8.75"))),
            ),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            source=f"{_ORDER}: LMV-2 non-domestic <= 4 kW Rs 330/kW, 0-300: 7.50, >300: 8.40; > 4 kW "
            f"Rs 450/kW, 0-1000: 7.50, >1000: 8.75 (less certain). {_DUTY}: 7.5% non-domestic. "
            f"{_PREPAID}. {_NA}. {_LMV_LIMIT} (uncertain for LMV-2)",
            max_load=Decimal("75"),
            uncertain=("bands", "duty_percent", "max_load"),
        ),
        _version(
            "LMV5-RURAL-UM",
            metered=False,
            load_unit=LoadUnit.BHP,
            bands=(LoadBand(None, Decimal("170")),),
            duty_percent=Decimal("5"),
            prepaid_rebate_percent=Decimal("0"),
            subsidy=SubsidyRule(Decimal("50"), metered_only=False, requires_no_arrears=False),
            source=f"{_ORDER}: LMV-5 private tube well rural unmetered Rs 170/BHP/month. State subsidy "
            "50% (rebate from Jan 2022; DOMAIN.md: may pay 50-100%, uncertain). "
            f"{_DUTY}: 5% assumed for agriculture (uncertain). {_NA}.",
        ),
        _version(
            "LMV5-RURAL",
            load_unit=LoadUnit.BHP,
            bands=(LoadBand(None, Decimal("70"), _slabs((None, "2.00"))),),
            duty_percent=Decimal("5"),
            kvah=kvah,
            subsidy=SubsidyRule(Decimal("100")),
            source=f"{_ORDER}: LMV-5 private tube well rural metered Rs 70/BHP, 2.00/kWh. State subsidy "
            "100% from April 2023 for metered connections with no arrears (line paid by government). "
            f"{_DUTY}: 5% assumed for agriculture (uncertain). {_PREPAID}. {_NA}.",
        ),
        _version(
            "LMV5-URBAN",
            load_unit=LoadUnit.BHP,
            bands=(LoadBand(None, Decimal("130"), _slabs((None, "6.00"))),),
            duty_percent=Decimal("5"),
            kvah=kvah,
            subsidy=SubsidyRule(Decimal("100")),
            source=f"{_ORDER}: LMV-5 private tube well urban metered Rs 130/BHP, 6.00/kWh. State subsidy "
            "100% from April 2023 for metered connections with no arrears (DOMAIN.md does not limit it "
            f"to rural; uncertain). {_DUTY}: 5% assumed for agriculture (uncertain). {_PREPAID}. {_NA}.",
        ),
        _version(
            "LMV6",
            bands=(LoadBand(None, Decimal("290"), _slabs((None, "7.30"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            source=f"{_ORDER}: LMV-6 small and medium power (< 75 kW) Rs 290/kW, 7.30/kWh (less certain; "
            f"time-of-day +/-15%: tod rule, slots uncertain). {_DUTY}: 7.5% industrial. {_PREPAID}. {_NA}. "
            f"{_LMV_LIMIT}",
            tod=LMV6_TOD,
            max_load=Decimal("75"),
            uncertain=("bands", "duty_percent"),
        ),
    ]


_REST = (
    "UPERC rate schedule (FY 2019-20 rates, carried unchanged to FY 2025-26). The public sources "
    "consulted for Urja (press reports of the orders; bijlibabu.com category notes) do not give this "
    "figure; it is an estimate in line with the neighbouring categories and is marked uncertain in the "
    "data: check it against the published rate schedule before billing"
)
_UNCERTAIN_RATES = ("bands", "duty_percent")


def _rest_of_schedule() -> list[TariffVersion]:
    """The LT categories DOMAIN.md does not list, FY 2025-26. Every figure without a cited source is named
    in ``uncertain``. Unmetered flat categories use the unmetered model (Rs per kW or BHP per month)."""
    kvah = KvahRule()

    def lamps(body: str, name: str, fixed: str, rate: str, flat: str) -> list[TariffVersion]:
        return [
            _version(
                f"LMV3-{body}",
                bands=(LoadBand(None, Decimal(fixed), _slabs((None, rate))),),
                duty_percent=Decimal("7.5"),
                source=f"{_REST}. LMV-3 public lamps, {name}, metered: Rs {fixed}/kW, {rate}/kWh. "
                f"{_DUTY}: 7.5% assumed. {_PREPAID}. {_NA}.",
                uncertain=_UNCERTAIN_RATES,
            ),
            _version(
                f"LMV3-{body}-UM",
                metered=False,
                bands=(LoadBand(None, Decimal(flat)),),
                duty_percent=Decimal("7.5"),
                prepaid_rebate_percent=Decimal("0"),
                source=f"{_REST}. LMV-3 public lamps, {name}, unmetered: flat Rs {flat}/kW of lamp load "
                f"per month. {_DUTY}: 7.5% assumed. {_NA}.",
                uncertain=_UNCERTAIN_RATES,
            ),
        ]

    return [
        _version(
            "LMV1-BULK",
            bands=(LoadBand(None, Decimal("110"), _slabs((None, "6.20"))),),
            duty_percent=Decimal("5"),
            kvah=kvah,
            source=f"{_ORDER}: LMV-1(b) bulk single-point supply to registered societies, colonies, "
            "townships and multi-storied residential buildings: energy Rs 6.20/kWh uncertain (bijlibabu.com/"
            "thread.php?id=80 and mercomindia.com 27 Feb 2019 give 6.20/unit only as the EV charging rate "
            "in such buildings, not as the LMV-1(b) rate itself: docs/tariff-sources.md); "
            f"fixed Rs 110/kW uncertain ({_REST}). {_DUTY}: 5% domestic. {_PREPAID}. {_NA}.",
            uncertain=("bands", "fixed_rate", "duty_percent"),
        ),
        _version(
            "LMV2-RURAL",
            bands=(LoadBand(None, Decimal("90"), _slabs(("300", "5.50"), (None, "6.00"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            max_load=Decimal("75"),
            source=f"{_REST}. LMV-2 non-domestic, rural schedule: Rs 90/kW; 0-300: 5.50, >300: 6.00. "
            f"{_DUTY}: 7.5% non-domestic. {_PREPAID}. {_NA}. {_LMV_LIMIT} (uncertain for LMV-2).",
            uncertain=(*_UNCERTAIN_RATES, "max_load"),
        ),
        *lamps("GP", "gram panchayat", "200", "7.50", "2500"),
        *lamps("NP", "nagar palika / nagar panchayat", "250", "8.00", "3000"),
        *lamps("NN", "nagar nigam", "300", "8.50", "3500"),
        _version(
            "LMV4-PUBLIC",
            bands=(LoadBand(None, Decimal("300"), _slabs((None, "8.50"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            max_load=Decimal("75"),
            source=f"{_REST}. LMV-4(A) public institutions: Rs 300/kW, 8.50/kWh. {_DUTY}: 7.5% assumed. "
            f"{_PREPAID}. {_NA}. {_LMV_LIMIT} (uncertain for LMV-4).",
            uncertain=(*_UNCERTAIN_RATES, "max_load"),
        ),
        _version(
            "LMV4-PRIVATE",
            bands=(LoadBand(None, Decimal("330"), _slabs((None, "9.00"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            max_load=Decimal("75"),
            source=f"{_REST}. LMV-4(B) private institutions: Rs 330/kW, 9.00/kWh. {_DUTY}: 7.5% assumed. "
            f"{_PREPAID}. {_NA}. {_LMV_LIMIT} (uncertain for LMV-4).",
            uncertain=(*_UNCERTAIN_RATES, "max_load"),
        ),
        _version(
            "LMV6-PLOOM",
            bands=(LoadBand(None, Decimal("290"), _slabs((None, "7.30"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            max_load=Decimal("75"),
            source=f"{_REST}. LMV-6 power looms: taken at the LMV-6 rates (Rs 290/kW, 7.30/kWh); the "
            "schedule's power-loom rates and any state scheme for them are not confirmed. "
            f"{_DUTY}: 7.5% industrial. {_PREPAID}. {_NA}. {_LMV_LIMIT}.",
            uncertain=_UNCERTAIN_RATES,
        ),
        _version(
            "LMV7",
            bands=(LoadBand(None, Decimal("375"), _slabs((None, "8.75"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            source=f"{_REST}. LMV-7 public water works: Rs 375/kW, 8.75/kWh. {_DUTY}: 7.5% assumed. "
            f"{_PREPAID}. {_NA}.",
            uncertain=_UNCERTAIN_RATES,
        ),
        _version(
            "LMV8",
            load_unit=LoadUnit.BHP,
            bands=(LoadBand(None, Decimal("300"), _slabs((None, "10.00"))),),
            duty_percent=Decimal("5"),
            kvah=kvah,
            source=f"{_REST}. LMV-8 state tube wells, pumped canals, Panchayati Raj tube wells, metered: "
            f"Rs 300/BHP, 10.00/kWh. {_DUTY}: 5% assumed (irrigation). {_PREPAID}. {_NA}.",
            uncertain=_UNCERTAIN_RATES,
        ),
        _version(
            "LMV8-UM",
            metered=False,
            load_unit=LoadUnit.BHP,
            bands=(LoadBand(None, Decimal("2200")),),
            duty_percent=Decimal("5"),
            prepaid_rebate_percent=Decimal("0"),
            source=f"{_REST}. LMV-8 state tube wells / pumped canals, unmetered: flat Rs 2,200/BHP per "
            f"month. {_DUTY}: 5% assumed (irrigation). {_NA}.",
            uncertain=_UNCERTAIN_RATES,
        ),
        _version(
            "LMV9",
            bands=(LoadBand(None, Decimal("300"), _slabs((None, "9.00"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            source=f"{_REST}. LMV-9 temporary supply (construction, ceremonies, fairs), metered: Rs 300/kW, "
            "9.00/kWh; the schedule's unmetered per-day rates for illumination are not modelled. "
            f"{_DUTY}: 7.5% assumed. {_PREPAID}. {_NA}.",
            uncertain=_UNCERTAIN_RATES,
        ),
        _version(
            "LMV10",
            bands=(
                LoadBand(
                    None,
                    Decimal("110"),
                    _slabs(("100", "5.50"), ("150", "5.50"), ("300", "6.00"), (None, "6.50")),
                ),
            ),
            duty_percent=Decimal("5"),
            source=f"{_REST}. LMV-10 departmental employees and pensioners, metered: taken at the LMV-1 "
            "urban rates (Rs 110/kW; 0-100 and 101-150: 5.50, 151-300: 6.00, >300: 6.50); the schedule's "
            f"departmental rebate is not confirmed. {_DUTY}: 5% domestic. {_PREPAID}. {_NA}.",
            uncertain=_UNCERTAIN_RATES,
        ),
        _version(
            "LMV10-UM",
            metered=False,
            bands=(LoadBand(None, Decimal("400")),),
            duty_percent=Decimal("5"),
            prepaid_rebate_percent=Decimal("0"),
            source=f"{_REST}. LMV-10 departmental employees and pensioners, unmetered: the schedule sets a "
            "flat monthly amount by the employee's grade; modelled as a flat Rs 400/kW per month. "
            f"{_DUTY}: 5% domestic. {_NA}.",
            uncertain=_UNCERTAIN_RATES,
        ),
        _version(
            "LMV11",
            bands=(LoadBand(None, Decimal("0"), _slabs((None, "7.70"))),),
            duty_percent=Decimal("7.5"),
            kvah=kvah,
            source="UPERC rate schedule FY 2019-20, LMV-11 electric vehicle charging (introduced by that "
            "order), public charging station on LT supply: Rs 7.70/kWh, no fixed or demand charge "
            "(bijlibabu.com/thread.php?id=80; mercomindia.com 'Uttar Pradesh approves EV charging "
            f"tariffs'); time-of-day rates not modelled. {_DUTY}: 7.5% assumed. {_PREPAID}. {_NA}.",
            uncertain=("duty_percent",),
        ),
    ]


def _history(current: Sequence[TariffVersion]) -> list[TariffVersion]:
    """The versions in force before 2025-04-01 (see the module docstring)."""
    old_domestic = {
        # Before the FY 2022-23 slab revision (FY 2019-20 order): urban 0-150: 5.50, 151-300: 6.00,
        # 301-500: 6.50, >500: 7.00 (livemint.com, hindustantimes.com 3-4 Sep 2019); rural 0-100: 3.35,
        # 101-150: 3.85, 151-300: 5.00, >300 (up to 500): 5.50 and >500: 6.00 (indianexpress.com
        # 24 Jul 2022: "more than 500 units so far was Rs 6"; the 301-500 rate is uncertain).
        "LMV1-URBAN": (
            _slabs(("150", "5.50"), ("300", "6.00"), ("500", "6.50"), (None, "7.00")),
            "urban Rs 110/kW; 0-150: 5.50, 151-300: 6.00, 301-500: 6.50, >500: 7.00 (livemint.com 3 Sep "
            "2019; powerline.net.in 12 Nov 2020: the FY 2020-21 order kept these slabs and the fixed charge "
            "of Rs 110/kW/month)",
            (),
        ),
        "LMV1-RURAL": (
            _slabs(("100", "3.35"), ("150", "3.85"), ("300", "5.00"), ("500", "5.50"), (None, "6.00")),
            "rural 0-100: 3.35, 101-150: 3.85, 151-300: 5.00, 301-500: 5.50 (uncertain), >500: 6.00 "
            "(indianexpress.com 24 Jul 2022)",
            ("fixed_rate", "bands"),
        ),
        "LMV1-LIFELINE": (
            _slabs((None, "3.00")),
            "lifeline 3.00/kWh up to 100 units (hindustantimes.com 23 Jul 2022 reports the urban BPL rate "
            "was 3.50 before FY 2022-23; one lifeline category is kept at 3.00: uncertain)",
            ("bands",),
        ),
    }
    versions: list[TariffVersion] = []
    for version in current:
        shared: dict[str, Any] = {
            "effective_to": _HISTORY_TO,
            "uncertain": tuple(dict.fromkeys((*version.uncertain, "effective_from"))),
        }
        if version.category in old_domestic:
            slabs, text, unsure = old_domestic[version.category]
            band = version.bands[0]
            versions.append(
                replace(
                    version,
                    label="FY 2019-20",
                    effective_from=_FY1920_FROM,
                    effective_to=date(2022, 7, 22),
                    bands=(LoadBand(band.upto_load, band.fixed_rate, slabs),),
                    uncertain=tuple(
                        dict.fromkeys((*version.uncertain, *unsure, "effective_from", "effective_to"))
                    ),
                    source=f"{_FY1920}: {text}; other values as FY 2025-26. Was: {version.source}",
                )
            )
            versions.append(
                replace(
                    version,
                    label="FY 2022-23",
                    effective_from=_FY2223_FROM,
                    source=f"{_FY2223}; values as FY 2025-26. Was: {version.source}",
                    **shared,
                )
            )
        else:
            versions.append(
                replace(
                    version,
                    label="FY 2019-20",
                    effective_from=_FY1920_FROM,
                    source=f"{_FY1920}; values as FY 2025-26 (the FY 2022-23 revision changed only domestic "
                    f"slabs and the LMV-2 fixed charge bands, the latter not modelled: uncertain). "
                    f"Was: {version.source}",
                    **shared,
                )
            )
    return versions


def current_tariff_book() -> TariffBook:
    """The versions of FY 2025-26 (from 2025-04-01, open-ended), one per category."""
    return TariffBook([*_domain_md_versions(), *_rest_of_schedule()])


def default_tariff_book() -> TariffBook:
    """The whole seeded book: the FY 2025-26 versions first (in :data:`CATEGORY_CODES` order), then the
    versions in force before 1 April 2025."""
    current = current_tariff_book()
    return TariffBook([*current, *_history(current)])
