"""Revenue protection: which consumers an inspector should visit first, and why (docs/revenue-protection.md).

Each consumer's *score* is the sum of the points of the factors that fire on the facts gathered for one
billing month (``ConsumerFacts``, built by ``urja.revenue.selectors`` with a few grouped queries). Every
factor is a small rule whose thresholds and points are data (``RULES``); a factor that fires gives a
``Reason``: its code, its points and the figures that made it fire, so the page can say in the reader's
language why the consumer is on the list (the words live beside the page, not here).

Factors (``RULES`` holds the numbers):

* ``falling``: this month's units are well below the consumer's own average of the months before
  (at least ``min_history_months`` of history and an average of at least ``min_average_kwh``).
* ``below_peers``: this month's units are a small fraction of the median of the consumer's peers: the
  consumers of the same distribution centre, tariff category and load band (``LOAD_BANDS_KW``), when
  there are at least ``min_peers`` of them.
* ``zero_units``: an active, metered connection billed 0 units.
* ``idf_na``: repeated readings with the status IDF (meter defective) or NA (not accessible) in the
  window.
* ``spot_far``: a spot-billing reading whose GPS position is far (haversine) from the consumer's
  recorded location.
* ``dt_loss``: the consumer's distribution transformer loses much of its input energy (BEE DT loss).
* ``load_below``: the largest month's units imply a load well above the sanctioned load, at an assumed
  load factor.

Bands: ``high`` from ``BANDS["high"]`` points, ``medium`` from ``BANDS["medium"]``, else ``low``. A
consumer is listed with at least ``LIST_MIN_POINTS``. Ranking: score, highest first; then the units
"missing" against the own average (largest first), then the account number, so the order is total and
repeatable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from statistics import median
from typing import Any

ZERO = Decimal("0")
ONE_DP = Decimal("0.1")

#: Factor codes, in the order their reasons are shown.
FALLING = "falling"
BELOW_PEERS = "below_peers"
ZERO_UNITS = "zero_units"
IDF_NA = "idf_na"
SPOT_FAR = "spot_far"
DT_LOSS = "dt_loss"
LOAD_BELOW = "load_below"
FACTORS = (FALLING, BELOW_PEERS, ZERO_UNITS, IDF_NA, SPOT_FAR, DT_LOSS, LOAD_BELOW)

#: The thresholds and points of every factor. Tiers are (threshold, points), tried strongest first.
RULES: dict[str, dict[str, Any]] = {
    FALLING: {
        "min_history_months": 3,
        "min_average_kwh": Decimal("30"),
        # drop against the own average, per cent → points
        "tiers": ((Decimal("70"), 30), (Decimal("50"), 20), (Decimal("30"), 10)),
    },
    BELOW_PEERS: {
        "min_peers": 5,
        # units as a per cent of the peers' median, at most → points
        "tiers": ((Decimal("10"), 20), (Decimal("25"), 12)),
    },
    ZERO_UNITS: {"points": 25},
    IDF_NA: {
        "window_months": 6,
        "min_count": 2,
        "points": 10,
        "extra_points": 5,  # for each reading beyond min_count
        "max_points": 20,
    },
    SPOT_FAR: {
        # metres from the consumer's location → points
        "tiers": ((Decimal("1000"), 20), (Decimal("200"), 12)),
    },
    DT_LOSS: {
        # DT loss per cent → points
        "tiers": ((Decimal("40"), 15), (Decimal("25"), 8)),
    },
    LOAD_BELOW: {
        "hours_in_month": Decimal("730"),
        "load_factor": Decimal("0.30"),
        # implied load as a per cent of the sanctioned load → points
        "tiers": ((Decimal("200"), 20), (Decimal("130"), 10)),
    },
}

#: Load bands (kW, upper bounds inclusive) peers are grouped by; above the last: one open band.
LOAD_BANDS_KW = (Decimal("1"), Decimal("2"), Decimal("5"), Decimal("10"), Decimal("25"), Decimal("50"))
#: kW per unit of sanctioned load.
LOAD_UNIT_KW = {"kW": Decimal("1"), "kVA": Decimal("0.9"), "BHP": Decimal("0.746")}

#: Score bands (at least so many points).
BANDS = {"high": 50, "medium": 25}
BAND_ORDER = ("high", "medium", "low")
LIST_MIN_POINTS = 10

EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True, slots=True)
class ConsumerFacts:
    """What is known of one consumer for one month. ``units`` is the month's billed units (None: no
    bill); history figures are of the months before it."""

    consumer_id: int
    account_number: str
    category: str
    load_kw: Decimal
    office_id: int
    active: bool = True
    metered: bool = True
    units: Decimal | None = None
    history_average: Decimal | None = None
    history_months: int = 0
    history_max: Decimal | None = None
    idf_na_count: int = 0
    spot_distance_m: Decimal | None = None
    dt_code: str = ""
    dt_loss_pct: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    points: int
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": self.points, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class Score:
    consumer_id: int
    account_number: str
    points: int
    band: str
    reasons: tuple[Reason, ...]
    missing_kwh: Decimal  # own average − this month (0 when not falling): the tie-break

    @property
    def listed(self) -> bool:
        return self.points >= LIST_MIN_POINTS


def _text(value: Decimal) -> str:
    return str(value.quantize(ONE_DP, rounding=ROUND_HALF_UP))


def _tier(value: Decimal, tiers: Sequence[tuple[Decimal, int]], *, at_most: bool = False) -> int:
    """Points of the first tier `value` reaches (at least its threshold; at most, with `at_most`)."""
    for threshold, points in tiers:
        if (value <= threshold) if at_most else (value >= threshold):
            return points
    return 0


def load_kw(load: Decimal, unit: str) -> Decimal:
    return load * LOAD_UNIT_KW.get(unit, Decimal("1"))


@lru_cache(maxsize=4096)  # a few dozen distinct loads in an office; called twice per consumer
def load_band(kw: Decimal) -> str:
    """The band's label: "0-1", "1-2", … "50+" (kW)."""
    low = ZERO
    for high in LOAD_BANDS_KW:
        if kw <= high:
            return f"{low.normalize():f}-{high.normalize():f}"
        low = high
    return f"{low.normalize():f}+"


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def peer_medians(facts: Iterable[ConsumerFacts]) -> dict[tuple[int, str, str], tuple[Decimal, int]]:
    """(office, category, load band) → (median units this month, number of peers billed)."""
    groups: dict[tuple[int, str, str], list[Decimal]] = {}
    for f in facts:
        if f.units is None or not f.metered:
            continue
        groups.setdefault((f.office_id, f.category, load_band(f.load_kw)), []).append(f.units)
    return {key: (Decimal(median(values)), len(values)) for key, values in groups.items()}


