"""Computing bills for many accounts at once: inputs gathered in bulk (a handful of queries per batch,
none per account), the pure engine applied to each, results returned as unsaved Bill objects.
Nothing here writes; `services` owns transactions."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from urja.customers.choices import ConsumerStatus
from urja.customers.models import ConnectionChange, Consumer
from urja.domain import determinants, late_bill, solar
from urja.domain import engine as eng
from urja.domain.allocation import PRINCIPAL, LedgerRow, due_order, dues_from_entries
from urja.domain.inputs import is_ascii_digits
from urja.domain.lpsc import LpscRates, surcharge_if_paid_late
from urja.domain.money import round_payable
from urja.domain.rules import period_months, units_per_month
from urja.domain.tariff import LoadUnit, TariffVersion
from urja.ledger import descriptions
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import describe
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import LedgerDigest, ledger_digests
from urja.metering.selectors import monthly_history, readings_for_period
from urja.tariffs.selectors import normative_bands, normative_units_per_month

from .choices import BillBasis, BillStatus
from .models import Bill, BillCycle

ZERO = Decimal("0.00")
ACTUAL_BASES = {BillBasis.MU, BillBasis.MIN}
PROVISIONAL_BASES = {BillBasis.PROV}
# An assessed bill in place of these reading statuses (past the provisional limit) is trued up like a
# provisional one; one for a defective or missing meter (IDF, RDF, NM) is not.
CHAIN_ASSESSED = {"NA", "NR", ""}


@dataclass
class BillHistory:
    actual_monthly_units: list[Decimal]
    provisional_in_row: int
    provisional_in_fy: int
    provisional_units_pending: Decimal
    provisional_periods: list[tuple[datetime.date, datetime.date, Decimal]]
    defective_in_row: int
    has_previous_bill: bool
    last_bill_issue_date: datetime.date | None
    first_period_start: datetime.date | None = None


def billed_statuses() -> list[str]:
    """The account statuses a bill run bills: active ones, and temporarily disconnected ones for their
    fixed charges unless ``URJA_BILLING["DISCONNECTED_FIXED_CHARGES"]`` is off (decision 0045).
    An unmetered disconnected account is never billed: its flat charge is the price of the supply."""
    statuses = [ConsumerStatus.ACTIVE]
    if settings.URJA_BILLING.get("DISCONNECTED_FIXED_CHARGES", True):
        statuses.append(ConsumerStatus.TEMP_DISCONNECTED)
    return statuses


def billed_accounts_q():
    from django.db.models import Q

    from urja.customers.choices import UNMETERED_CATEGORIES

    return Q(status=ConsumerStatus.ACTIVE) | (
        Q(status__in=billed_statuses()) & ~Q(category__in=sorted(UNMETERED_CATEGORIES))
    )


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
        .values_list(
            "consumer_id",
            "period",
            "period_start",
            "period_end",
            "basis",
            "units",
            "issue_date",
            "reading_status",
        )
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
            for _, _, start, end, basis, units, _, _ in bills
            if basis in ACTUAL_BASES and units is not None and (m := period_months(start, end)) > 0
        ]
        # The true-up chain: provisional bills, and assessments in place of a NA/NR reading past the
        # provisional limit, back to the last actual reading. A defective-meter assessment ends it.
        chain: list[tuple[datetime.date, datetime.date, Decimal]] = []
        for _, _, start, end, basis, units, _, status in reversed(bills):
            if not (basis in PROVISIONAL_BASES or (basis == BillBasis.ASS and status in CHAIN_ASSESSED)):
                break
            chain.append((start, end, units or ZERO))
        chain.reverse()
        in_row, pending = len(chain), sum((units for _, _, units in chain), ZERO)
        defective = 0
        for _, _, _, _, basis, _, _, status in reversed(bills):
            if basis != BillBasis.ASS or status in CHAIN_ASSESSED:
                break
            defective += 1
        in_fy = sum(1 for b in bills if b[4] in PROVISIONAL_BASES and b[2] >= fy_start)
        result[cid] = BillHistory(
            actual_monthly_units=actual[-3:],
            provisional_in_row=in_row,
            provisional_in_fy=in_fy,
            provisional_units_pending=pending,
            provisional_periods=chain,
            defective_in_row=defective,
            has_previous_bill=bool(bills),
            last_bill_issue_date=bills[-1][6] if bills else None,
            first_period_start=per[cid][0][2] if per.get(cid) else None,
        )
    return result


def _reading_history(
    ids: list[int], history: dict[int, BillHistory], cycle: BillCycle
) -> dict[int, list[tuple[int, int, Decimal | None]]]:
    """Monthly units read before the first bill, for accounts with fewer than 3 actual bills (a new
    account, or one whose first bills were provisional or assessed)."""
    groups: dict[datetime.date, list[int]] = defaultdict(list)
    for cid in ids:
        past = history[cid]
        if len(past.actual_monthly_units) < 3:
            groups[past.first_period_start or cycle.period_start].append(cid)
    result: dict[int, list[tuple[int, int, Decimal | None]]] = {}
    for first, members in groups.items():
        result.update(monthly_history(members, months=4, until=first - datetime.timedelta(days=1)))
    return result


def ledger_digests_for(
    consumer_ids: list[int], history: dict[int, BillHistory], cycle: BillCycle
) -> dict[int, LedgerDigest]:
    """The accounts' ledgers up to the cycle's issue day, as its bills need them: the balance, the
    surcharge posted since each account's last bill, and the rows condensed for the bill's own
    entries (a debit of the cycle's period due on its due date: `compute.ledger_parts`)."""
    return ledger_digests(
        consumer_ids,
        cycle.issue_date,
        due_order(cycle.code, PRINCIPAL, cycle.due_date),
        {cid: history[cid].last_bill_issue_date for cid in consumer_ids},
    )


def _dues(consumer_ids: list[int], digests: dict[int, LedgerDigest]) -> dict[int, tuple[Decimal, Decimal]]:
    """(arrears, surcharge since the last bill) per account: the balance on the issue day less the
    surcharge posted after the last bill was issued."""
    return {
        cid: (digests[cid].balance - digests[cid].surcharge, digests[cid].surcharge) for cid in consumer_ids
    }


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
    fppas: Decimal,
    arrears: Decimal,
    true_up_units: Decimal,
    lpsc: Decimal,
    true_up_periods: tuple[eng.TrueUpPeriod, ...] = (),
    fppas_month: str | None = None,
    md_kva: Decimal | None = None,
    tod_registers: tuple[tuple[str, Decimal], ...] = (),
    export_units: Decimal | None = None,
    banked_units: Decimal = ZERO,
    issue_date: datetime.date | None = None,
    category: str | None = None,
    connection_changes: Sequence[ConnectionChange] | None = None,
    supply_off: bool = False,
) -> eng.BillInput:
    """The engine's input for one bill of `consumer`: the one place a bill run, a review correction and
    a revision turn an account into a `BillInput` (category and phase from the account; a lifeline
    account over its limits falls back to the domestic tariff of its area). ``category``: the one in
    force in the bill's period when it is not the account's current one (a revision of an old bill).
    A load or category change (``ConnectionChange``) effective after the period's first day overrides the
    particulars given: the period starts on the particulars before the earliest such change, and each
    change inside the period splits it by days. ``connection_changes``: the consumer's changes effective
    after ``period_start`` when the caller has fetched them (a bill run, for all its consumers at once)."""
    start_particulars = (category or consumer.category, sanctioned_load, LoadUnit(load_unit))
    changes: list[eng.ParticularsChange] = []
    if connection_changes is None:
        later = list(changes_after(period_start, [consumer.pk]).get(consumer.pk, ()))
    else:
        later = sorted(connection_changes, key=lambda change: (change.effective_from, change.pk))
    if later:
        first = later[0]
        start_particulars = (first.old_category, first.old_sanctioned_load, LoadUnit(first.old_load_unit))
        changes = [
            eng.ParticularsChange(
                effective_from=change.effective_from,
                category=change.new_category,
                sanctioned_load=change.new_sanctioned_load,
                load_unit=LoadUnit(change.new_load_unit),
            )
            for change in later
            if change.effective_from <= period_end
        ]
    return eng.BillInput(
        tariffs=tariffs,
        category=start_particulars[0],
        sanctioned_load=start_particulars[1],
        load_unit=start_particulars[2],
        changes=tuple(changes),
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
        true_up_periods=true_up_periods,
        lpsc=lpsc,
        fallback_category="LMV1-URBAN" if consumer.area_type == "urban" else "LMV1-RURAL",
        fppas_month=fppas_month,
        md_kva=md_kva,
        tod_registers=tod_registers,
        supply_kv=supply_kv(consumer.supply_voltage),
        supply_off=supply_off,
        **_account_terms(consumer, period_end, export_units, banked_units, issue_date),
    )


