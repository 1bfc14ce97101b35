import datetime
from decimal import Decimal as D

import pytest

from urja.billing.models import Bill
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.org.choices import OfficeLevel
from urja.testing import ConsumerFactory, FeederFactory, TransformerFactory, office_chain


def make_bill(consumer, period, *, units, charges, subsidy="0", status="issued", basis="MU") -> Bill:
    """An issued bill posted to the ledger the way billing posts it: gross debit, subsidy credit."""
    year, month = int(period[:4]), int(period[5:])
    issue = datetime.date(year, month, 28)
    bill = Bill.objects.create(
        consumer=consumer, period=period, period_start=datetime.date(year, month, 1), period_end=issue,
        bill_number=f"{period[2:4]}{period[5:]}{consumer.account_number}", status=status, basis=basis,
        category=consumer.category, sanctioned_load=consumer.sanctioned_load, load_unit=consumer.load_unit,
        units=D(units), reading_status="OK", energy_charge=D(charges), fixed_charge=D("0"),
        subsidy=-D(subsidy), current_charges=D(charges) - D(subsidy), payable=D(charges) - D(subsidy),
        payable_after_due=D(charges), lines=[], issue_date=issue, due_date=issue + datetime.timedelta(days=15),
    )  # fmt: skip
    if status == "issued":
        ledger.entry_post(
            consumer=consumer, entry_type=EntryType.BILL, amount=D(charges), entry_date=issue,
            due_date=bill.due_date, period=period, description="bill", source_type="bill", source_id=bill.pk,
        )  # fmt: skip
        if D(subsidy):
            ledger.entry_post(
                consumer=consumer, entry_type=EntryType.SUBSIDY, amount=-D(subsidy), entry_date=issue,
                period=period, description="subsidy", source_type="bill", source_id=bill.pk,
            )  # fmt: skip
    return bill


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
