"""`allocation.condensed`: a ledger cut down to what still settles a new bill's entries the same way."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from urja.domain.allocation import PRINCIPAL, SURCHARGE, LedgerRow, condensed, due_order, dues_from_entries

PERIODS = ["", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]
DEBIT_TYPES = ["bill", "lpsc", "opening", "misc"]
CREDIT_TYPES = ["payment", "subsidy", "adjustment"]
START = date(2026, 8, 1)

amounts = st.integers(min_value=1, max_value=500_00).map(lambda paise: Decimal(paise) / 100)


@st.composite
def ledgers(draw) -> list[LedgerRow]:
    rows: list[LedgerRow] = []
    day = START
    for index in range(draw(st.integers(min_value=0, max_value=14))):
        day += timedelta(days=draw(st.integers(min_value=0, max_value=20)))
        row_id = index + 1
        standing_ids = [
            r.id for r in rows if r.reverses_id is None and r.id not in {x.reverses_id for x in rows}
        ]
        if standing_ids and draw(st.integers(min_value=0, max_value=6)) == 0:
            target_id = draw(st.sampled_from(standing_ids))
            target = next(r for r in rows if r.id == target_id)
            rows.append(LedgerRow(row_id, -target.amount, "reversal", target.period, None, day, target.id))
            continue
        if draw(st.booleans()):
            due = draw(st.one_of(st.none(), st.just(day + timedelta(days=15)), st.just(day)))
            entry_type = draw(st.sampled_from(DEBIT_TYPES))
            rows.append(
                LedgerRow(row_id, draw(amounts), entry_type, draw(st.sampled_from(PERIODS)), due, day, None)
            )
        else:
            entry_type = draw(st.sampled_from(CREDIT_TYPES))
            rows.append(
                LedgerRow(row_id, -draw(amounts), entry_type, draw(st.sampled_from(PERIODS)), None, day, None)
            )
    return rows


@st.composite
def new_entries(draw) -> tuple[tuple[str, int, date], list[LedgerRow]]:
    """A bill's own entries (a debit, maybe its subsidy credit) and an `after` at or before its debit."""
    period = draw(st.sampled_from(PERIODS[1:]))
    issue = START + timedelta(days=draw(st.integers(min_value=0, max_value=200)))
    due = issue + timedelta(days=draw(st.sampled_from([0, 7, 15])))
    own = [LedgerRow(0, draw(amounts), "bill", period, due, issue, None)]
    if draw(st.booleans()):
        own.append(LedgerRow(0, -draw(amounts), "subsidy", period, None, issue, None))
    after = due_order(period, PRINCIPAL, due)
    if draw(st.booleans()):  # any point at or before the debit keeps the result exact
        earlier = due_order(
            draw(st.sampled_from([p for p in PERIODS if p <= period])),
            draw(st.sampled_from([SURCHARGE, PRINCIPAL])),
            due - timedelta(days=draw(st.integers(min_value=0, max_value=40))),
        )
        after = min(after, earlier)
    return after, own


@settings(max_examples=600, deadline=None)
@given(ledgers(), new_entries())
def test_condensed_settles_a_new_bill_like_the_whole_ledger(rows, new):
    after, own = new
    short = condensed(rows, after)
    assert dues_from_entries(short + own) == dues_from_entries(rows + own)
    assert dues_from_entries(short) == dues_from_entries(rows)
    assert len(short) <= len(rows) + 1


def test_condensed_keeps_only_what_is_unpaid_and_later_debits():
    rows = [
        LedgerRow(1, Decimal("100.00"), "bill", "2026-09", date(2026, 10, 15), date(2026, 10, 1), None),
        LedgerRow(2, Decimal("-100.00"), "payment", "", None, date(2026, 10, 10), None),
        LedgerRow(3, Decimal("80.00"), "bill", "2026-10", date(2026, 11, 15), date(2026, 11, 1), None),
        LedgerRow(4, Decimal("-30.00"), "payment", "", None, date(2026, 11, 10), None),
        LedgerRow(5, Decimal("2.00"), "lpsc", "2026-12", date(2026, 12, 1), date(2026, 12, 1), None),
    ]
    after = due_order("2026-11", PRINCIPAL, date(2026, 12, 20))
    assert condensed(rows, after) == [
        LedgerRow(3, Decimal("50.00"), "bill", "2026-10", date(2026, 11, 15), date(2026, 11, 1), None),
        rows[4],  # a surcharge of a later month orders after the new bill: kept whole
    ]
    advance = [rows[0], LedgerRow(2, Decimal("-130.00"), "payment", "", None, date(2026, 10, 10), None)]
    assert condensed(advance, after) == [LedgerRow(0, Decimal("-30.00"), "payment", "", None, date.min, None)]