def changes_after(day: datetime.date, consumer_ids: Sequence[int]) -> dict[int, list[ConnectionChange]]:
    """The load / category changes of the consumers effective after ``day``, in date order, by consumer."""
    found: dict[int, list[ConnectionChange]] = defaultdict(list)
    for change in ConnectionChange.objects.filter(
        consumer_id__in=consumer_ids, effective_from__gt=day
    ).order_by("effective_from", "id"):
        found[change.consumer_id].append(change)
    return found


def supply_kv(supply_voltage: str) -> Decimal | None:
    """A consumer's supply voltage code ("11kV", "415V") in kV, for the engine's voltage rebates."""
    for suffix, scale in (("kV", Decimal(1)), ("V", Decimal("0.001"))):
        if supply_voltage.endswith(suffix) and is_ascii_digits(supply_voltage[: -len(suffix)]):
            return Decimal(supply_voltage[: -len(suffix)]) * scale
    return None


def demand_registers(reading, basis: str) -> tuple[Decimal | None, tuple[tuple[str, Decimal], ...]]:
    """(MD kVA, TOD units by slot) of the period's readings, for a bill on an actual reading only: a
    provisional or assessed bill has no recorded demand (the engine then bills the contracted demand)."""
    if reading is None or basis not in ACTUAL_BASES:
        return None, ()
    return reading.max_demand, reading.tod_units