# --- the factors: each returns a Reason or None --------------------------------------------------


def falling(f: ConsumerFacts) -> Reason | None:
    rule = RULES[FALLING]
    if f.units is None or f.history_average is None or not f.metered:
        return None
    if f.history_months < rule["min_history_months"] or f.history_average < rule["min_average_kwh"]:
        return None
    drop = (f.history_average - f.units) / f.history_average * 100
    points = _tier(drop, rule["tiers"])
    if not points:
        return None
    return Reason(
        FALLING,
        points,
        {"units": _text(f.units), "average": _text(f.history_average), "drop_pct": _text(drop),
         "months": str(f.history_months)},
    )  # fmt: skip


def below_peers(f: ConsumerFacts, peers: tuple[Decimal, int] | None) -> Reason | None:
    rule = RULES[BELOW_PEERS]
    if f.units is None or peers is None or not f.metered:
        return None
    peer_median, count = peers
    # the consumer is one of its own peers: at least min_peers others
    if count - 1 < rule["min_peers"] or peer_median <= 0:
        return None
    share = f.units / peer_median * 100
    points = _tier(share, rule["tiers"], at_most=True)
    if not points:
        return None
    return Reason(
        BELOW_PEERS,
        points,
        {"units": _text(f.units), "median": _text(peer_median), "peers": str(count - 1),
         "share_pct": _text(share), "category": f.category, "band": load_band(f.load_kw)},
    )  # fmt: skip


def zero_units(f: ConsumerFacts) -> Reason | None:
    if not (f.active and f.metered) or f.units is None or f.units != 0:
        return None
    return Reason(ZERO_UNITS, RULES[ZERO_UNITS]["points"], {})


def idf_na(f: ConsumerFacts) -> Reason | None:
    rule = RULES[IDF_NA]
    if f.idf_na_count < rule["min_count"]:
        return None
    points = min(
        rule["max_points"], rule["points"] + rule["extra_points"] * (f.idf_na_count - rule["min_count"])
    )
    return Reason(IDF_NA, points, {"count": str(f.idf_na_count), "months": str(rule["window_months"])})


