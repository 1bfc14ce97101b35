"""Consumption segmentation: a sub-division's consumers classed high, medium and low for a month.

The rule (docs/segmentation.md says why each default was chosen):

* **Peers.** A consumer is compared with the consumers of the same sub-division, tariff category and
  *load band* (a range of sanctioned load in the load unit of the bill, per category: LMV-1 domestic
  ≤ 1, 1–2, 2–5, > 5 kW …). The category and load are the bill's own (the particulars it was priced on).
* **Thresholds.** Within a peer group the *low* threshold is the 33rd percentile and the *high* threshold
  the 80th percentile of the month's units (both configurable), by the nearest-rank definition: the
  smallest observed units value with at least that share of the group at or below it. A threshold is
  therefore always a units figure someone in the group actually used.
* **Classes.** units ≤ low threshold → *low*; units > high threshold → *high*; otherwise *medium*.
  Ties are never split: equal units give the same class. With distinct values exactly 33% are low and
  20% high; ties at the low threshold all go low, ties at the high threshold all stay medium.
* **Who sets the thresholds.** Only bills on actual readings (basis ``MU`` metered units and ``MIN``
  minimum charge) with units above zero. Assessed and provisional bills (``ASS``, ``PROV``) are classed
  against those thresholds by the units they were billed, but an estimate never moves the bar.
* **Zero units** (a metered bill for 0 units) are always *low* and do not set thresholds, so a cluster of
  locked houses does not pull the low threshold to zero and push everyone else up.
* **Unmetered** (flat-rate, basis ``UM``: no units) bills are not ranked: they are the class
  ``unmetered``, counted and totalled beside the three, so the classes' totals still equal the month's
  issued-bill totals.
* **Tiny groups.** A group with fewer than ``min_group`` threshold-setting consumers uses its category's
  thresholds (all load bands of the category pooled); a category that is itself below ``min_group`` has
  too few peers to call anyone high or low: its ranked consumers are *medium* (zero units still low).
  Each group reports which thresholds it used (``group``, ``category``, ``too_few``).

Movement between two months compares each account's class in both (each month classed against its own
peers); an account with no issued bill in a month is in the state ``none``, so consumers entering
(``none`` → a class) and leaving (a class → ``none``) are counted too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
UNMETERED = "unmetered"
NO_BILL = "none"
#: The ranked classes, highest first.
RANKED = (HIGH, MEDIUM, LOW)
#: Every class a billed consumer can be in.
CLASSES = (HIGH, MEDIUM, LOW, UNMETERED)
#: A consumer's state in a month for movement: a class, or no issued bill.
STATES = (HIGH, MEDIUM, LOW, UNMETERED, NO_BILL)

#: Bill bases whose units set thresholds (actual readings).
REFERENCE_BASES = frozenset({"MU", "MIN"})
UNMETERED_BASIS = "UM"

# Which thresholds a group used.
FROM_GROUP = "group"
FROM_CATEGORY = "category"
TOO_FEW = "too_few"

ZERO = Decimal("0")

#: Upper bounds (inclusive) of the load bands, in the bill's load unit, keyed by category code or by a
#: prefix of it (the longest matching key wins). A category with no key has one band.
DEFAULT_LOAD_BANDS: dict[str, tuple[Decimal, ...]] = {
    "LMV1": (Decimal("1"), Decimal("2"), Decimal("5")),  # kW: lifeline/rural, small, typical, large homes
    "LMV2": (Decimal("2"), Decimal("5"), Decimal("10")),  # kW: shops, offices
    "LMV5": (Decimal("5"), Decimal("7.5"), Decimal("10")),  # BHP: private tube-well pumps
    "LMV6": (Decimal("10"), Decimal("25"), Decimal("50")),  # kW: small and medium power
    "HV": (Decimal("250"), Decimal("1000"), Decimal("5000")),  # kVA: bulk and large loads
}


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class Rule:
    """The configurable parts of the rule (settings ``URJA_SEGMENTATION``)."""

    low_percentile: Decimal = Decimal("33")
    high_percentile: Decimal = Decimal("80")
    min_group: int = 20
    load_bands: Mapping[str, tuple[Decimal, ...]] = field(default_factory=lambda: dict(DEFAULT_LOAD_BANDS))

    def __post_init__(self) -> None:
        if not (ZERO < self.low_percentile < self.high_percentile < Decimal("100")):
            raise ValueError("percentiles must satisfy 0 < low < high < 100")
        if self.min_group < 1:
            raise ValueError("min_group must be at least 1")
        for key, bounds in self.load_bands.items():
            if list(bounds) != sorted(set(bounds)) or any(b <= 0 for b in bounds):
                raise ValueError(f"load bands of {key} must be positive and increasing")

    @classmethod
    def from_config(cls, config: Mapping[str, object] | None) -> Rule:
        """The rule from a settings mapping (keys ``LOW_PERCENTILE``, ``HIGH_PERCENTILE``, ``MIN_GROUP``,
        ``LOAD_BANDS``); a missing key keeps its default."""
        config = config or {}
        rule = cls()
        bands = config.get("LOAD_BANDS")
        return cls(
            low_percentile=_decimal(config.get("LOW_PERCENTILE", rule.low_percentile)),
            high_percentile=_decimal(config.get("HIGH_PERCENTILE", rule.high_percentile)),
            min_group=int(str(config.get("MIN_GROUP", rule.min_group))),
            load_bands=(
                {str(k): tuple(_decimal(b) for b in v) for k, v in bands.items()}
                if isinstance(bands, Mapping)
                else rule.load_bands
            ),
        )

    def bounds_for(self, category: str) -> tuple[Decimal, ...]:
        """The category's band bounds: its own key, else the longest key that prefixes it."""
        if category in self.load_bands:
            return tuple(self.load_bands[category])
        best = max((k for k in self.load_bands if category.startswith(k)), key=len, default=None)
        return tuple(self.load_bands[best]) if best is not None else ()

    def band_of(self, category: str, load: Decimal) -> int:
        """The load band's index (0 = the lowest): the first band whose upper bound is ≥ the load."""
        bounds = self.bounds_for(category)
        for index, bound in enumerate(bounds):
            if load <= bound:
                return index
        return len(bounds)

    def band_label(self, category: str, band: int) -> str:
        """``≤ 1``, ``1–2``, ``> 5`` (the unit is the bill's); ``all`` for a category with one band."""
        bounds = self.bounds_for(category)
        if not bounds:
            return "all"
        if band == 0:
            return f"≤ {_plain(bounds[0])}"
        if band >= len(bounds):
            return f"> {_plain(bounds[-1])}"
        return f"{_plain(bounds[band - 1])}–{_plain(bounds[band])}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True, slots=True)
