"""Factories shared by every app's tests (factory_boy). Build data the way the services would."""

import datetime
import itertools
from decimal import Decimal

import factory

from urja.customers.choices import AreaType, TariffCategory
from urja.customers.models import Consumer
from urja.domain import account_number as acct
from urja.network.models import DistributionTransformer, Feeder, Substation
from urja.org.choices import LEVEL_ORDER, OfficeLevel, Role
from urja.org.models import Office, User

_serial = itertools.count(1)
TEST_PASSWORD = "correct-horse-battery"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"OF{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Office {o.code}")
    level = OfficeLevel.DISCOM
    parent = None


def office_chain(
    prefix: str, parent: Office | None = None, down_to: str = OfficeLevel.DC
) -> dict[str, Office]:
    """A chain discom › zone › … › `down_to`, codes `<prefix>-<LEVEL>`; returns {level: office}."""
    chain: dict[str, Office] = {}
    start = LEVEL_ORDER.index(parent.level) + 1 if parent else 0
    current = parent
    for level in LEVEL_ORDER[start : LEVEL_ORDER.index(down_to) + 1]:
        current = OfficeFactory(code=f"{prefix}-{level[:3].upper()}", level=level, parent=current)
        chain[level] = current
    return chain


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.JE
    is_staff = True
    preferred_language = "en"
    password = factory.django.Password(TEST_PASSWORD)


class SubstationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Substation

    code = factory.Sequence(lambda n: f"SS{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Substation {o.code}")
    office = factory.SubFactory(OfficeFactory)


class FeederFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feeder

    code = factory.Sequence(lambda n: f"FD{n:05d}")
    name = factory.LazyAttribute(lambda o: f"Feeder {o.code}")
    substation = factory.SubFactory(SubstationFactory, office=factory.SelfAttribute("..office"))
    office = factory.SubFactory(OfficeFactory)


class TransformerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributionTransformer

    code = factory.Sequence(lambda n: f"DT{n:06d}")
    name = factory.LazyAttribute(lambda o: f"DT {o.code}")
    feeder = factory.SubFactory(FeederFactory, office=factory.SelfAttribute("..office"))
    office = factory.SubFactory(OfficeFactory)


def next_account_number(discom_digit: int = 1) -> str:
    return acct.make(discom_digit, 90_000_000 + next(_serial))


class ConsumerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consumer

    account_number = factory.LazyFunction(next_account_number)
    name = factory.Sequence(lambda n: f"Consumer {n}")
    father_husband_name = "Ram Prasad"
    address = "House 12, Main Road"
    village_town = "Mohanlalganj"
    district = "Lucknow"
    area_type = AreaType.URBAN
    mobile = factory.Sequence(lambda n: f"98{n:08d}"[-10:])
    category = TariffCategory.LMV1_URBAN
    sanctioned_load = Decimal("2.00")
    connection_date = datetime.date(2015, 4, 1)
    office = factory.SubFactory(OfficeFactory)


def run_concurrently(n: int, fn, *, timeout: float = 30):
    """Call fn(0..n-1) from n threads released together by a barrier; returns each result, or the
    exception a call raised. Each thread closes its own database connection (for PostgreSQL tests
    with `django_db(transaction=True)`)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=timeout)
            return fn(i)
        except Exception as exc:  # noqa: BLE001 - the caller inspects what each thread got
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def form_fields(html: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    """What a browser would post from the page's form (the first one, or the one with `form_id`):
    every named input, select and textarea with its current value, checkboxes only when ticked. Lets an
    admin test start from the page as served and change one field, as a crafted request would."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data: dict[str, list[str]] = {}
            self.in_form = False
            self.done = False
            self.select: str | None = None
            self.multiple = False
            self.first_option: str | None = None
            self.textarea: str | None = None

        def add(self, name, value):
            self.data.setdefault(name, []).append(value)

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form" and not self.done and (form_id is None or a.get("id") == form_id):
                self.in_form = True
            if not self.in_form or not a.get("name") and tag not in {"option"}:
                return
            if tag == "input":
                kind = (a.get("type") or "text").lower()
                if kind in {"submit", "button", "image", "reset", "file"}:
                    return
                if kind in {"checkbox", "radio"} and "checked" not in a:
                    return
                self.add(a["name"], a.get("value", "on" if kind == "checkbox" else ""))
            elif tag == "select":
                self.select, self.multiple, self.first_option = a["name"], "multiple" in a, None
                self.data.setdefault(self.select, [])
            elif tag == "option" and self.select:
                if self.first_option is None:
                    self.first_option = a.get("value", "")
                if "selected" in a:
                    self.add(self.select, a.get("value", ""))
            elif tag == "textarea":
                self.textarea = a["name"]
                self.add(self.textarea, "")

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea][-1] += data

        def handle_endtag(self, tag):
            if tag == "select" and self.select:
                # A single select with nothing marked posts its first option, as a browser does.
                if not self.multiple and not self.data[self.select] and self.first_option is not None:
                    self.add(self.select, self.first_option)
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form" and self.in_form:
                self.in_form, self.done = False, True

    parser = Parser()
    parser.feed(html)
    result: dict[str, str | list[str]] = {}
    for name, values in parser.data.items():
        # A browser drops the one newline Django writes after <textarea>.
        values = [v[1:] if v.startswith("\n") else v for v in values]
        result[name] = values[0] if len(values) == 1 else values
    return result