def spot_far(f: ConsumerFacts) -> Reason | None:
    if f.spot_distance_m is None:
        return None
    points = _tier(f.spot_distance_m, RULES[SPOT_FAR]["tiers"])
    if not points:
        return None
    return Reason(SPOT_FAR, points, {"metres": str(int(f.spot_distance_m))})


def dt_loss(f: ConsumerFacts) -> Reason | None:
    if f.dt_loss_pct is None:
        return None
    points = _tier(f.dt_loss_pct, RULES[DT_LOSS]["tiers"])
    if not points:
        return None
    return Reason(DT_LOSS, points, {"dt": f.dt_code, "loss_pct": _text(f.dt_loss_pct)})


def implied_load_kw(units: Decimal) -> Decimal:
    rule = RULES[LOAD_BELOW]
    hours: Decimal = rule["hours_in_month"] * rule["load_factor"]
    return units / hours


def load_below(f: ConsumerFacts) -> Reason | None:
    peak = f.units
    if f.history_max is not None and (peak is None or f.history_max > peak):
        peak = f.history_max
    if peak is None or f.load_kw <= 0 or not f.metered:
        return None
    implied = implied_load_kw(peak)
    share = implied / f.load_kw * 100
    points = _tier(share, RULES[LOAD_BELOW]["tiers"])
    if not points:
        return None
    return Reason(
        LOAD_BELOW,
        points,
        {"implied_kw": _text(implied), "sanctioned_kw": _text(f.load_kw), "units": _text(peak)},
    )


def previous_months(period: str, count: int) -> tuple[str, ...]:
    """The `count` months (``YYYY-MM``) before `period`, oldest first."""
    year, month = (int(part) for part in period.split("-"))
    out = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year:04d}-{month:02d}")
    return tuple(reversed(out))


#: Months of the consumer's own history the falling factor averages over.
HISTORY_MONTHS = 6


def band_of(points: int) -> str:
    if points >= BANDS["high"]:
        return "high"
    if points >= BANDS["medium"]:
        return "medium"
    return "low"


def score(f: ConsumerFacts, peers: tuple[Decimal, int] | None = None) -> Score:
    """The consumer's score: every factor that fires, in FACTORS order."""
    found = [
        reason
        for reason in (
            falling(f),
            below_peers(f, peers),
            zero_units(f),
            idf_na(f),
            spot_far(f),
            dt_loss(f),
            load_below(f),
        )
        if reason is not None
    ]
    points = sum(r.points for r in found)
    missing = ZERO
    if f.history_average is not None and f.units is not None and f.units < f.history_average:
        missing = f.history_average - f.units
    return Score(f.consumer_id, f.account_number, points, band_of(points), tuple(found), missing)


def rank(facts: Sequence[ConsumerFacts]) -> list[Score]:
    """The listed consumers of `facts`, best lead first (score, then missing units, then account)."""
    medians = peer_medians(facts)
    scores = [score(f, medians.get((f.office_id, f.category, load_band(f.load_kw)))) for f in facts]
    listed = [s for s in scores if s.listed]
    listed.sort(key=lambda s: (-s.points, -s.missing_kwh, s.account_number))
    return listed


@dataclass(frozen=True, slots=True)
class HitRate:
    inspected: int  # confirmed + not confirmed
    confirmed: int
    no_access: int

    @property
    def rate_pct(self) -> Decimal | None:
        """Confirmed ÷ inspected in per cent (one decimal); None when nothing was inspected."""
        if not self.inspected:
            return None
        return (Decimal(self.confirmed) * 100 / self.inspected).quantize(ONE_DP, rounding=ROUND_HALF_UP)


def hit_rate(outcomes: Iterable[str]) -> HitRate:
    """Outcomes are "confirmed", "not_confirmed" or "no_access" (no access is not an inspection)."""
    confirmed = not_confirmed = no_access = 0
    for outcome in outcomes:
        if outcome == "confirmed":
            confirmed += 1
        elif outcome == "not_confirmed":
            not_confirmed += 1
        elif outcome == "no_access":
            no_access += 1
    return HitRate(confirmed + not_confirmed, confirmed, no_access)
