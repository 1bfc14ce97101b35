import datetime
from decimal import Decimal as D

import pytest

from urja.billing.models import Bill
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.org.choices import OfficeLevel
from urja.testing import ConsumerFactory, FeederFactory, TransformerFactory, office_chain, posted_bill


def make_bill(consumer, period, *, units, charges, subsidy="0", status="issued", basis="MU") -> Bill:
    """An issued bill posted to the ledger the way billing posts it (``urja.testing.posted_bill``)."""
    return posted_bill(
        consumer, period, units=units, charges=charges, subsidy=subsidy, status=status, basis=basis
    )


def pay(consumer, amount, day: datetime.date):
    return ledger.entry_post(
        consumer=consumer,
        entry_type=EntryType.PAYMENT,
        amount=-D(amount),
        entry_date=day,
        description="payment",
    )


@pytest.fixture
def network(db):
    """Two sub-divisions of one division. SDA has feeder FA (DTs A1, A2); SDB has feeder FB (DT B1)."""
    chain = office_chain("EA", down_to=OfficeLevel.SUBDIVISION)
    division = chain[OfficeLevel.DIVISION]
    sda = chain[OfficeLevel.SUBDIVISION]
    sdb = office_chain("EB", parent=division, down_to=OfficeLevel.SUBDIVISION)[OfficeLevel.SUBDIVISION]
    fa = FeederFactory(code="FA", office=sda)
    fb = FeederFactory(code="FB", office=sdb)
    a1 = TransformerFactory(code="A1", feeder=fa, office=sda)
    a2 = TransformerFactory(code="A2", feeder=fa, office=sda)
    b1 = TransformerFactory(code="B1", feeder=fb, office=sdb)
    return {"division": division, "sda": sda, "sdb": sdb, "fa": fa, "fb": fb, "a1": a1, "a2": a2, "b1": b1}


@pytest.fixture
def consumers(network):
    return {
        "a1": ConsumerFactory(office=network["sda"], dt=network["a1"]),
        "a2": ConsumerFactory(office=network["sda"], dt=network["a2"]),
        "b1": ConsumerFactory(office=network["sdb"], dt=network["b1"]),
        "loose": ConsumerFactory(office=network["sda"], dt=None),
    }