def period_demand(
    consumer_id: int, period_start: datetime.date, period_end: datetime.date, basis: str
) -> tuple[Decimal | None, tuple[tuple[str, Decimal], ...]]:
    """`demand_registers` of one account's bill period (a review or a revision prices it again)."""
    readings = readings_for_period([consumer_id], period_start - datetime.timedelta(days=1), period_end)
    return demand_registers(readings.get(consumer_id), basis)


def _account_terms(
    consumer: Consumer,
    period_end: datetime.date,
    export_units: Decimal | None,
    banked_units: Decimal,
    issue_date: datetime.date | None,
) -> dict:
    """The engine's inputs from the account's own terms: its rooftop solar scheme (with the export and
    the units banked), its duty exemption, and the late-bill rebate when the bill is issued late."""
    conf = settings.URJA_BILLING
    scheme = solar.SolarScheme(consumer.solar_scheme)
    days = late_bill.days_late(period_end, issue_date) if issue_date is not None else 0
    return {
        "solar_scheme": scheme,
        "export_units": export_units if scheme is not solar.SolarScheme.NONE else None,
        "banked_units": banked_units if scheme is solar.SolarScheme.NET else ZERO,
        "feed_in_rate": Decimal(conf["SOLAR_FEED_IN_RATE"]),
        "late_rebate_percent": late_bill.late_rebate_percent(
            days,
            after_days=conf["LATE_BILL_REBATE_AFTER_DAYS"],
            percent=Decimal(conf["LATE_BILL_REBATE_PERCENT"]),
        ),
        "days_late": days,
        "duty_exempt_percent": consumer.duty_exempt_percent,
        "duty_exemption_order": consumer.duty_exemption_order,
    }


def banked_before(bill: Bill) -> Decimal:
    """The units a net-metering bill set off as brought forward (from its netting line)."""
    for line in bill.lines:
        if line.get("head") == eng.LineHead.NET_METERING:
            return Decimal(line.get("params", {}).get("banked_before", "0"))
    return ZERO


def _banked(consumers: list[Consumer], cycle: BillCycle) -> dict[int, Decimal]:
    """Net metering: the units banked by each account's previous bill, carried into this cycle when it
    falls in the same settlement year (a new settlement year starts from zero; the units banked at its
    end are paid by `urja solar settle`)."""
    ids = [c.id for c in consumers if c.solar_scheme == solar.SolarScheme.NET]
    if not ids:
        return {}
    month = settings.URJA_BILLING["SOLAR_SETTLEMENT_MONTH"]
    year_end = solar.settlement_year_end(cycle.period_end, month)
    latest: dict[int, tuple[datetime.date, Decimal | None]] = {}
    for cid, end, banked in (
        Bill.objects.filter(consumer_id__in=ids, period__lt=cycle.code)
        .exclude(status=BillStatus.CANCELLED)
        .order_by("consumer_id", "period")
        .values_list("consumer_id", "period_end", "banked_units")
    ):
        latest[cid] = (end, banked)
    return {
        cid: banked or ZERO
        for cid, (end, banked) in latest.items()
        if solar.settlement_year_end(end, month) == year_end
    }


