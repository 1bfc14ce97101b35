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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from functools import cached_property

import numpy as np

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
#: The band label of a category with one band.
ALL_LOADS = "all"

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
            return ALL_LOADS
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


@dataclass(eq=False)
class Segmentation:
    """A month classed, column-wise (one entry per bill, in input order): each account's class, each
    (category, band) group's thresholds, and totals per class and per group — for every bill or, with
    a mask, for a subset (a DC of the sub-division, one category). Units and amounts are carried as
    exact integers of hundredths (the bills' two decimals), never floats."""

    rule: Rule
    accounts: np.ndarray  # int64
    categories: list[str]  # the bill's category, per bill
    bands: np.ndarray  # int64 load band index
    klass: np.ndarray  # int8 index into CLASSES
    units_c: np.ndarray  # int64 hundredths of a unit; 0 for an unmetered bill
    amount_p: np.ndarray  # int64 paise
    groups: dict[tuple[str, int], Thresholds]

    @cached_property
    def classes(self) -> dict[int, str]:
        names = [CLASSES[i] for i in self.klass.tolist()]
        return dict(zip(self.accounts.tolist(), names, strict=True))

    @cached_property
    def totals(self) -> dict[str, Total]:
        return self.totals_for(None)

    @cached_property
    def group_totals(self) -> dict[tuple[str, int, str], Total]:
        return self.group_totals_for(None)

    @property
    def grand_total(self) -> Total:
        return _sum_total(self.totals.values())

    def accounts_in(self, klass: str) -> list[int]:
        accounts: list[int] = self.accounts[self.klass == CLASSES.index(klass)].tolist()
        return accounts

    def totals_for(self, mask: np.ndarray | None) -> dict[str, Total]:
        """Totals per class over the bills where ``mask`` is true (every bill for None)."""
        klass, units, amount = self._masked(mask)
        result = {}
        for i, name in enumerate(CLASSES):
            sel = klass == i
            result[name] = Total(
                int(sel.sum()), _hundredths(units[sel].sum()), _hundredths(amount[sel].sum())
            )
        return result

    def group_totals_for(self, mask: np.ndarray | None) -> dict[tuple[str, int, str], Total]:
        """Totals per (category, band, class) over the bills where ``mask`` is true."""
        keep = np.ones(len(self.accounts), dtype=bool) if mask is None else mask
        result: dict[tuple[str, int, str], Total] = {}
        for (category, band), index in self._group_index.items():
            sel_group = keep & (self._group_codes == index)
            if not sel_group.any():
                continue
            for i, name in enumerate(CLASSES):
                sel = sel_group & (self.klass == i)
                n = int(sel.sum())
                if n:
                    result[(category, band, name)] = Total(
                        n, _hundredths(self.units_c[sel].sum()), _hundredths(self.amount_p[sel].sum())
                    )
        return result

    def _masked(self, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if mask is None:
            return self.klass, self.units_c, self.amount_p
        return self.klass[mask], self.units_c[mask], self.amount_p[mask]

    @cached_property
    def _group_index(self) -> dict[tuple[str, int], int]:
        return {key: i for i, key in enumerate(self.groups)}

    @cached_property
    def _group_codes(self) -> np.ndarray:
        index = self._group_index
        return np.fromiter(
            (index[(c, b)] for c, b in zip(self.categories, self.bands.tolist(), strict=True)),
            dtype=np.int64,
            count=len(self.categories),
        )


def _hundredths(value: object) -> Decimal:
    return Decimal(int(value)).scaleb(-2)  # type: ignore[call-overload]


def _sum_total(totals: Iterable[Total]) -> Total:
    total = Total()
    for t in totals:
        total.count += t.count
        total.units += t.units
        total.amount += t.amount
    return total


def percentile(sorted_values: Sequence[Decimal], p: Decimal) -> Decimal:
    """Nearest-rank percentile of ascending, non-empty values: the smallest value with at least p% of
    the values at or below it."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("no values")
    return sorted_values[_rank(n, p) - 1]


def _rank(n: int, p: Decimal) -> int:
    rank = int((p * n / Decimal("100")).to_integral_value(rounding=ROUND_CEILING))
    return min(max(rank, 1), n)


def _thresholds(values: np.ndarray, rule: Rule, source: str) -> Thresholds:
    """Thresholds from threshold-setting units (int hundredths, any order)."""
    ordered = np.sort(values)
    n = len(ordered)
    return Thresholds(
        low=_hundredths(ordered[_rank(n, rule.low_percentile) - 1]),
        high=_hundredths(ordered[_rank(n, rule.high_percentile) - 1]),
        source=source,
        reference=n,
    )


def _cents(value: Decimal) -> int:
    return int(value.scaleb(2))


def classify(lines: Iterable[BillLine], rule: Rule | None = None) -> Segmentation:
    """Each bill's account classed by the rule (module docstring)."""
    lines = list(lines)
    return classify_columns(
        accounts=[x.account for x in lines],
        categories=[x.category for x in lines],
        loads_c=[_cents(x.load) for x in lines],
        bases=[x.basis for x in lines],
        units_c=[None if x.units is None else _cents(x.units) for x in lines],
        amounts_p=[_cents(x.amount) for x in lines],
        rule=rule,
    )


def classify_columns(
    *,
    accounts: Sequence[int],
    categories: Sequence[str],
    loads_c: Sequence[int],
    bases: Sequence[str],
    units_c: Sequence[int | None],
    amounts_p: Sequence[int],
    rule: Rule | None = None,
) -> Segmentation:
    """``classify`` on columns (one entry per bill) as a query returns them, with load, units and amount
    as integers of hundredths (``ROUND(x * 100)``; units None for an unmetered bill): one vectorised pass
    (NumPy) plus one sort per group."""
    rule = rule or Rule()
    n = len(accounts)
    account_arr = np.asarray(accounts, dtype=np.int64)
    raw_units = np.asarray(units_c, dtype=np.float64)  # None → NaN; integers below 2**53 stay exact
    no_units = np.isnan(raw_units)
    units = np.where(no_units, 0, raw_units).astype(np.int64)
    amount_p = np.asarray(amounts_p, dtype=np.int64)
    load_arr = np.asarray(loads_c, dtype=np.int64)
    basis = np.asarray(bases, dtype=object)
    unmetered = (basis == UNMETERED_BASIS) | no_units
    reference = np.isin(basis, list(REFERENCE_BASES)) & ~unmetered & (units > 0)

    # Load bands, per category (a handful of categories: the loop is over them, not over bills).
    category_arr = np.asarray(categories, dtype=object)
    bands = np.zeros(n, dtype=np.int64)
    category_rows: dict[str, np.ndarray] = {}
    for category in dict.fromkeys(categories):
        rows = category_arr == category
        category_rows[category] = rows
        bounds = np.array([_cents(b) for b in rule.bounds_for(category)], dtype=np.int64)
        if len(bounds):
            bands[rows] = np.searchsorted(bounds, load_arr[rows], side="left")

    groups: dict[tuple[str, int], Thresholds] = {}
    low_t = np.zeros(n, dtype=np.int64)
    high_t = np.zeros(n, dtype=np.int64)
    ranked_ok = np.zeros(n, dtype=bool)
    for category, rows in category_rows.items():
        pooled = units[rows & reference]
        category_thresholds = (
            _thresholds(pooled, rule, FROM_CATEGORY) if len(pooled) >= rule.min_group else None
        )
        for band in np.unique(bands[rows]).tolist():
            in_group = rows & (bands == band)
            values = units[in_group & reference]
            if len(values) >= rule.min_group:
                t = _thresholds(values, rule, FROM_GROUP)
            elif category_thresholds is not None:
                t = category_thresholds
            else:
                t = Thresholds(None, None, TOO_FEW, len(pooled))
            groups[(category, band)] = t
            if t.low is not None and t.high is not None:
                low_t[in_group] = _cents(t.low)
                high_t[in_group] = _cents(t.high)
                ranked_ok[in_group] = True

    klass = np.full(n, CLASSES.index(MEDIUM), dtype=np.int8)
    ranked = ~unmetered & (units > 0) & ranked_ok
    klass[ranked & (units <= low_t)] = CLASSES.index(LOW)
    klass[ranked & (units > high_t)] = CLASSES.index(HIGH)
    klass[~unmetered & (units == 0)] = CLASSES.index(LOW)
    klass[unmetered] = CLASSES.index(UNMETERED)
    return Segmentation(
        rule=rule,
        accounts=account_arr,
        categories=list(categories),
        bands=bands,
        klass=klass,
        units_c=units,
        amount_p=amount_p,
        groups=groups,
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


def movement_between(
    previous: Segmentation,
    current: Segmentation,
    previous_mask: np.ndarray | None = None,
    current_mask: np.ndarray | None = None,
) -> dict[tuple[str, str], int]:
    """``movement`` over two classed months (optionally each restricted by a mask), vectorised."""
    _accounts, was, now = _paired_states(previous, current, previous_mask, current_mask)
    counts = np.bincount(was * len(STATES) + now, minlength=len(STATES) ** 2).tolist()
    return {(a, b): counts[i * len(STATES) + j] for i, a in enumerate(STATES) for j, b in enumerate(STATES)}


def movers_between(
    previous: Segmentation,
    current: Segmentation,
    *,
    was: str,
    now: str,
    previous_mask: np.ndarray | None = None,
    current_mask: np.ndarray | None = None,
) -> list[int]:
    """The accounts behind one cell of ``movement_between``, ascending."""
    accounts, states_was, states_now = _paired_states(previous, current, previous_mask, current_mask)
    sel = (states_was == STATES.index(was)) & (states_now == STATES.index(now))
    return sorted(accounts[sel].tolist())


def _paired_states(
    previous: Segmentation,
    current: Segmentation,
    previous_mask: np.ndarray | None,
    current_mask: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every account billed in either month: account, state before, state now (STATES indices)."""
    none = STATES.index(NO_BILL)
    pa, pk = previous.accounts, previous.klass
    ca, ck = current.accounts, current.klass
    if previous_mask is not None:
        pa, pk = pa[previous_mask], pk[previous_mask]
    if current_mask is not None:
        ca, ck = ca[current_mask], ck[current_mask]
    order = np.argsort(pa, kind="stable")
    pa_sorted, pk_sorted = pa[order], pk[order]
    pos = np.searchsorted(pa_sorted, ca)
    pos_clipped = np.minimum(pos, max(len(pa_sorted) - 1, 0))
    found = (
        (pos < len(pa_sorted)) & (pa_sorted[pos_clipped] == ca) if len(pa_sorted) else np.zeros(len(ca), bool)
    )
    was_now = np.where(found, pk_sorted[pos_clipped] if len(pa_sorted) else none, none).astype(np.int64)
    left = ~np.isin(pa, ca)
    accounts = np.concatenate([ca, pa[left]])
    was = np.concatenate([was_now, pk[left].astype(np.int64)])
    now = np.concatenate([ck.astype(np.int64), np.full(int(left.sum()), none, dtype=np.int64)])
    return accounts, was, now
