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