def compute_bills(
    consumers: list[Consumer],
    cycle: BillCycle,
    tariffs: list[TariffVersion],
    fppas: Decimal | None,
) -> list[Bill]:
    """Unsaved bills for `consumers` for `cycle`: HELD when an exception rule fires or the engine
    refuses the input (with the reason), otherwise ISSUED. `fppas` is the order for the cycle's bill
    (issue) month; None (no order entered) holds every bill as FPPAS_MISSING, priced without FPPAS."""
    fppas_month = f"{cycle.issue_date:%Y-%m}"
    fppas_holds = [determinants.Hold.FPPAS_MISSING] if fppas is None else []
    fppas_notes = (
        [f"no FPPAS order entered for bills of {fppas_month}: priced without FPPAS"] if fppas is None else []
    )
    ids = [c.id for c in consumers]
    # readings_for_period counts readings in (start, end]; a cycle is the whole calendar month, both
    # ends inclusive, so a reading dated on its first day belongs to it.
    readings = readings_for_period(ids, cycle.period_start - datetime.timedelta(days=1), cycle.period_end)
    history = _history(ids, cycle)
    legacy = _reading_history(ids, history, cycle)
    digests = ledger_digests_for(ids, history, cycle)
    dues = _dues(ids, digests)
    rates = lpsc_rates()
    months = period_months(cycle.period_start, cycle.period_end)
    norms = normative_bands()
    new_since = cycle.period_start - datetime.timedelta(days=settings.URJA_BILLING["NEW_CONNECTION_DAYS"])
    banked = _banked(consumers, cycle)
    connection_changes = changes_after(cycle.period_start, ids)
    bills = []
    for consumer in consumers:
        past = history[consumer.id]
        actual = past.actual_monthly_units
        if len(actual) < 3:
            # Fewer than 3 actual bills: the months read before the first bill come first.
            earlier = [units for _, _, units in legacy.get(consumer.id, []) if units is not None]
            actual = (earlier + list(actual))[-3:]
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
            provisional_periods=past.provisional_periods,
            period=(cycle.period_start, cycle.period_end),
            meter_changed=bool(reading and reading.meter_changed),
            defective_in_row=past.defective_in_row,
            new_connection=not past.has_previous_bill and consumer.connection_date >= new_since,
            normative_units_per_month=normative_units_per_month(
                norms, consumer.category, consumer.sanctioned_load
            ),
        )
        # Disconnected all period (no reading in it: the cut's reading closes the month of the cut).
        supply_off = consumer.status == ConsumerStatus.TEMP_DISCONNECTED and facts.reading_status is None
        if supply_off:
            decision = determinants.Determination(basis=eng.BillBasis.MU, units=ZERO)
        else:
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
            true_up_periods=[p.to_dict() for p in decision.true_up_periods],
            reading_status=(reading.status if reading else "") or "",
            closing_reading_id=reading.closing_reading_id if reading else None,
            flag_assessment=decision.flag_assessment,
            issue_date=cycle.issue_date,
            due_date=cycle.due_date,
            arrears=arrears,
            lpsc=lpsc,
        )
        holds = list(decision.holds) + fppas_holds
        notes = ([decision.note] if decision.note else []) + fppas_notes
        md_kva, tod_registers = demand_registers(reading, decision.basis.value)
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
                    fppas=ZERO if fppas is None else fppas,
                    arrears=arrears,
                    true_up_units=decision.true_up_units,
                    true_up_periods=decision.true_up_periods,
                    lpsc=lpsc,
                    fppas_month=fppas_month,
                    md_kva=md_kva,
                    tod_registers=tod_registers,
                    export_units=reading.units_export if reading else None,
                    banked_units=banked.get(consumer.id, ZERO),
                    issue_date=cycle.issue_date,
                    connection_changes=connection_changes.get(consumer.id, []),
                    supply_off=supply_off,
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
        apply_result(bill, result, ledger=digests[consumer.id].rows, rates=rates)
        bill.notes = notes + list(result.notes)
        bill.status = BillStatus.HELD if holds else BillStatus.ISSUED
        bill.hold_reasons = ",".join(holds)
        bills.append(bill)
    return bills


