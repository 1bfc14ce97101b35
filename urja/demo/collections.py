"""Demo collections: payments for every bill cycle of the demo utility (`urja demo`).

Each issued bill is paid in full before its due date with probability 0.55, half of it late with
0.12, and not at all otherwise (collection is weak in rural UP), through a BBPS partner, the online
gateway or a bank transfer. Every payment goes through `payment_post`, exactly as a real one would,
so receipts, allocation and the ledger are the real thing. Deterministic for a given seed."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from urja.api.models import Partner
from urja.api.services import partner_create
from urja.billing.choices import BillStatus
from urja.billing.models import Bill
from urja.common import clock
from urja.ledger.selectors import balances
from urja.payments.choices import Channel
from urja.payments.models import Payment
from urja.payments.services import paid_at_max_age_days, payment_max, payment_post

CYCLES_PAID = 3
CHANNELS = ((Channel.PARTNER, 0.5), (Channel.ONLINE, 0.3), (Channel.BANK, 0.2))


def _channel(rng: random.Random) -> str:
    draw, total = rng.random(), 0.0
    for channel, weight in CHANNELS:
        total += weight
        if draw < total:
            return channel
    return CHANNELS[-1][0]


def demo_counters() -> int:
    """One collection counter at every sub-division office, so the demo cashier can open a day."""
    from urja.org.choices import OfficeLevel
    from urja.org.models import Office
    from urja.payments.models import Counter

    made = 0
    for office in Office.objects.filter(level=OfficeLevel.SUBDIVISION).order_by("code"):
        _counter, created = Counter.objects.get_or_create(
            code=f"{office.code}-C1"[:20],
            defaults={"name": f"Cash counter 1, {office.name}"[:80], "office": office},
        )
        made += created
    return made


def _demo_partner_sources():
    partner = (
        Partner.objects.filter(name="BBPS Demo Agent").first() or partner_create(name="BBPS Demo Agent")[0]
    )
    sources = {
        Channel.PARTNER: f"partner:{partner.pk}",
        Channel.ONLINE: "gateway:sandbox",
        Channel.BANK: "bank:SBI",
    }
    return partner, sources


def history_window(age: datetime.timedelta):
    """A context in which `payment_post` accepts payments dated up to `age` (plus a cycle) ago: the demo
    records its months of history the way a utility adopting Urja would load its past collections.
    Only the demo's history uses it; a real posting keeps the configured window."""
    from django.test.utils import override_settings

    days = max(paid_at_max_age_days(), age.days + 62)
    return override_settings(URJA_PAYMENTS={**settings.URJA_PAYMENTS, "PAID_AT_MAX_AGE_DAYS": days})


def pay_period(period: str, *, seed: int = 20260401) -> int:
    """Pay the issued bills of `period` as the demo's consumers would. Returns the payments made."""
    partner, sources = _demo_partner_sources()
    today = clock.today()
    # payment_post refuses a new payment older than the configured window; the demo's history keeps
    # within it (three cycles fit 90 days) and leaves out what a shorter window would refuse.
    earliest = today - datetime.timedelta(days=paid_at_max_age_days())
    count = 0
    bills = (
        Bill.objects.filter(period=period, status=BillStatus.ISSUED, payable__gt=0)
        .select_related("consumer")
        .order_by("id")
    )
    # One bill per account per period: what each account owes before this period's payments, in one
    # query (not one per bill).
    owed = balances(bills.values_list("consumer_id", flat=True))
    with transaction.atomic():
        for bill in bills.iterator(chunk_size=1000):
            rng = random.Random(seed * 7919 + bill.id)
            draw = rng.random()
            if bill.consumer.category.startswith("HV"):
                draw *= 0.5  # HV (industry, bulk, traction) accounts mostly pay on time
            if draw < 0.55:
                amount, day = bill.payable, bill.issue_date + datetime.timedelta(days=rng.randint(1, 14))
            elif draw < 0.67:
                amount = (bill.payable / 2).quantize(Decimal("1"))
                day = bill.due_date + datetime.timedelta(days=rng.randint(3, 25))
            else:
                continue
            # Never more than is owed now: an earlier late payment may already have cleared the arrears
            # this bill showed (an HV account's lakhs would otherwise become an advance over the limit).
            amount = min(amount, owed[bill.consumer_id])
            if amount <= 0 or day >= today or day < earliest:
                continue
            channel = _channel(rng)
            # One payment is bounded per channel (an HV account's lakhs by bank transfer): pay up to it.
            amount = min(amount, payment_max(channel))
            paid_at = datetime.datetime.combine(
                day, datetime.time(rng.randint(9, 19), rng.randint(0, 59)), tzinfo=clock.IST
            )
            payment_post(
                consumer=bill.consumer,
                amount=amount,
                channel=channel,
                source=sources[channel],
                reference=f"DEMO{bill.bill_number}",
                paid_at=paid_at,
                partner=partner if channel == Channel.PARTNER else None,
            )
            count += 1
    return count


def collections_after_run(period: str, *, pay: bool, seed: int = 20260401) -> tuple[int, int]:
    """What happens to a cycle's bills before the next one: some are paid (when `pay`), and ten days
    after the due date late payment surcharge is charged on what is overdue. Payments and surcharge
    are dated before the next bill's issue, so the next bill shows them as arrears and LPSC."""
    from urja.arrears.lpsc import lpsc_apply

    paid = pay_period(period, seed=seed) if pay else 0
    due = Bill.objects.filter(period=period).values_list("due_date", flat=True).first()
    charged = 0
    if due is not None and due + datetime.timedelta(days=10) < clock.today():
        charged = lpsc_apply(on=due + datetime.timedelta(days=10)).charged
    return paid, charged


def demo_settlement_sources() -> int:
    """The demo's bank (bank:SBI) and sandbox gateway registered as settlement sources for every
    discom, so a demo supervisor can upload a file (codes SBI-<discom>, SANDBOX-<discom>)."""
    from urja.org.choices import OfficeLevel
    from urja.org.models import Office
    from urja.payments.choices import SettlementSourceKind
    from urja.payments.models import SettlementSource

    made = 0
    for discom in Office.objects.filter(level=OfficeLevel.DISCOM).order_by("code"):
        for kind, namespace, code, name in (
            (SettlementSourceKind.BANK, "SBI", "SBI", "State Bank of India collections"),
            (SettlementSourceKind.GATEWAY, "sandbox", "SANDBOX", "Sandbox gateway settlements"),
        ):
            _source, created = SettlementSource.objects.get_or_create(
                code=f"{code}-{discom.code}"[:30],
                defaults={
                    "name": f"{name}, {discom.code}"[:80],
                    "kind": kind,
                    "namespace": namespace,
                    "office": discom,
                },
            )
            made += created
    return made


def demo_payments(command=None, seed: int = 20260401) -> None:
    """Counters for the cashiers; the payments themselves are made month by month by the billing demo
    (`collections_after_run`). A database billed before that existed gets the last cycles paid here."""
    out = command.stdout.write if command is not None else print
    demo_counters()
    demo_settlement_sources()
    if Payment.objects.exists():
        out(f"Payments present ({Payment.objects.count():,}): reusing them.")
        return
    periods = sorted(set(Bill.objects.values_list("period", flat=True)))[-CYCLES_PAID:]
    count = sum(pay_period(period, seed=seed) for period in periods)
    if periods:
        out(f"Recorded {count:,} demo payments for {periods[0]} to {periods[-1]} (BBPS, online, bank).")