class BillLine:
    """One issued bill of the month: what the rule needs of it. ``amount`` is the revenue billed (current
    charges gross of subsidy); ``units`` is None for an unmetered bill."""

    account: int
    category: str
    load: Decimal
    basis: str
    units: Decimal | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Thresholds:
    """A group's thresholds: ``low`` (at or below: low) and ``high`` (above: high); both None when the
    category has too few peers. ``source`` says whose units set them, ``reference`` how many bills."""

    low: Decimal | None
    high: Decimal | None
    source: str
    reference: int


@dataclass(slots=True)
class Total:
    count: int = 0
    units: Decimal = ZERO
    amount: Decimal = ZERO

    def add(self, units: Decimal | None, amount: Decimal) -> None:
        self.count += 1
        self.units += units or ZERO
        self.amount += amount


@dataclass
class Segmentation:
    """A month classed: each account's class, each (category, band) group's thresholds and totals per
    class, and the month's totals per class."""

    rule: Rule
    classes: dict[int, str]
    groups: dict[tuple[str, int], Thresholds]
    group_totals: dict[tuple[str, int, str], Total]
    totals: dict[str, Total]

    @property
    def grand_total(self) -> Total:
        total = Total()
        for t in self.totals.values():
            total.count += t.count
            total.units += t.units
            total.amount += t.amount
        return total

    def accounts_in(self, klass: str) -> list[int]:
        return [account for account, c in self.classes.items() if c == klass]