def lpsc_rates() -> LpscRates:
    """The configured LPSC rates (URJA_PAYMENTS: 1.25% a month for the first 3 months, 2% after)."""
    conf = settings.URJA_PAYMENTS
    return LpscRates(
        first_percent=Decimal(str(conf["LPSC_PERCENT_FIRST_MONTHS"])),
        later_percent=Decimal(str(conf["LPSC_PERCENT_LATER"])),
        first_months=int(conf["LPSC_FIRST_MONTHS"]),
    )


def payable_after_due(bill: Bill, ledger: Sequence[LedgerRow], rates: LpscRates) -> Decimal:
    """What the bill asks for if paid after its due date: the payable plus one month's LPSC on each
    part of the dues at its own rate (the ledger as of the issue date with this bill's entries added;
    surcharge never on surcharge)."""
    own = [
        LedgerRow(0, amount, entry_type, bill.period, due_date, bill.issue_date, None)
        for entry_type, amount, due_date in ledger_parts(bill)
    ]
    dues = dues_from_entries([*ledger, *own])
    return round_payable(bill.payable + surcharge_if_paid_late(dues, bill.due_date, rates))


def apply_result(
    bill: Bill, result: eng.BillResult, *, ledger: Sequence[LedgerRow] = (), rates: LpscRates | None = None
) -> None:
    """Copy an engine result onto a bill. `ledger`: the account's ledger rows up to the issue date, for
    the payable after the due date."""
    bill.basis = result.basis.value
    bill.category = result.category
    for name in (
        "energy_charge", "fixed_charge", "min_charge_topup", "true_up", "electricity_duty", "fppas",
        "rebate", "subsidy", "penalty", "lpsc", "arrears", "round_off", "payable",
    ):  # fmt: skip
        setattr(bill, name, getattr(result, name))
    bill.current_charges = result.payable - result.arrears - result.lpsc
    bill.lines = [line.to_dict() for line in result.lines]
    bill.payable_after_due = payable_after_due(bill, ledger, rates or lpsc_rates())
    bill.units = result.billed_quantity if result.billed_unit == "kWh" else bill.units
    bill.kvah = result.billed_quantity if result.billed_unit == "kVAh" else bill.kvah
    if result.import_units is not None:  # net metering: the bill keeps the consumption, not the net
        bill.units = result.import_units
    bill.export_units, bill.banked_units = result.export_units, result.banked_units
    bill.solar_credit, bill.late_rebate = result.solar_credit, result.late_rebate


def ledger_parts(bill: Bill) -> list[tuple[str, Decimal, datetime.date | None]]:
    """(entry type, amount, due date) of each entry an issued bill posts: its charges gross of subsidy
    (a debit, or a credit adjustment when negative) and the government's subsidy as a credit. Arrears
    and surcharge are already in the ledger and are not posted again."""
    gross = bill.current_charges - bill.subsidy  # subsidy is negative or zero
    parts: list[tuple[str, Decimal, datetime.date | None]] = []
    if gross > 0:
        parts.append((EntryType.BILL, gross, bill.due_date))
    elif gross < 0:
        parts.append((EntryType.ADJUSTMENT, gross, None))
    if bill.subsidy < 0:
        parts.append((EntryType.SUBSIDY, bill.subsidy, None))
    return parts


#: The description code of each kind of entry an issued bill posts (`ledger_parts`).
PART_DESCRIPTIONS = {
    EntryType.BILL: descriptions.BILL,
    EntryType.ADJUSTMENT: descriptions.BILL_CREDIT,
    EntryType.SUBSIDY: descriptions.BILL_SUBSIDY,
}


def ledger_entries_for(bill: Bill) -> list[LedgerEntry]:
    """The entries an issued bill posts (`ledger_parts`), as unsaved ledger entries."""
    return [
        LedgerEntry(
            consumer_id=bill.consumer_id,
            entry_type=entry_type,
            amount=amount,
            due_date=due_date,
            entry_date=bill.issue_date,
            period=bill.period,
            source_type="bill",
            source_id=bill.pk,
            **describe(PART_DESCRIPTIONS[entry_type], bill=bill.bill_number),
        )
        for entry_type, amount, due_date in ledger_parts(bill)
    ]
