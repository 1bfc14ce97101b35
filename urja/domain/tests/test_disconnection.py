import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from urja.domain.disconnection import (
    OpenDue,
    action_refusal,
    earliest_action,
    eligibility,
    notice_period_over,
    shown_continuously,
    under_protest_amount,
)

D = Decimal
d = datetime.date


def test_fifteen_clear_days_neither_service_nor_action_day_counts():
    assert earliest_action(d(2026, 11, 1)) == d(2026, 11, 17)
    assert not notice_period_over(d(2026, 11, 1), d(2026, 11, 16))
    assert notice_period_over(d(2026, 11, 1), d(2026, 11, 17))


def test_notice_period_across_month_and_year_end():
    # served 20 Dec: 21 Dec .. 4 Jan are the 15 clear days; 5 Jan the first day of action
    assert earliest_action(d(2026, 12, 20)) == d(2027, 1, 5)
    assert not notice_period_over(d(2026, 12, 20), d(2027, 1, 4))
    # February of a non-leap year: 14 Feb served -> 1 Mar .. counted: 15..28 Feb (14) + 1 Mar = 15
    assert earliest_action(d(2027, 2, 14)) == d(2027, 3, 2)
    assert earliest_action(d(2028, 2, 14)) == d(2028, 3, 1)  # leap year


@given(st.dates(min_value=d(2000, 1, 1), max_value=d(2090, 1, 1)), st.integers(0, 60))
def test_earliest_action_is_the_first_day_the_period_is_over(served, clear):
    first = earliest_action(served, clear)
    assert notice_period_over(served, first, clear)
    assert not notice_period_over(served, first - datetime.timedelta(days=1), clear)


def test_under_protest_is_the_lesser_of_claim_and_six_month_average():
    bills = [D("900"), D("1200"), D("1000"), D("1100"), D("800"), D("1000"), D("1300")]
    # the last six: 1200+1000+1100+800+1000+1300 = 6400 / 6 = 1066.67
    assert under_protest_amount(D("5000"), bills) == D("1066.67")
    assert under_protest_amount(D("700"), bills) == D("700.00")
    assert under_protest_amount(D("700"), []) == D("700.00")
    assert under_protest_amount(D("5000"), [D("300"), D("600")]) == D("450.00")


@given(
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.lists(st.decimals(min_value=0, max_value=10**6, places=2), max_size=12),
)
def test_under_protest_never_exceeds_the_claim(claimed, bills):
    amount = under_protest_amount(claimed, bills)
    assert D("0") <= amount <= claimed
    assert amount == amount.quantize(D("0.01"))


ON = d(2026, 11, 28)


def test_dues_older_than_two_years_not_shown_continuously_are_barred():
    dues = [OpenDue("2024-09", d(2024, 10, 10), D("3000")), OpenDue("2026-09", d(2026, 10, 15), D("400"))]
    # a gap: no bill for 2025-03
    arrears = {f"{y}-{m:02d}": D("3000") for y in (2024, 2025, 2026) for m in range(1, 13)}
    arrears = {p: a for p, a in arrears.items() if "2024-10" <= p <= "2026-10" and p != "2025-03"}
    result = eligibility(dues, on=ON, min_arrears=D("1000"), min_age_days=30, bill_arrears=arrears)
    assert result.barred == D("3000")
    assert result.claimable == D("400.00")
    assert not result.eligible  # 400 is below the 1,000 minimum


def test_dues_older_than_two_years_shown_continuously_count():
    dues = [OpenDue("2024-09", d(2024, 10, 10), D("3000")), OpenDue("2026-09", d(2026, 10, 15), D("400"))]
    arrears = {f"{y}-{m:02d}": D("3000") for y in (2024, 2025, 2026) for m in range(1, 13)}
    arrears = {p: a for p, a in arrears.items() if "2024-10" <= p <= "2026-10"}
    result = eligibility(dues, on=ON, min_arrears=D("1000"), min_age_days=30, bill_arrears=arrears)
    assert result.barred == D("0")
    assert result.claimable == D("3400.00")
    assert result.eligible and result.age_days == (ON - d(2024, 10, 10)).days


def test_shown_continuously_needs_the_whole_amount_on_each_bill():
    arrears = {"2024-10": D("3000"), "2024-11": D("2999.99"), "2024-12": D("3000")}
    assert not shown_continuously(D("3000"), "2024-09", arrears)
    arrears["2024-11"] = D("3500")
    assert shown_continuously(D("3000"), "2024-09", arrears)
    assert not shown_continuously(D("3000"), "2024-09", {})


def test_minimum_age_and_amount():
    dues = [OpenDue("2026-10", d(2026, 11, 10), D("2000"))]
    r = eligibility(dues, on=ON, min_arrears=D("1000"), min_age_days=30, bill_arrears={})
    assert not r.eligible and r.age_days == 18
    r = eligibility(dues, on=ON, min_arrears=D("1000"), min_age_days=15, bill_arrears={})
    assert r.eligible
    r = eligibility(dues, on=ON, min_arrears=D("2000.01"), min_age_days=15, bill_arrears={})
    assert not r.eligible


def test_no_action_on_holiday_sunday_or_after_hours():
    tz = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
    wed = datetime.datetime(2026, 12, 2, 11, 0, tzinfo=tz)
    assert action_refusal(wed, holidays=[], last_hour=17) == ""
    assert action_refusal(wed, holidays=[d(2026, 12, 2)], last_hour=17) == "holiday"
    assert action_refusal(wed.replace(hour=17), holidays=[], last_hour=17) == "after hours"
    assert action_refusal(wed.replace(day=6), holidays=[], last_hour=17) == "sunday"
    assert action_refusal(wed.replace(day=6), holidays=[], last_hour=17, no_sundays=False) == ""