def percentile(sorted_values: Sequence[Decimal], p: Decimal) -> Decimal:
    """Nearest-rank percentile of ascending, non-empty values: the smallest value with at least p% of
    the values at or below it."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("no values")
    rank = int((p * n / Decimal("100")).to_integral_value(rounding=ROUND_CEILING))
    return sorted_values[min(max(rank, 1), n) - 1]


def _thresholds(values: list[Decimal], rule: Rule, source: str) -> Thresholds:
    values.sort()
    return Thresholds(
        low=percentile(values, rule.low_percentile),
        high=percentile(values, rule.high_percentile),
        source=source,
        reference=len(values),
    )


def classify(lines: Iterable[BillLine], rule: Rule | None = None) -> Segmentation:
    """Each bill's account classed by the rule (module docstring), in one pass over the bills plus a
    sort per group."""
    rule = rule or Rule()
    keyed: list[tuple[BillLine, tuple[str, int]]] = []
    group_ref: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    category_ref: dict[str, list[Decimal]] = defaultdict(list)
    for line in lines:
        key = (line.category, rule.band_of(line.category, line.load))
        keyed.append((line, key))
        group_ref.setdefault(key, [])
        if line.basis in REFERENCE_BASES and line.units is not None and line.units > 0:
            group_ref[key].append(line.units)
            category_ref[line.category].append(line.units)

    category_thresholds: dict[str, Thresholds] = {}
    for category, values in category_ref.items():
        if len(values) >= rule.min_group:
            category_thresholds[category] = _thresholds(list(values), rule, FROM_CATEGORY)
    groups: dict[tuple[str, int], Thresholds] = {}
    for key, values in group_ref.items():
        if len(values) >= rule.min_group:
            groups[key] = _thresholds(values, rule, FROM_GROUP)
        else:
            fallback = category_thresholds.get(key[0])
            groups[key] = fallback or Thresholds(None, None, TOO_FEW, len(category_ref.get(key[0], ())))

    classes: dict[int, str] = {}
    group_totals: dict[tuple[str, int, str], Total] = defaultdict(Total)
    totals: dict[str, Total] = {c: Total() for c in CLASSES}
    for line, key in keyed:
        units = line.units
        if line.basis == UNMETERED_BASIS or units is None:
            klass = UNMETERED
        elif units <= 0:
            klass = LOW
        else:
            t = groups[key]
            if t.low is None or t.high is None:
                klass = MEDIUM
            elif units <= t.low:
                klass = LOW
            elif units > t.high:
                klass = HIGH
            else:
                klass = MEDIUM
        classes[line.account] = klass
        group_totals[(key[0], key[1], klass)].add(units, line.amount)
        totals[klass].add(units, line.amount)
    return Segmentation(
        rule=rule, classes=classes, groups=groups, group_totals=dict(group_totals), totals=totals
    )


def movement(previous: Mapping[int, str], current: Mapping[int, str]) -> dict[tuple[str, str], int]:
    """How many accounts went from each state to each state between two months (``STATES`` × ``STATES``,
    every cell present; ``none`` → ``none`` is always 0: an account billed in neither month is not seen)."""
    matrix = {(a, b): 0 for a in STATES for b in STATES}
    for account, klass in current.items():
        matrix[(previous.get(account, NO_BILL), klass)] += 1
    for account, klass in previous.items():
        if account not in current:
            matrix[(klass, NO_BILL)] += 1
    return matrix


def movers(previous: Mapping[int, str], current: Mapping[int, str], *, was: str, now: str) -> list[int]:
    """The accounts behind one cell of the movement matrix."""
    accounts = set(previous) | set(current)
    return sorted(a for a in accounts if previous.get(a, NO_BILL) == was and current.get(a, NO_BILL) == now)
