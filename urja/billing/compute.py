"""Computing bills for many accounts at once: inputs gathered in bulk (a handful of queries per batch,
none per account), the pure engine applied to each, results returned as unsaved Bill objects.
Nothing here writes; `services` owns transactions."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from urja.common.db import MoneySum
from urja.customers.models import Consumer
from urja.domain import determinants
from urja.domain import engine as eng
from urja.domain.money import round_payable
from urja.domain.rules import period_months, units_per_month
from urja.domain.tariff import LoadUnit, TariffVersion
from urja.ledger import descriptions
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import describe
from urja.ledger.models import LedgerEntry
from urja.metering.selectors import monthly_history, readings_for_period

from .choices import BillBasis, BillStatus
from .models import Bill, BillCycle

ZERO = Decimal("0.00")
ACTUAL_BASES = {BillBasis.MU, BillBasis.MIN}
PROVISIONAL_BASES = {BillBasis.PROV}


@dataclass
class BillHistory:
    actual_monthly_units: list[Decimal]
    provisional_in_row: int
    provisional_in_fy: int
    provisional_units_pending: Decimal
    has_previous_bill: bool
    last_bill_issue_date: datetime.date | None


def financial_year_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def bill_number(period: str, account_number: str, revision: int = 0) -> str:
    """`YYMM` + account number (+ `R<n>` for the n-th revision): unique, readable, and stable under retry."""
    base = f"{period[2:4]}{period[5:7]}{account_number}"
    return f"{base}R{revision}" if revision else base


def _history(consumer_ids: list[int], cycle: BillCycle) -> dict[int, BillHistory]:
    rows = (
        Bill.objects.filter(consumer_id__in=consumer_ids, period__lt=cycle.code)
        .exclude(status=BillStatus.CANCELLED)
        .order_by("consumer_id", "period")
        .values_list("consumer_id", "period", "period_start", "period_end", "basis", "units", "issue_date")
    )
    per: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        per[row[0]].append(row)
    fy_start = financial_year_start(cycle.period_start)
    result = {}
    for cid in consumer_ids:
        bills = per.get(cid, [])[-24:]
        actual = [
            units_per_month(units, m)
            for _, _, start, end, basis, units, _ in bills
            if basis in ACTUAL_BASES and units is not None and (m := period_months(start, end)) > 0
        ]
        in_row, pending = 0, ZERO
        for _, _, _, _, basis, units, _ in reversed(bills):
            if basis not in PROVISIONAL_BASES and basis != BillBasis.ASS:
                break
            in_row += 1
            pending += units or ZERO
        in_fy = sum(1 for b in bills if b[4] in PROVISIONAL_BASES and b[2] >= fy_start)
        result[cid] = BillHistory(
            actual_monthly_units=actual[-3:],
            provisional_in_row=in_row,
            provisional_in_fy=in_fy,
            provisional_units_pending=pending,
            has_previous_bill=bool(bills),
            last_bill_issue_date=bills[-1][6] if bills else None,
        )
    return result


def _dues(
    consumer_ids: list[int], history: dict[int, BillHistory], as_of: datetime.date
) -> dict[int, tuple[Decimal, Decimal]]:
    """(arrears, surcharge since the last bill) per account, from the ledger."""
    balances = dict.fromkeys(consumer_ids, ZERO)
    for row in (
        LedgerEntry.objects.filter(consumer_id__in=consumer_ids, entry_date__lte=as_of)
        .values("consumer_id")
        .annotate(total=MoneySum("amount"))
        .order_by()
    ):
        balances[row["consumer_id"]] = row["total"]
    lpsc: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for cid, amount, day in LedgerEntry.objects.filter(
        consumer_id__in=consumer_ids, entry_type=EntryType.LPSC, entry_date__lte=as_of
    ).values_list("consumer_id", "amount", "entry_date"):
        last = history[cid].last_bill_issue_date
        if last is None or day > last:
            lpsc[cid] += amount
    return {cid: (balances[cid] - lpsc[cid], lpsc[cid]) for cid in consumer_ids}


def _normative(consumer: Consumer) -> Decimal:
    per_load = Decimal(settings.URJA_BILLING["NORMATIVE_UNITS_PER_LOAD"].get(consumer.category, "0"))
    return per_load * consumer.sanctioned_load


def bill_input(
    consumer: Consumer,
    *,
    tariffs: list[TariffVersion],
    period_start: datetime.date,
    period_end: datetime.date,
    sanctioned_load: Decimal,
    load_unit: str,
    units: Decimal | None,
    kvah: Decimal | None,
    basis: str,
    na_penalty: bool,
    fppas: tuple[tuple[str, Decimal], ...],
    arrears: Decimal,
    true_up_units: Decimal,
    lpsc: Decimal,
) -> eng.BillInput:
    """The engine's input for one bill of `consumer`: the one place a bill run, a review correction and
    a revision turn an account into a `BillInput` (category and phase from the account; a lifeline
    account over its limits falls back to the domestic tariff of its area)."""
    return eng.BillInput(
        tariffs=tariffs,
        category=consumer.category,
        sanctioned_load=sanctioned_load,
        load_unit=LoadUnit(load_unit),
        period_start=period_start,
        period_end=period_end,
        units=units,
        kvah=kvah,
        basis=eng.BillBasis(basis),
        phase=consumer.phase,
        na_penalty=na_penalty,
        fppas=fppas,
        arrears=arrears,
        has_arrears=arrears > 0,
        true_up_units=true_up_units,
        lpsc=lpsc,
        fallback_category="LMV1-URBAN" if consumer.area_type == "urban" else "LMV1-RURAL",
    )


def compute_bills(
    consumers: list[Consumer],
    cycle: BillCycle,
    tariffs: list[TariffVersion],
    fppas: tuple[tuple[str, Decimal], ...],
) -> list[Bill]:
    """Unsaved bills for `consumers` for `cycle`: HELD when an exception rule fires or the engine
    refuses the input (with the reason), otherwise ISSUED."""
    ids = [c.id for c in consumers]
    # readings_for_period counts readings in (start, end]; a cycle is the whole calendar month, both
    # ends inclusive, so a reading dated on its first day belongs to it.
    readings = readings_for_period(ids, cycle.period_start - datetime.timedelta(days=1), cycle.period_end)
    history = _history(ids, cycle)
    legacy = monthly_history(
        [cid for cid in ids if not history[cid].has_previous_bill],
        months=4,
        until=cycle.period_start - datetime.timedelta(days=1),
    )
    dues = _dues(ids, history, cycle.issue_date)
    months = period_months(cycle.period_start, cycle.period_end)
    new_since = cycle.period_start - datetime.timedelta(days=settings.URJA_BILLING["NEW_CONNECTION_DAYS"])
    lpsc_percent = Decimal(settings.URJA_BILLING["LPSC_PERCENT_FIRST_MONTHS"])
    bills = []
    for consumer in consumers:
        past = history[consumer.id]
        actual = past.actual_monthly_units
        if not past.has_previous_bill:
            actual = [units for _, _, units in legacy.get(consumer.id, []) if units is not None][-3:]
        reading = readings.get(consumer.id)
        facts = determinants.AccountFacts(
            metered=consumer.is_metered,
            months=months,
            reading_status=reading.status if reading and reading.closing_reading_id else None,
            units=reading.units_kwh if reading else None,
            kvah=reading.units_kvah if reading else None,
            actual_monthly_units=actual,
            provisional_in_row=past.provisional_in_row,
            provisional_in_fy=past.provisional_in_fy,
            provisional_units_pending=past.provisional_units_pending,
            new_connection=not past.has_previous_bill and consumer.connection_date >= new_since,
            normative_units_per_month=_normative(consumer),
        )
        decision = determinants.determine(facts)
        arrears, lpsc = dues[consumer.id]
        bill = Bill(
            consumer=consumer,
            period=cycle.code,
            period_start=cycle.period_start,
            period_end=cycle.period_end,
            bill_number=bill_number(cycle.code, consumer.account_number),
            basis=decision.basis.value,
            category=consumer.category,
            sanctioned_load=consumer.sanctioned_load,
            load_unit=consumer.load_unit,
            units=decision.units,
            kvah=decision.kvah,
            true_up_units=decision.true_up_units,
            reading_status=(reading.status if reading else "") or "",
            closing_reading_id=reading.closing_reading_id if reading else None,
            flag_assessment=decision.flag_assessment,
            issue_date=cycle.issue_date,
            due_date=cycle.due_date,
            arrears=arrears,
            lpsc=lpsc,
        )
        holds = list(decision.holds)
        notes = [decision.note] if decision.note else []
        try:
            result = eng.compute_bill(
                bill_input(
                    consumer,
                    tariffs=tariffs,
                    period_start=cycle.period_start,
                    period_end=cycle.period_end,
                    sanctioned_load=consumer.sanctioned_load,
                    load_unit=consumer.load_unit,
                    units=decision.units,
                    kvah=decision.kvah,
                    basis=decision.basis.value,
                    na_penalty=decision.na_penalty,
                    fppas=fppas,
                    arrears=arrears,
                    true_up_units=decision.true_up_units,
                    lpsc=lpsc,
                )
            )
        except (ValueError, ArithmeticError) as exc:
            holds.append(determinants.Hold.ERROR)
            notes.append(str(exc))
            bill.status = BillStatus.HELD
            bill.hold_reasons = ",".join(holds)
            bill.notes = notes
            bill.payable = bill.payable_after_due = round_payable(arrears + lpsc)
            bill.current_charges = ZERO
            bills.append(bill)
            continue
        apply_result(bill, result, lpsc_percent)
        bill.notes = notes + list(result.notes)
        bill.status = BillStatus.HELD if holds else BillStatus.ISSUED
        bill.hold_reasons = ",".join(holds)
        bills.append(bill)
    return bills


def apply_result(bill: Bill, result: eng.BillResult, lpsc_percent: Decimal) -> None:
    """Copy an engine result onto a bill."""
    bill.basis = result.basis.value
    bill.category = result.category
    for name in (
        "energy_charge", "fixed_charge", "min_charge_topup", "true_up", "electricity_duty", "fppas",
        "rebate", "subsidy", "penalty", "lpsc", "arrears", "round_off", "payable",
    ):  # fmt: skip
        setattr(bill, name, getattr(result, name))
    bill.current_charges = result.payable - result.arrears - result.lpsc
    # One month's surcharge on what is payable, less this bill's LPSC line: no surcharge on surcharge.
    surcharge = max(result.payable - result.lpsc, ZERO) * lpsc_percent / 100
    bill.payable_after_due = round_payable(result.payable + surcharge)
    bill.lines = [line.to_dict() for line in result.lines]
    bill.units = result.billed_quantity if result.billed_unit == "kWh" else bill.units
    bill.kvah = result.billed_quantity if result.billed_unit == "kVAh" else bill.kvah


def ledger_entries_for(bill: Bill) -> list[LedgerEntry]:
    """The entries an issued bill posts: its charges (gross of subsidy) and the government's subsidy
    as a credit. Arrears and surcharge are already in the ledger and are not posted again."""
    gross = bill.current_charges - bill.subsidy  # subsidy is negative or zero
    common = {
        "consumer_id": bill.consumer_id,
        "entry_date": bill.issue_date,
        "period": bill.period,
        "source_type": "bill",
        "source_id": bill.pk,
    }
    entries = []
    if gross > 0:
        entries.append(
            LedgerEntry(
                entry_type=EntryType.BILL,
                amount=gross,
                due_date=bill.due_date,
                **describe(descriptions.BILL, bill=bill.bill_number),
                **common,
            )
        )
    elif gross < 0:
        entries.append(
            LedgerEntry(
                entry_type=EntryType.ADJUSTMENT,
                amount=gross,
                **describe(descriptions.BILL_CREDIT, bill=bill.bill_number),
                **common,
            )
        )
    if bill.subsidy < 0:
        entries.append(
            LedgerEntry(
                entry_type=EntryType.SUBSIDY,
                amount=bill.subsidy,
                **describe(descriptions.BILL_SUBSIDY, bill=bill.bill_number),
                **common,
            )
        )
    return entries
