"""Generate a realistic, deterministic UP-like utility: offices, network, staff, consumers and meters.

Determinism: every random choice comes from ``random.Random`` instances seeded from the ``seed`` option
and a stable label (the discom or office code; a str seed is hashed with SHA-512 by ``random``, not
with ``hash()``), never from the clock or uuid4. The same (consumers, seed) gives the same rows; only
``created_at``/``updated_at`` carry the time of the run. Each distribution centre (DC) draws from its
own generator, so chunk size and write order cannot change the data.

Shares follow docs DOMAIN.md ("Organisation and network"): ~60% rural (PuVVNL ~29% of consumers and
~84% rural, KESCO all urban); by count ~87% domestic, ~7-8% commercial + industrial, ~4% tube wells.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import ProtectedError, Q

from urja.common import clock
from urja.customers.choices import (
    UNMETERED_CATEGORIES,
    AreaType,
    ConsumerStatus,
    KycDocument,
    LoadUnit,
    SupplyVoltage,
)
from urja.customers.choices import TariffCategory as TC
from urja.customers.models import Consumer, ConsumerChange
from urja.demo.seed import names
from urja.demo.seed.names import DiscomSpec, District, Pair
from urja.demo.seed.writer import Table, Writer
from urja.domain import account_number
from urja.domain.tariff_book import current_tariff_book
from urja.domain.tariff_book_hv import hv_tariff_book
from urja.metering.choices import MeterType
from urja.metering.models import Meter, MeterInstallation
from urja.network.models import DistributionTransformer, Feeder, Substation
from urja.org.choices import LEVEL_ORDER, OfficeLevel, Role
from urja.org.models import Office, User
from urja.org.roles import HOME_LEVEL

# --- sizing -------------------------------------------------------------------------------------------
CONSUMERS_PER_DC = 3000  # a DC serves ~2,250-3,750 consumers
DCS_PER_SUBDIVISION = 3
SUBDIVISIONS_PER_DIVISION = 3
DIVISIONS_PER_CIRCLE = 4  # circles never cross a district
CIRCLES_PER_ZONE = 4
CONSUMERS_PER_FEEDER = 1600  # ~3.46 crore consumers on ~21,500 feeders
TUBE_WELLS_PER_FEEDER = 500  # separated agricultural feeders
CONSUMERS_PER_SUBSTATION = 8000
DT_SIZE = (25, 60)  # consumers per distribution transformer
AGRI_DT_SIZE = (5, 12)  # tube wells per DT
UNINDEXED_SHARE = 0.03  # consumers not yet linked to a DT (feeds the unindexed report)

# Connection dates never go past this day, so the data does not depend on when it is generated.
REFERENCE_DATE = dt.date(2025, 12, 31)

# --- consumer mix (shares of consumers by count, per area) ----------------------------------------------
# Urban: 84% domestic (4% lifeline), 15.5% commercial + industrial, 0.5% tube wells.
URBAN_MIX = (
    (TC.LMV1_URBAN, 0.80),
    (TC.LMV1_LIFELINE, 0.04),
    (TC.LMV2_URBAN, 0.13),
    (TC.LMV6, 0.025),
    (TC.LMV5_URBAN, 0.005),
)
# Rural: 90.5% domestic, of which ~25% unmetered and ~15% lifeline; 3% commercial + industrial;
# 6.5% tube wells, most of them still unmetered.
RURAL_MIX = (
    (TC.LMV1_RURAL, 0.543),
    (TC.LMV1_RURAL_UM, 0.226),
    (TC.LMV1_LIFELINE, 0.136),
    (TC.LMV2_URBAN, 0.026),
    (TC.LMV6, 0.004),
    (TC.LMV5_RURAL_UM, 0.039),
    (TC.LMV5_RURAL, 0.026),
)
AGRI = frozenset({TC.LMV5_RURAL_UM, TC.LMV5_RURAL, TC.LMV5_URBAN})
UNMETERED = UNMETERED_CATEGORIES

# Every other category of the tariff book (public lamps, institutions, water works, state tube wells,
# temporary supply, departmental, EV charging, ...), derived from the book so that a category added to
# it joins the demo: a small share each (rural-only codes in rural DCs, urban-only in urban ones), and
# each appears at least once in the utility (the first DCs of each kind carry the ones not drawn yet).
# HV connections (bulk loads, industry, traction, lift irrigation) are few and large: they join the
# urban DCs only, on a contracted demand in kVA at their category's supply voltage.
_BOOK = {version.category: version for version in [*current_tariff_book(), *hv_tariff_book()]}
HV_CATEGORIES = frozenset(code for code in _BOOK if code.startswith("HV"))
_MIXED = {code for code, _ in URBAN_MIX + RURAL_MIX}
OTHER_SHARE = 0.001
OTHER_URBAN = tuple(c for c in _BOOK if c not in _MIXED and "RURAL" not in c and "-GP" not in c)
OTHER_RURAL = tuple(
    c for c in _BOOK if c not in _MIXED and "URBAN" not in c and "-NN" not in c and c not in HV_CATEGORIES
)
#: The supply voltage of an HV category code's voltage part.
HV_VOLTAGE = {
    "11KV": SupplyVoltage.HT_11KV,
    "ABOVE11KV": SupplyVoltage.HT_33KV,
    "66KV": SupplyVoltage.HT_66KV,
    "BELOW132KV": SupplyVoltage.HT_33KV,
    "132KV": SupplyVoltage.HT_132KV,
    "ABOVE132KV": SupplyVoltage.HT_220KV,
}
URBAN_MIX = URBAN_MIX + tuple((c, OTHER_SHARE) for c in OTHER_URBAN)
RURAL_MIX = RURAL_MIX + tuple((c, OTHER_SHARE) for c in OTHER_RURAL)

# Sanctioned load (value, weight) per category; tube wells in BHP, everything else in kW.
LOADS: dict[str, tuple[tuple[float, float], ...]] = {
    TC.LMV1_LIFELINE: ((1, 1.0),),
    TC.LMV1_RURAL_UM: ((1, 0.70), (2, 0.25), (3, 0.05)),
    TC.LMV1_RURAL: ((1, 0.45), (2, 0.35), (3, 0.12), (4, 0.05), (5, 0.03)),
    TC.LMV1_URBAN: ((1, 0.28), (2, 0.36), (3, 0.15), (4, 0.08), (5, 0.07), (7, 0.03), (10, 0.02), (15, 0.01)),
    TC.LMV2_URBAN: (
        (1, 0.25),
        (2, 0.28),
        (3, 0.15),
        (4, 0.10),
        (5, 0.08),
        (7, 0.06),
        (10, 0.04),
        (15, 0.02),
        (20, 0.02),
    ),
    TC.LMV5_RURAL_UM: ((5, 0.50), (7.5, 0.35), (10, 0.15)),
    TC.LMV5_RURAL: ((5, 0.50), (7.5, 0.35), (10, 0.15)),
    TC.LMV5_URBAN: ((5, 0.40), (7.5, 0.40), (10, 0.20)),
    TC.LMV6: (
        (8, 0.15),
        (10, 0.20),
        (15, 0.15),
        (20, 0.12),
        (25, 0.10),
        (30, 0.08),
        (40, 0.08),
        (50, 0.06),
        (60, 0.04),
        (70, 0.02),
    ),
}
for _code in HV_CATEGORIES:  # contracted demand, kVA
    LOADS[_code] = ((100, 0.35), (200, 0.3), (400, 0.25), (800, 0.1))
for _code, _version in _BOOK.items():  # the other categories: small loads inside their limits
    if _code not in LOADS:
        LOADS[_code] = (
            ((10, 0.5), (15, 0.5)) if _version.load_unit == "BHP" else ((2, 0.4), (5, 0.4), (10, 0.2))
        )
BHP_CATEGORIES = frozenset(code for code, version in _BOOK.items() if version.load_unit == "BHP")
# Security deposit held, rupees per unit of sanctioned load (illustrative; real amounts follow the
# Cost Data Book of the year of connection).
DEPOSIT_PER_UNIT = {
    TC.LMV1_LIFELINE: 100,
    TC.LMV1_RURAL_UM: 200,
    TC.LMV1_RURAL: 300,
    TC.LMV1_URBAN: 400,
    TC.LMV2_URBAN: 1000,
    TC.LMV5_RURAL_UM: 300,
    TC.LMV5_RURAL: 400,
    TC.LMV5_URBAN: 600,
    TC.LMV6: 1500,
}
STATUS_MIX = (
    (ConsumerStatus.ACTIVE, 0.93),
    (ConsumerStatus.TEMP_DISCONNECTED, 0.05),
    (ConsumerStatus.PERM_DISCONNECTED, 0.02),
)


def _d(y: int, m: int, d: int) -> int:
    return dt.date(y, m, d).toordinal()


_END = REFERENCE_DATE.toordinal()
# Connection eras (weight, first day, last day). Saubhagya (Oct 2017 - Mar 2019) connected a large part
# of today's rural consumers; no new unmetered connections were given after it.
RURAL_ERAS = (
    (0.10, _d(1975, 4, 1), _d(2005, 3, 31)),
    (0.40, _d(2005, 4, 1), _d(2017, 10, 10)),
    (0.30, _d(2017, 10, 11), _d(2019, 3, 31)),
    (0.20, _d(2019, 4, 1), _END),
)
UNMETERED_ERAS = (
    (0.20, _d(1975, 4, 1), _d(2005, 3, 31)),
    (0.45, _d(2005, 4, 1), _d(2017, 10, 10)),
    (0.35, _d(2017, 10, 11), _d(2019, 3, 31)),
)
URBAN_ERAS = (
    (0.25, _d(1970, 1, 1), _d(1995, 3, 31)),
    (0.30, _d(1995, 4, 1), _d(2010, 3, 31)),
    (0.45, _d(2010, 4, 1), _END),
)
AGRI_ERAS = (
    (0.30, _d(1975, 4, 1), _d(1995, 3, 31)),
    (0.40, _d(1995, 4, 1), _d(2012, 3, 31)),
    (0.30, _d(2012, 4, 1), _END),
)
SMART_ROLLOUT = _d(2023, 1, 1)
STATIC_ERA = _d(2008, 1, 1)

# Rough bounding box of Uttar Pradesh; every generated coordinate is clamped into it.
UP_LAT = (23.9, 30.4)
UP_LON = (77.1, 84.6)


class SeedRefused(Exception):
    """The database is not in a state the seed may write into (message says why and what to do)."""


@dataclass
class SeedResult:
    consumers: int
    seed: int
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, office)
    password: str = ""
    skipped_users: list[str] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)


class _Picker:
    """Weighted choice with one uniform draw (faster than Random.choices for a hot loop)."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, pairs: Sequence[tuple[object, float]]):
        self.values = [v for v, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _split(items: list, groups: int) -> list[list]:
    """Split `items` into `groups` contiguous, near-equal runs (no empty run)."""
    groups = max(1, min(groups, len(items)))
    size, extra = divmod(len(items), groups)
    out, start = [], 0
    for g in range(groups):
        end = start + size + (1 if g < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Largest-remainder split of an integer total by weights."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _clamp(v: float, lo_hi: tuple[float, float]) -> float:
    return min(max(v, lo_hi[0]), lo_hi[1])


# --- plan ------------------------------------------------------------------------------------------------
@dataclass
class _Office:
    level: str
    code: str
    name: str
    name_hi: str
    parent: _Office | None
    discom: DiscomSpec
    children: list[_Office] = field(default_factory=list)
    id: int = 0
    path: str = ""
    # DC only
    district: District | None = None
    kind: str = ""
    place: Pair = ("", "")
    consumers: int = 0
    center: tuple[float, float] = (0.0, 0.0)

    def suffix(self) -> str:
        """The part of the code after the discom prefix, lowercased: MV-DC0001 → dc0001."""
        return self.code.split("-", 1)[1].lower() if "-" in self.code else ""


def _plan_discom(spec: DiscomSpec, n: int, rng: random.Random) -> _Office:
    """The office tree of one discom, sized to its `n` consumers."""
    n_rural = round(n * spec.rural)
    n_urban = n - n_rural
    n_udc = math.ceil(n_urban / CONSUMERS_PER_DC) if n_urban else 0
    n_rdc = math.ceil(n_rural / CONSUMERS_PER_DC) if n_rural else 0
    if n_udc + n_rdc == 0:  # a discom with no consumers (tiny N) still gets one full chain
        if spec.rural >= 0.5:
            n_rdc = 1
        else:
            n_udc = 1
    # Interleave urban and rural DCs evenly so every district gets both kinds.
    kinds = sorted(
        [((i + 0.5) / n_rdc, 0, AreaType.RURAL) for i in range(n_rdc)]
        + [((i + 0.5) / n_udc, 1, AreaType.URBAN) for i in range(n_udc)]
    )
    kinds = [k for _, _, k in kinds]

    def sizes(total: int, count: int) -> list[int]:
        return _apportion(total, [rng.uniform(0.75, 1.25) for _ in range(count)]) if count else []

    size_iter = {AreaType.URBAN: iter(sizes(n_urban, n_udc)), AreaType.RURAL: iter(sizes(n_rural, n_rdc))}

    n_dc = len(kinds)
    n_districts = max(1, min(len(spec.districts), math.ceil(n_dc / 2)))
    localities = names.KANPUR_LOCALITIES if spec.code == "KESCO" else names.LOCALITIES
    by_district: dict[int, list[_Office]] = {}
    place_counters: dict[tuple[int, str], int] = {}
    district_localities: dict[int, list[Pair]] = {}
    for i, kind in enumerate(kinds):
        di = i * n_districts // n_dc
        district = spec.districts[di]
        k = place_counters.get((di, kind), 0)
        place_counters[(di, kind)] = k + 1
        if kind == AreaType.URBAN:
            if di not in district_localities:
                district_localities[di] = rng.sample(list(localities), len(localities))
            pool = district_localities[di]
        else:
            pool = list(district.places)
        base = pool[k % len(pool)]
        rnd = k // len(pool)
        place = (
            base if rnd == 0 else (f"{base[0]} {names.roman(rnd + 1)}", f"{base[1]} {names.roman(rnd + 1)}")
        )
        if kind == AreaType.URBAN:
            center = (district.lat + rng.gauss(0, 0.02), district.lon + rng.gauss(0, 0.02))
        else:
            center = (district.lat + rng.uniform(-0.25, 0.25), district.lon + rng.uniform(-0.25, 0.25))
        dc = _Office(
            OfficeLevel.DC,
            "",
            f"Distribution Centre {place[0]}",
            f"वितरण केन्द्र {place[1]}",
            None,
            spec,
            district=district,
            kind=kind,
            place=place,
            consumers=next(size_iter[kind]),
            center=(_clamp(center[0], UP_LAT), _clamp(center[1], UP_LON)),
        )
        by_district.setdefault(di, []).append(dc)

    discom = _Office(OfficeLevel.DISCOM, spec.code, spec.name, spec.name_hi, None, spec)
    circles: list[_Office] = []
    for di, dcs in by_district.items():
        district = spec.districts[di]
        sds = []
        for group in _split(dcs, math.ceil(len(dcs) / DCS_PER_SUBDIVISION)):
            place = group[0].place
            sd = _Office(
                OfficeLevel.SUBDIVISION,
                "",
                f"Electricity Distribution Sub-division {place[0]}",
                f"विद्युत वितरण उपखण्ड {place[1]}",
                None,
                spec,
            )
            sd.children = group
            sds.append(sd)
        divisions = []
        for k, group in enumerate(_split(sds, math.ceil(len(sds) / SUBDIVISIONS_PER_DIVISION)), start=1):
            div = _Office(
                OfficeLevel.DIVISION,
                "",
                f"Electricity Distribution Division-{names.roman(k)} {district.town}",
                f"विद्युत वितरण खण्ड {names.hindi_ordinal(k)} {district.town_hi}",
                None,
                spec,
            )
            div.children = group
            divisions.append(div)
        groups = _split(divisions, math.ceil(len(divisions) / DIVISIONS_PER_CIRCLE))
        for k, group in enumerate(groups, start=1):
            en = f"Electricity Distribution Circle {district.town}"
            hi = f"विद्युत वितरण मण्डल {district.town_hi}"
            if len(groups) > 1:
                en = f"Electricity Distribution Circle-{names.roman(k)} {district.town}"
                hi = f"विद्युत वितरण मण्डल {names.hindi_ordinal(k)} {district.town_hi}"
            circle = _Office(OfficeLevel.CIRCLE, "", en, hi, None, spec, district=district)
            circle.children = group
            circles.append(circle)
    zone_names: dict[str, int] = {}
    for group in _split(circles, math.ceil(len(circles) / CIRCLES_PER_ZONE)):
        district = group[0].district
        k = zone_names[district.town] = zone_names.get(district.town, 0) + 1
        suffix = "" if k == 1 else f" {names.roman(k)}"
        zone = _Office(
            OfficeLevel.ZONE,
            "",
            f"{district.town} Zone{suffix}",
            f"{district.town_hi} क्षेत्र{suffix}",
            None,
            spec,
        )
        zone.children = group
        discom.children.append(zone)

    # Codes, numbered per level in tree order, and parents.
    counters = dict.fromkeys(LEVEL_ORDER, 0)
    formats = {
        OfficeLevel.ZONE: "Z{:02d}",
        OfficeLevel.CIRCLE: "C{:03d}",
        OfficeLevel.DIVISION: "D{:03d}",
        OfficeLevel.SUBDIVISION: "S{:04d}",
        OfficeLevel.DC: "DC{:04d}",
    }

    def number(node: _Office) -> None:
        for child in node.children:
            counters[child.level] += 1
            child.code = f"{spec.prefix}-{formats[child.level].format(counters[child.level])}"
            child.parent = node
            number(child)

    number(discom)
    return discom


def _walk(node: _Office):
    yield node
    for child in node.children:
        yield from _walk(child)


# --- reset -------------------------------------------------------------------------------------------------
SEED_MODELS = (
    ConsumerChange,
    MeterInstallation,
    Meter,
    Consumer,
    DistributionTransformer,
    Feeder,
    Substation,
    Office,
)


def reset(stdout: Callable[[str], None] | None = None) -> dict[str, int]:
    """Delete the seeded masters and everything that hangs off them, in dependency order.

    Besides the seed's own tables this removes rows of any other model that points at them (bills,
    readings, partners scoped to an office…), and every staff user with an office plus the demo
    aliases. Users without an office (e.g. a superuser made by createsuperuser) are kept.
    """
    wipe: list[type[models.Model]] = list(SEED_MODELS)
    dependents: dict[type[models.Model], list[str]] = {}
    tables = set(connection.introspection.table_names())
    changed = True
    while changed:  # the closure of models referencing anything we wipe (User is handled apart)
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in wipe or model is User or model._meta.proxy or not model._meta.managed:
                continue
            if model._meta.db_table not in tables:  # an app whose migrations have not run yet
                continue
            fks = [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model in wipe]
            if fks:
                dependents[model] = fks
                wipe.insert(0, model)
                changed = True
    deleted: dict[str, int] = {}
    for model in wipe:
        if model is Office:
            continue
        qs = model._base_manager.all()
        if model in dependents:
            cond = Q()
            for name in dependents[model]:
                cond |= Q(**{f"{name}__isnull": False})
            qs = qs.filter(cond)
        deleted[model._meta.label] = qs._raw_delete(qs.db)
    # Staff of the seeded offices, and the seed's own office-less logins ("admin" and the role aliases).
    seeded_names = ["admin", *[r.value for r in Role]]
    users = User.objects.filter(Q(office__isnull=False) | Q(username__in=seeded_names))
    try:
        deleted[User._meta.label], _ = users.delete()
    except ProtectedError as exc:
        raise SeedRefused(f"--reset cannot delete the seeded staff users: {exc.args[0]}")
    qs = Office._base_manager.all()
    deleted[Office._meta.label] = qs._raw_delete(qs.db)
    return {k: v for k, v in deleted.items() if v}


# --- the generator ------------------------------------------------------------------------------------------
class Generator:
    def __init__(self, consumers: int, seed: int = 1, chunk_size: int = 10_000, progress: bool = True):
        if consumers < 0:
            raise ValueError("consumers must be 0 or more")
        self.n = consumers
        self.seed = seed
        self.chunk_size = chunk_size
        self.progress = progress
        self.writer = Writer()
        now = clock.now()
        self.now = connection.ops.adapt_datetimefield_value(now)
        self.tables = {
            "office": Table(
                Office,
                ["id", "created_at", "updated_at", "code", "name", "name_hi", "level", "parent_id", "path"],
            ),
            "substation": Table(
                Substation,
                ["id", "created_at", "updated_at", "code", "name", "name_hi", "office_id", "capacity_mva"],
            ),
            "feeder": Table(
                Feeder,
                [
                    "id",
                    "created_at",
                    "updated_at",
                    "code",
                    "name",
                    "substation_id",
                    "office_id",
                    "feeder_type",
                ],
            ),
            "dt": Table(
                DistributionTransformer,
                [
                    "id",
                    "created_at",
                    "updated_at",
                    "code",
                    "name",
                    "feeder_id",
                    "office_id",
                    "capacity_kva",
                    "latitude",
                    "longitude",
                ],
            ),
            "consumer": Table(
                Consumer,
                [
                    "id",
                    "created_at",
                    "updated_at",
                    "account_number",
                    "name",
                    "name_hi",
                    "father_husband_name",
                    "address",
                    "village_town",
                    "district",
                    "pincode",
                    "area_type",
                    "mobile",
                    "email",
                    "category",
                    "sanctioned_load",
                    "load_unit",
                    "phase",
                    "supply_voltage",
                    "connection_date",
                    "status",
                    "security_deposit",
                    "kyc_document",
                    "kyc_number_masked",
                    "kyc_number_hash",
                    "latitude",
                    "longitude",
                    "dt_id",
                    "office_id",
                ],
            ),  # fmt: skip
            "meter": Table(
                Meter,
                [
                    "id",
                    "created_at",
                    "updated_at",
                    "serial",
                    "make",
                    "meter_type",
                    "phase",
                    "digits",
                    "has_kvah",
                    "ct_ratio",
                    "pt_ratio",
                    "office_id",
                ],
            ),
            "install": Table(
                MeterInstallation,
                [
                    "id",
                    "created_at",
                    "updated_at",
                    "consumer_id",
                    "meter_id",
                    "installed_on",
                    "initial_reading",
                    "removed_on",
                    "final_reading",
                ],
            ),
        }
        self.buffers: dict[str, list[tuple]] = {k: [] for k in self.tables}
        self.result = SeedResult(consumers=consumers, seed=seed)
        self.status = _Picker(STATUS_MIX)
        self.mix = {AreaType.URBAN: _Picker(URBAN_MIX), AreaType.RURAL: _Picker(RURAL_MIX)}
        self.loads = {c: _Picker(v) for c, v in LOADS.items()}
        self.seen_categories: set[str] = set()
        self.eras = {
            k: _Picker([((a, b), w) for w, a, b in v])
            for k, v in {
                "rural": RURAL_ERAS,
                "um": UNMETERED_ERAS,
                "urban": URBAN_ERAS,
                "agri": AGRI_ERAS,
            }.items()
        }

    # ----- entry point
    def run(self, reset_first: bool = False) -> SeedResult:
        started = time.monotonic()
        with transaction.atomic():
            if reset_first:
                self.result.deleted = reset()
            elif Consumer.objects.exists() or Office.objects.exists():
                raise SeedRefused(
                    f"The database already has {Consumer.objects.count():,} consumers and {Office.objects.count():,} offices. "
                    "Run `urja seed --reset …` to delete them (and everything that depends on them) and seed afresh."
                )
            self._plan()
            self._write_offices()
            self._write_substations()
            self._write_users()
            self._write_consumers()
            self.writer.finish(
                [Office, Substation, Feeder, DistributionTransformer, Consumer, Meter, MeterInstallation]
            )
        self.result.seconds = time.monotonic() - started
        self.result.counts = {
            "offices": self.writer.written.get(Office._meta.db_table, 0),
            "substations": self.writer.written.get(Substation._meta.db_table, 0),
            "feeders": self.writer.written.get(Feeder._meta.db_table, 0),
            "transformers": self.writer.written.get(DistributionTransformer._meta.db_table, 0),
            "consumers": self.writer.written.get(Consumer._meta.db_table, 0),
            "meters": self.writer.written.get(Meter._meta.db_table, 0),
            "staff users": self.users_written,
        }
        return self.result

    # ----- plan and small tables
    def _plan(self) -> None:
        per_discom = _apportion(self.n, [d.share for d in names.DISCOMS])
        self.discoms: list[_Office] = []
        for spec, n in zip(names.DISCOMS, per_discom, strict=True):
            self.discoms.append(_plan_discom(spec, n, random.Random(f"{self.seed}:{spec.code}")))
        next_id = self.writer.next_id(Office)
        for root in self.discoms:
            for node in _walk(root):
                node.id = next_id
                next_id += 1
                node.path = (node.parent.path if node.parent else "") + f"{node.code}/"

    def _write_offices(self) -> None:
        now = self.now
        rows = [
            (o.id, now, now, o.code, o.name, o.name_hi, o.level, o.parent.id if o.parent else None, o.path)
            for root in self.discoms
            for o in _walk(root)
        ]
        self.writer.write(self.tables["office"], rows)

    def _write_substations(self) -> None:
        """33/11 kV substations, under sub-divisions: one per ~8,000 consumers of the sub-division."""
        now = self.now
        next_id = self.writer.next_id(Substation)
        self.substations: dict[int, list[int]] = {}  # sub-division office id → substation ids
        rows = []
        for root in self.discoms:
            rng = random.Random(f"{self.seed}:{root.code}:substations")
            counter = 0
            for sd in (o for o in _walk(root) if o.level == OfficeLevel.SUBDIVISION):
                served = sum(dc.consumers for dc in sd.children)
                urban = sum(dc.consumers for dc in sd.children if dc.kind == AreaType.URBAN) * 2 > served
                ids = []
                for k in range(max(1, round(served / CONSUMERS_PER_SUBSTATION))):
                    counter += 1
                    place = sd.children[k % len(sd.children)].place
                    capacity = rng.choice(
                        ("10.00", "12.50", "16.00", "20.00") if urban else ("5.00", "8.00", "10.00")
                    )
                    rows.append(
                        (next_id, now, now, f"{root.discom.prefix}-SS{counter:04d}", f"33/11 kV Substation {place[0]}",
                         f"33/11 केवी उपकेन्द्र {place[1]}", sd.id, capacity)
                    )  # fmt: skip
                    ids.append(next_id)
                    next_id += 1
                self.substations[sd.id] = ids
        self.writer.write(self.tables["substation"], rows)

    def _write_users(self) -> None:
        """Staff at every office, at the level each role normally sits (roles.HOME_LEVEL)."""
        # Argon2 is deliberately slow: hash the demo password once and share the hash between all seeded
        # users (they all have the same password anyway). Hashing per user would take minutes.
        password = make_password(settings.URJA["DEMO_PASSWORD"])
        self.result.password = settings.URJA["DEMO_PASSWORD"]
        rng = random.Random(f"{self.seed}:staff")
        roles_at: dict[str, list[str]] = {}
        for role, level in HOME_LEVEL.items():
            if role != Role.SYSTEM_ADMIN:
                roles_at.setdefault(level, []).append(role)
        people = names.HINDU_MALE + names.HINDU_FEMALE
        surnames = names.HINDU_SURNAMES + names.MUSLIM_SURNAMES

        def user(username: str, role: str, office: _Office | None, **extra) -> User:
            first = rng.choice(people)[0]
            last = rng.choice(surnames)[0]
            return User(
                username=username,
                password=password,
                role=role,
                office_id=office.id if office else None,
                first_name=first,
                last_name=last,
                email=f"{username.replace('_', '-')}@example.com",
                is_staff=True,
                is_active=True,
                mobile=str(rng.randrange(6_000_000_000, 10_000_000_000)),
                preferred_language="hi" if rng.random() < 0.7 else "en",
                **extra,
            )

        users = [user("admin", Role.SYSTEM_ADMIN, None, is_superuser=True)]
        logins = [(Role.SYSTEM_ADMIN.value, "admin", "all offices")]
        for root in self.discoms:
            for office in _walk(root):
                for role in roles_at.get(office.level, ()):
                    if office.level == OfficeLevel.DISCOM:
                        username = f"{role}.{root.code.lower()}"
                    else:
                        username = f"{role}.{root.code.lower()}.{office.suffix()}"
                    users.append(user(username, role, office))
        # Simple aliases in the first chain of the first discom (MVVNL), so every demo login sees the
        # same consumers: "je" at its first DC, "sdo" at that DC's sub-division, and so on up.
        first_chain: dict[str, _Office] = {}
        node = self.discoms[0]
        while node is not None:
            first_chain[node.level] = node
            node = node.children[0] if node.children else None
        for role in Role:
            if role == Role.SYSTEM_ADMIN:
                continue
            office = first_chain[HOME_LEVEL[role]]
            users.append(user(role.value, role, office))
            logins.append((role.value, role.value, f"{office.code} {office.name}"))
        existing = set(
            User.objects.filter(username__in=[u.username for u in users]).values_list("username", flat=True)
        )
        self.result.skipped_users = sorted(existing)
        fresh = [u for u in users if u.username not in existing]
        User.objects.bulk_create(fresh, batch_size=1000)
        self.users_written = len(fresh)
        self.result.logins = logins

    # ----- consumers, network, meters
    def _write_consumers(self) -> None:
        self.ids = {
            "feeder": self.writer.next_id(Feeder),
            "dt": self.writer.next_id(DistributionTransformer),
            "consumer": self.writer.next_id(Consumer),
            "meter": self.writer.next_id(Meter),
            "install": self.writer.next_id(MeterInstallation),
        }
        self.meter_no = 0
        bar = None
        if self.progress:
            from tqdm import tqdm

            bar = tqdm(total=self.n, unit=" consumers", unit_scale=True, desc="seeding", smoothing=0.1)
        try:
            for root in self.discoms:
                spec = root.discom
                drng = random.Random(f"{self.seed}:{spec.code}:accounts")
                self.serial = drng.randrange(10_000_000, 30_000_000)
                self.feeder_no = 0
                self.dt_no = 0
                for dc in (o for o in _walk(root) if o.level == OfficeLevel.DC):
                    self._dc(dc)
                    if bar is not None:
                        bar.update(dc.consumers)
                    if len(self.buffers["consumer"]) >= self.chunk_size:
                        self._flush()
            self._flush()
        finally:
            if bar is not None:
                bar.close()

    def _flush(self) -> None:
        # Parents before children (the constraints are deferred anyway, but keep the order honest).
        for key in ("feeder", "dt", "consumer", "meter", "install"):
            self.writer.write(self.tables[key], self.buffers[key])
            self.buffers[key] = []

    def _dc(self, dc: _Office) -> None:
        rng = random.Random(f"{self.seed}:{dc.code}")
        spec = dc.discom
        rural = dc.kind == AreaType.RURAL
        n = dc.consumers
        pick_cat = self.mix[dc.kind]
        cats = [pick_cat(rng) for _ in range(n)]
        others = OTHER_RURAL if rural else OTHER_URBAN
        unseen = [c for c in others if c not in self.seen_categories][: n // 2]
        cats[: len(unseen)] = unseen
        self.seen_categories.update(cats)
        unindexed = [rng.random() < UNINDEXED_SHARE for _ in range(n)]
        n_agri = sum(1 for c, u in zip(cats, unindexed, strict=True) if c in AGRI and not u)
        n_main = sum(1 for c, u in zip(cats, unindexed, strict=True) if c not in AGRI and not u)

        # -- feeders and DTs
        now = self.now
        sd = dc.parent
        substations = self.substations[sd.id]
        sd_pos = sd.children.index(dc)

        def make_sizes(total: int, lo_hi: tuple[int, int]) -> list[int]:
            out = []
            while total > 0:
                s = rng.randint(*lo_hi)
                if total - s < lo_hi[0] // 2:
                    s = total
                out.append(s)
                total -= s
            return out

        main_sizes = make_sizes(n_main, DT_SIZE) or [0]  # every DC gets at least one feeder and DT
        agri_sizes = make_sizes(n_agri, AGRI_DT_SIZE)
        n_main_f = max(1, round(n_main / CONSUMERS_PER_FEEDER))
        n_agri_f = max(1, round(n_agri / TUBE_WELLS_PER_FEEDER)) if agri_sizes else 0
        feeder_ids = []
        feeder_type = "rural" if rural else "urban"
        for k in range(n_main_f + n_agri_f):
            agri = k >= n_main_f
            self.feeder_no += 1
            fid = self.ids["feeder"]
            self.ids["feeder"] += 1
            label = "Agri" if agri else ("Rural" if rural else "Urban")
            number = (k - n_main_f if agri else k) + 1
            self.buffers["feeder"].append(
                (fid, now, now, f"{spec.prefix}-F{self.feeder_no:05d}", f"11 kV {dc.place[0]} {label}-{number}",
                 substations[(sd_pos + k) % len(substations)], dc.id, "agri" if agri else feeder_type)
            )  # fmt: skip
            feeder_ids.append(fid)
        main_feeders, agri_feeders = feeder_ids[:n_main_f], feeder_ids[n_main_f:]

        # Villages (rural) or localities (urban) where the DTs stand; consumers live where their DT is.
        lat0, lon0 = dc.center
        district = dc.district
        pin_head = district.pin // 1000
        villages = []
        if rural:
            for _ in range(max(1, math.ceil(len(main_sizes) / 2))):
                base = rng.choice(names.VILLAGES)
                suffix = rng.choice(names.VILLAGE_SUFFIXES)
                villages.append(
                    (base[0] + suffix[0], base[1] + suffix[1], f"{pin_head}{rng.randint(100, 999)}",
                     lat0 + rng.uniform(-0.08, 0.08), lon0 + rng.uniform(-0.08, 0.08), [0])
                )  # fmt: skip
        localities = names.KANPUR_LOCALITIES if spec.code == "KESCO" else names.LOCALITIES
        locality_count: dict[str, int] = {}

        def add_dt(size: int, j: int, agri: bool, feeders: list[int], n_dts: int) -> tuple:
            self.dt_no += 1
            did = self.ids["dt"]
            self.ids["dt"] += 1
            if rural:
                v = villages[j % len(villages)] if agri else villages[j // 2]
                v[5][0] += 1
                where = (v[0], v[1], v[2])
                name = f"{v[0]} {'Tube Well ' if agri else ''}DT-{v[5][0]}"
                lat, lon = (
                    v[3] + rng.gauss(0, 0.004 if not agri else 0.01),
                    v[4] + rng.gauss(0, 0.004 if not agri else 0.01),
                )
                capacity = (
                    ("63.00" if size <= 8 else "100.00")
                    if agri
                    else ("25.00" if size <= 30 else "63.00" if size <= 45 else "100.00")
                )
            else:
                loc = dc.place if rng.random() < 0.5 else rng.choice(localities)
                locality_count[loc[0]] = locality_count.get(loc[0], 0) + 1
                where = (loc[0], loc[1], str(district.pin + rng.randint(0, 25)))
                name = f"{loc[0]} DT-{locality_count[loc[0]]}"
                lat, lon = lat0 + rng.gauss(0, 0.012), lon0 + rng.gauss(0, 0.012)
                capacity = "100.00" if size <= 35 else "160.00" if size <= 50 else "250.00"
            lat, lon = _clamp(lat, UP_LAT), _clamp(lon, UP_LON)
            self.buffers["dt"].append(
                (did, now, now, f"{spec.prefix}-T{self.dt_no:06d}", name, feeders[j * len(feeders) // n_dts], dc.id, capacity,
                 f"{lat:.6f}", f"{lon:.6f}")
            )  # fmt: skip
            return (did, where, lat, lon)

        main_slots: list[tuple] = []
        for j, size in enumerate(main_sizes):
            main_slots.extend([add_dt(size, j, False, main_feeders, len(main_sizes))] * size)
        agri_slots: list[tuple] = []
        for j, size in enumerate(agri_sizes):
            agri_slots.extend([add_dt(size, j, True, agri_feeders, len(agri_sizes))] * size)

        # -- consumers
        self._consumers(dc, rng, cats, unindexed, main_slots, agri_slots, villages, localities)

    def _consumers(self, dc, rng, cats, unindexed, main_slots, agri_slots, villages, localities) -> None:
        """Consumer rows, and a meter plus its installation for every metered one.

        No ConsumerChange rows are written: the history records changes made by people and services,
        and a seeded consumer has not been changed since it was created.
        """
        spec = dc.discom
        rural = dc.kind == AreaType.RURAL
        district = dc.district
        now = self.now
        rnd = rng.random
        randint = rng.randint
        choice = rng.choice
        uniform = rng.uniform
        consumers = self.buffers["consumer"]
        meters = self.buffers["meter"]
        installs = self.buffers["install"]
        loads = self.loads
        status_pick = self.status
        eras = self.eras
        make = account_number.make
        digit = spec.digit
        office_id = dc.id
        area = dc.kind
        lat0, lon0 = dc.center
        from_ordinal = dt.date.fromordinal
        main_i = agri_i = 0
        muslim_share = spec.muslim

        for cat, no_dt in zip(cats, unindexed, strict=True):
            cid = self.ids["consumer"]
            self.ids["consumer"] += 1
            acct = make(digit, self.serial)
            self.serial += 1
            agri = cat in AGRI
            # -- where
            if no_dt:
                dt_id = None
                if rural:
                    v = choice(villages)
                    where = (v[0], v[1], v[2])
                else:
                    loc = choice(localities)
                    where = (loc[0], loc[1], str(district.pin + randint(0, 25)))
                lat, lon = lat0 + uniform(-0.05, 0.05), lon0 + uniform(-0.05, 0.05)
            else:
                if agri:
                    dt_id, where, lat, lon = agri_slots[agri_i]
                    agri_i += 1
                else:
                    dt_id, where, lat, lon = main_slots[main_i]
                    main_i += 1
                lat += uniform(-0.002, 0.002)
                lon += uniform(-0.002, 0.002)
            # -- who
            muslim = rnd() < muslim_share
            firm = (cat == TC.LMV2_URBAN and rnd() < 0.4) or (cat == TC.LMV6 and rnd() < 0.75)
            if firm:
                base = (
                    choice(names.FIRM_WORDS)
                    if rnd() < 0.4
                    else choice(names.MUSLIM_SURNAMES if muslim else names.HINDU_SURNAMES)
                )
                kind = choice(names.WORKS_KINDS if cat == TC.LMV6 else names.SHOP_KINDS)
                name, name_hi, father = f"M/s {base[0]} {kind[0]}", f"मेसर्स {base[1]} {kind[1]}", ""
                first = None
            else:
                surname = choice(names.MUSLIM_SURNAMES if muslim else names.HINDU_SURNAMES)
                if rnd() < 0.22:  # women account holders; the second name is the husband's
                    first = choice(names.MUSLIM_FEMALE if muslim else names.HINDU_FEMALE)
                    husband = choice(names.MUSLIM_MALE if muslim else names.HINDU_MALE)
                    last = (
                        choice(names.MUSLIM_FEMALE_TITLES if muslim else names.HINDU_FEMALE_TITLES)
                        if rural and rnd() < 0.6
                        else surname
                    )
                    father = f"{husband[0]} {surname[0]}"
                else:
                    first = choice(names.MUSLIM_MALE if muslim else names.HINDU_MALE)
                    last = surname
                    fathers = names.MUSLIM_FATHERS if muslim else names.HINDU_FATHERS
                    father = f"{choice(fathers)[0]} {surname[0]}"
                name, name_hi = f"{first[0]} {last[0]}", f"{first[1]} {last[1]}"
            # -- address
            if rural:
                address = f"Gram {where[0]}, Post {dc.place[0]}"
                if agri:
                    address = f"Khasra No. {randint(1, 1200)}, {address}"
                village_town = where[0]
                pincode = where[2]
            else:
                if agri:
                    address = f"Khasra No. {randint(1, 600)}, {where[0]}"
                elif cat == TC.LMV6:
                    address = f"Plot No. {randint(1, 400)}, Industrial Area, {district.town}"
                elif cat == TC.LMV2_URBAN:
                    address = f"Shop No. {randint(1, 150)}, {where[0]}"
                else:
                    address = f"H.No. {randint(1, 999)}/{randint(1, 60)}, {where[0]}"
                village_town = district.town
                pincode = where[2]
            mobile = "" if rnd() < (0.15 if rural else 0.04) else str(randint(6_000_000_000, 9_999_999_999))
            email = ""
            if not rural and first is not None and rnd() < 0.12:
                email = f"{first[0].replace(' ', '').lower()}.{last[0].lower()}{randint(1, 999)}@example.com"
            # -- connection
            load = loads[cat](rng)
            if agri or cat in BHP_CATEGORIES:
                unit, phase, voltage = (
                    LoadUnit.BHP,
                    3,
                    SupplyVoltage.LT_415V,
                )  # pump motors take 3-phase supply
            elif cat in HV_CATEGORIES:
                unit, phase, voltage = LoadUnit.KVA, 3, HV_VOLTAGE[cat.split("-", 1)[1]]
            elif cat == TC.LMV6 and load >= 25:
                unit = LoadUnit.KVA
                phase = 3
                voltage = SupplyVoltage.HT_11KV if load >= 50 else SupplyVoltage.LT_415V
            else:
                unit = LoadUnit.KW
                phase = 3 if load > 5 else 1
                voltage = SupplyVoltage.LT_415V if phase == 3 else SupplyVoltage.LT_230V
            era = "um" if cat in UNMETERED else "agri" if agri else "rural" if rural else "urban"
            lo, hi = eras[era](rng)
            conn = randint(lo, hi)
            status = status_pick(rng)
            deposit = DEPOSIT_PER_UNIT.get(cat, 500) * load
            # KYC: only the masked number is stored (no hash for synthetic data).
            if rnd() < (0.85 if conn >= 734503 else 0.45):  # 734503 = 2012-01-01
                kyc_doc, kyc = KycDocument.AADHAAR, f"XXXX-XXXX-{randint(0, 9999):04d}"
            elif rnd() < 0.3:
                kyc_doc, kyc = KycDocument.VOTER_ID, f"XXXXXX{randint(0, 9999):04d}"
            else:
                kyc_doc, kyc = "", ""
            consumers.append(
                (cid, now, now, acct, name, name_hi, father, address, village_town, district.name, pincode, area, mobile,
                 email, cat, f"{load:.2f}", unit, phase, voltage, from_ordinal(conn).isoformat(), status, f"{deposit:.2f}",
                 kyc_doc, kyc, "", f"{_clamp(lat, UP_LAT):.6f}", f"{_clamp(lon, UP_LON):.6f}", dt_id, office_id)
            )  # fmt: skip
            # -- meter (none for unmetered categories)
            if cat in UNMETERED:
                continue
            x = rnd()
            installed = conn
            if not rural and x < 0.20:
                mtype = MeterType.PREPAID if x < 0.12 else MeterType.SMART
            elif rural and x < 0.03:
                mtype = MeterType.SMART
            elif conn < (_d(2005, 4, 1) if rural else _d(2000, 4, 1)) and rnd() < (0.5 if rural else 0.15):
                mtype = MeterType.ELECTROMECHANICAL
            else:
                mtype = MeterType.STATIC
            if mtype in (MeterType.SMART, MeterType.PREPAID):
                installed = max(conn, randint(SMART_ROLLOUT, _END))
            elif mtype == MeterType.STATIC and conn < STATIC_ERA:
                installed = randint(STATIC_ERA, _END)  # old electromechanical meter replaced by a static one
            initial = "0.00" if installed == conn else f"{randint(0, 30)}.00"
            makes = names.EM_METER_MAKES if mtype == MeterType.ELECTROMECHANICAL else names.METER_MAKES
            make_name, prefix = choice(makes)
            self.meter_no += 1
            mid = self.ids["meter"]
            self.ids["meter"] += 1
            kvah = (cat in (TC.LMV6, TC.LMV2_URBAN) and load >= 10) or cat in HV_CATEGORIES
            if cat in HV_CATEGORIES or voltage == SupplyVoltage.HT_11KV:
                ct, pt = "2.00", "100.00"
            elif cat == TC.LMV6 and load >= 25:
                ct, pt = "20.00", "1.00"
            else:
                ct, pt = "1.00", "1.00"
            meters.append(
                (mid, now, now, f"{prefix}{self.meter_no:08d}", make_name, mtype, phase,
                 5 if mtype == MeterType.ELECTROMECHANICAL else 6, kvah, ct, pt, office_id)
            )  # fmt: skip
            iid = self.ids["install"]
            self.ids["install"] += 1
            installs.append(
                (iid, now, now, cid, mid, from_ordinal(installed).isoformat(), initial, None, None)
            )


def seed(
    consumers: int, seed: int = 1, reset_first: bool = False, chunk_size: int = 10_000, progress: bool = True
) -> SeedResult:
    """Generate and write a synthetic utility; see the module docstring."""
    return Generator(consumers, seed=seed, chunk_size=chunk_size, progress=progress).run(
        reset_first=reset_first
    )