def posted_bill(
    consumer,
    period: str,
    *,
    units,
    charges,
    subsidy="0",
    status: str = "issued",
    basis: str = "MU",
    reading_status: str = "OK",
    closing_reading=None,
    post: bool = True,
    number_suffix: str = "",
):
    """A bill of `period` (issued on its 28th, due 15 days later) for the reports' and the energy
    audit's tests, posted to the ledger the way billing posts an issued one: its gross charges as a
    debit and its subsidy as a credit (`post` False: the bill row only). `units` None: a flat-rate bill."""
    from urja.billing.models import Bill
    from urja.ledger import services as ledger
    from urja.ledger.choices import EntryType

    year, month = int(period[:4]), int(period[5:])
    issue = datetime.date(year, month, 28)
    charges, subsidy = Decimal(charges), Decimal(subsidy)
    bill = Bill.objects.create(
        consumer=consumer, period=period, period_start=datetime.date(year, month, 1), period_end=issue,
        bill_number=f"{period[2:4]}{period[5:]}{consumer.account_number}{number_suffix}", status=status,
        basis=basis, category=consumer.category, sanctioned_load=consumer.sanctioned_load,
        load_unit=consumer.load_unit, units=None if units is None else Decimal(units),
        reading_status=reading_status, energy_charge=charges, fixed_charge=Decimal("0"), subsidy=-subsidy,
        current_charges=charges - subsidy, payable=charges - subsidy, payable_after_due=charges, lines=[],
        issue_date=issue, due_date=issue + datetime.timedelta(days=15),
        closing_reading_id=closing_reading.pk if closing_reading else None,
    )  # fmt: skip
    if post and status == "issued":
        ledger.entry_post(
            consumer=consumer, entry_type=EntryType.BILL, amount=charges, entry_date=issue,
            due_date=bill.due_date, period=period, description="bill", source_type="bill", source_id=bill.pk,
        )  # fmt: skip
        if subsidy:
            ledger.entry_post(
                consumer=consumer, entry_type=EntryType.SUBSIDY, amount=-subsidy, entry_date=issue,
                period=period, description="subsidy", source_type="bill", source_id=bill.pk,
            )  # fmt: skip
    return bill


def random_ledger(
    rng, consumer, *, start: datetime.date, periods: list[str], until: datetime.date | None = None
):
    """Up to 25 random ledger entries of `consumer` from `start` (no later than `until`, if given): bills,
    surcharge, openings and adjustments as debits, payments, subsidy and adjustments as credits, and ~12%
    reversals of an entry still standing; some amounts repeat and some debits fall due on their own day
    (ties in the settling order). For the tests that hold the condensed ledger to the whole one."""
    from urja.ledger.choices import EntryType
    from urja.ledger.models import LedgerEntry

    debits = [EntryType.BILL, EntryType.BILL, EntryType.LPSC, EntryType.OPENING, EntryType.ADJUSTMENT]
    credits = [EntryType.PAYMENT, EntryType.PAYMENT, EntryType.SUBSIDY, EntryType.ADJUSTMENT]
    day, posted = start, []
    for _ in range(rng.randint(0, 25)):
        day += datetime.timedelta(days=rng.randint(0, 12))
        if until is not None:
            day = min(day, until)
        reversed_ids = {e.reverses_id for e in posted}
        standing = [e for e in posted if e.entry_type != EntryType.REVERSAL and e.pk not in reversed_ids]
        if standing and rng.random() < 0.12:
            target = rng.choice(standing)
            entry = LedgerEntry(
                consumer=consumer, entry_type=EntryType.REVERSAL, amount=-target.amount, entry_date=day,
                period=target.period, reverses=target, description="reversal",
            )  # fmt: skip
        else:
            debit = rng.random() < 0.55
            paise = rng.choice([rng.randint(1, 300_00), 100_00, 50_00])
            entry = LedgerEntry(
                consumer=consumer,
                entry_type=rng.choice(debits if debit else credits),
                amount=Decimal(paise if debit else -paise) / 100,
                entry_date=day,
                due_date=rng.choice([None, day, day + datetime.timedelta(days=15)]) if debit else None,
                period=rng.choice(periods),
                description="entry",
            )
        entry.save()
        posted.append(entry)
