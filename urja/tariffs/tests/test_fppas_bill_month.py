"""FPPAS by bill month in the calculator, the API, the console, the command and the data (issue 8,
rule 5) and the calculator's area (rule 8)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from urja.api.services import staff_token_issue
from urja.tariffs.models import FppasRate, TariffVersion
from urja.tariffs.services import tariff_quote
from urja.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db

DEC = {"period_from": date(2025, 12, 1), "period_to": date(2025, 12, 31)}
MISSING_EN = "No FPPAS order has been entered for bills of 2026-11"


def test_the_three_orders_are_seeded_by_bill_month_with_their_sources():
    rows = {r.month: r for r in FppasRate.objects.filter(month__in=["2025-04", "2025-12", "2026-01"])}
    assert {m: r.percent for m, r in rows.items()} == {
        "2025-04": Decimal("1.24"),
        "2025-12": Decimal("5.56"),
        "2026-01": Decimal("-2.33"),
    }
    assert all("bills raised in" in r.source for r in rows.values())
    assert "rebate" in rows["2026-01"].source


def test_seeded_versions_levy_duty_on_fppas_and_say_why():
    for version in TariffVersion.objects.all():
        assert version.to_domain().duty_on_fppas is True
        assert "s.2(h)(v)" in version.source


def test_the_month_field_says_it_is_the_bill_month():
    field = FppasRate._meta.get_field("month")
    assert field.verbose_name == "bill month"
    assert "raised (issued)" in str(field.help_text)
    assert "negative" in str(FppasRate._meta.get_field("percent").help_text)


def test_a_negative_order_is_a_valid_row():
    FppasRate(month="2031-01", percent=Decimal("-2.33"), source="x").full_clean()


def test_the_bill_date_picks_the_order():
    december = tariff_quote(tariff="LMV1-URBAN", load="2kW", units="250", bill_date=date(2025, 12, 20), **DEC)
    january = tariff_quote(tariff="LMV1-URBAN", load="2kW", units="250", **DEC)  # billed 2026-01-01

    assert december["fppas"] == "91.46"  # 5.56% of 1,645.00
    assert january["fppas"] == "-38.33"  # -2.33% of 1,645.00


def test_an_explicit_negative_fppas_is_priced():
    out = tariff_quote(tariff="LMV1-URBAN", load="2kW", units="250", fppas="-1.00", **DEC)
    assert out["fppas"] == "-16.45"  # -1% of 1,645.00


@pytest.mark.no_fppas_orders
def test_a_bill_month_without_an_order_is_an_error_not_zero():
    with pytest.raises(ValueError, match=MISSING_EN):
        tariff_quote(tariff="LMV1-URBAN", load="2kW", units="250", bill_date=date(2026, 11, 5), **DEC)
    # an order of 0% is entered as such, and then it prices
    FppasRate.objects.create(month="2026-11", percent=0, source="order of none")
    out = tariff_quote(tariff="LMV1-URBAN", load="2kW", units="250", bill_date=date(2026, 11, 5), **DEC)
    assert out["fppas"] == "0.00"


@pytest.mark.no_fppas_orders
def test_the_missing_order_error_is_in_hindi_for_a_hindi_user():
    with translation.override("hi"), pytest.raises(ValueError) as err:
        tariff_quote(tariff="LMV1-URBAN", load="2kW", units="250", bill_date=date(2026, 11, 5), **DEC)
    message = str(err.value)
    assert "2026-11" in message and "FPPAS" in message
    assert "आदेश" in message and "No FPPAS order" not in message


@pytest.mark.parametrize(
    ("area", "category", "energy"), [("urban", "LMV1-URBAN", "555.50"), ("rural", "LMV1-RURAL", "338.85")]
)
def test_the_calculator_takes_the_area_for_a_lifeline_fallback(area, category, energy):
    out = tariff_quote(tariff="LMV1-LIFELINE", load="1kW", units="101", fppas="0", area=area, **DEC)
    # urban: 101 x 5.50; rural: 100 x 3.35 + 1 x 3.85
    assert (out["category_billed"], out["energy_charge"]) == (category, energy)


def _auth(two_subdivisions):
    _, key = staff_token_issue(user=two_subdivisions["je_a"])
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


QUERY = {"tariff": "LMV1-URBAN", "load": "2kW", "units": "250", "from": "2025-12-01", "to": "2025-12-31"}


def test_api_quote_takes_a_negative_fppas_and_the_bill_date(client, two_subdivisions):
    auth = _auth(two_subdivisions)
    rebate = client.get("/api/v1/tariffs/quote", {**QUERY, "fppas": "-2.33"}, **auth)
    assert rebate.status_code == 200, rebate.content
    assert rebate.json()["fppas"] == "-38.33"
    december = client.get("/api/v1/tariffs/quote", {**QUERY, "bill_date": "2025-12-31"}, **auth)
    assert december.status_code == 200 and december.json()["fppas"] == "91.46"
    assert (rebate.json()["bill_month"], december.json()["bill_month"]) == ("2026-01", "2025-12")


@pytest.mark.parametrize(("area", "category"), [("urban", "LMV1-URBAN"), ("rural", "LMV1-RURAL")])
def test_api_quote_takes_the_area(client, two_subdivisions, area, category):
    query = {**QUERY, "tariff": "LMV1-LIFELINE", "load": "1kW", "units": "101", "area": area}
    out = client.get("/api/v1/tariffs/quote", query, **_auth(two_subdivisions))
    assert out.status_code == 200 and out.json()["category_billed"] == category
    bad = client.get("/api/v1/tariffs/quote", {**query, "area": "town"}, **_auth(two_subdivisions))
    assert bad.status_code == 422


@pytest.mark.no_fppas_orders
@pytest.mark.parametrize(("language", "text"), [("en", MISSING_EN), ("hi", "आदेश")])
def test_api_quote_without_an_order_for_the_bill_month_is_a_clear_422(
    client, two_subdivisions, language, text
):
    out = client.get(
        "/api/v1/tariffs/quote",
        {**QUERY, "bill_date": "2026-11-05"},
        HTTP_ACCEPT_LANGUAGE=language,
        **_auth(two_subdivisions),
    )
    assert out.status_code == 422
    assert text in out.json()["message"] and "2026-11" in out.json()["message"]


PAGE = {
    "tariff": "LMV1-URBAN",
    "load": "2kW",
    "units": "250",
    "period_from": "2025-12-01",
    "period_to": "2025-12-31",
}


def test_console_calculator_prices_a_rebate_month_and_the_area(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    page = client.get(reverse("staff:tariff_quote"), {**PAGE, "fppas": "-2.33"}).content.decode()
    assert "FPPAS for bills of 2026-01: -2.33% on Rs 1645.00" in page and "-38.33" in page
    assert "FPPAS of the bills raised in 2026-01" in page
    lifeline = {**PAGE, "tariff": "LMV1-LIFELINE", "load": "1kW", "units": "101", "area": "urban"}
    assert "LMV1-URBAN" in client.get(reverse("staff:tariff_quote"), lifeline).content.decode()
    rural = client.get(reverse("staff:tariff_quote"), {**lifeline, "area": "rural"}).content.decode()
    assert "→ LMV1-RURAL" in rural


@pytest.mark.no_fppas_orders
def test_console_calculator_says_when_the_bill_month_has_no_order(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    page = client.get(reverse("staff:tariff_quote"), {**PAGE, "bill_date": "2026-11-05"}).content.decode()
    assert MISSING_EN in page
    hindi = client.get(
        reverse("staff:tariff_quote"), {**PAGE, "bill_date": "2026-11-05"}, HTTP_ACCEPT_LANGUAGE="hi"
    ).content.decode()
    assert "आदेश" in hindi and MISSING_EN not in hindi


def test_quote_command_takes_a_negative_fppas_the_bill_date_and_the_area(capsys):
    base = [
        "--tariff",
        "LMV1-URBAN",
        "--load",
        "2kW",
        "--units",
        "250",
        "--from",
        "2025-12-01",
        "--to",
        "2025-12-31",
    ]
    call_command("quote", *base, "--fppas", "-2.33", "--json")
    assert json.loads(capsys.readouterr().out)["fppas"] == "-38.33"
    call_command("quote", *base, "--bill-date", "2025-12-31", "--json")
    assert json.loads(capsys.readouterr().out)["fppas"] == "91.46"
    lifeline = [
        "--tariff",
        "LMV1-LIFELINE",
        "--load",
        "1kW",
        "--units",
        "101",
        "--fppas",
        "0",
        "--area",
        "urban",
    ]
    call_command("quote", *lifeline, "--json")
    assert json.loads(capsys.readouterr().out)["category_billed"] == "LMV1-URBAN"


@pytest.mark.no_fppas_orders
def test_quote_command_without_an_order_fails_clearly():
    with pytest.raises(CommandError, match=MISSING_EN):
        call_command(
            "quote", "--tariff", "LMV1-URBAN", "--load", "2kW", "--units", "1", "--bill-date", "2026-11-05"
        )


def test_the_admin_asks_for_the_bill_month_and_takes_a_rebate(client):
    from urja.org.choices import Role
    from urja.testing import UserFactory, form_fields

    client.force_login(UserFactory(username="sadmin", role=Role.SYSTEM_ADMIN, office=None))
    url = reverse("admin:tariffs_fppasrate_add")
    page = client.get(url).content.decode()
    assert "Bill month" in page and "raised (issued) in" in page and "negative for a rebate month" in page
    data = form_fields(page, form_id="fppasrate_form")
    data.update({"month": "2031-02", "percent": "-2.33", "source": "order of a rebate"})
    assert client.post(url, data).status_code == 302
    assert FppasRate.objects.get(month="2031-02").percent == Decimal("-2.33")


HV = {"tariff": "HV2-11KV", "load": "100kVA", "units": "28000", "kvah": "30000", "md_kva": "108"}
HV_TOD = "peak=8000, normal=15000, offpeak=7000"


def test_calculator_prices_demand_and_tod_everywhere(client, capsys, two_subdivisions, tariffs):
    """The HV figures of domain/tests/test_quote.py (demand 32,400.00, excess 2,400.00, TOD 1,065.00)
    through the service, the API, the command and the console."""
    period = {"from": "2026-10-01", "to": "2026-10-31"}
    api = client.get(
        "/api/v1/tariffs/quote", {**HV, **period, "tod": HV_TOD, "fppas": "0"}, **_auth(two_subdivisions)
    )
    assert api.status_code == 200, api.content
    assert (api.json()["demand_charge"], api.json()["excess_demand"], api.json()["tod"]) == (
        "32400.00",
        "2400.00",
        "1065.00",
    )
    bad = client.get("/api/v1/tariffs/quote", {**HV, **period, "tod": "peak:1"}, **_auth(two_subdivisions))
    assert bad.status_code == 422 and "slot=units" in bad.json()["message"]
    call_command(
        "quote", "--tariff", "HV2-11KV", "--load", "100kVA", "--units", "28000", "--kvah", "30000",
        "--md", "108", "--tod", HV_TOD, "--from", "2026-10-01", "--to", "2026-10-31", "--fppas", "0", "--json",
    )  # fmt: skip
    assert json.loads(capsys.readouterr().out)["payable"] == "267530.00"
    client.login(username="je_a", password=TEST_PASSWORD)
    page = client.get(
        reverse("staff:tariff_quote"),
        {**HV, "tod": HV_TOD, "fppas": "0", "period_from": "2026-10-01", "period_to": "2026-10-31"},
    ).content.decode()
    assert "Demand charge: 108 kVA" in page and "32,400.00" in page and "267530.00" in page
    without_md = client.get(
        reverse("staff:tariff_quote"),
        {**HV, "md_kva": "", "fppas": "0", "period_from": "2026-10-01", "period_to": "2026-10-31"},
    ).content.decode()
    assert "Demand charge: 108 kVA" not in without_md and "Demand charge" in without_md


@pytest.mark.parametrize(
    ("query", "english", "hindi"),
    [
        ({"load": "2 MW"}, "invalid load '2 MW'", "अमान्य भार '2 MW'"),
        ({"units": "-5"}, "invalid units '-5': expected a number that is not negative", "अमान्य यूनिट '-5'"),
        ({"tariff": "LMV1-RURAL-UM", "load": "1kW"}, "is unmetered", "बिना मीटर"),
        ({"tod": "peak:1"}, "expected slot=units", "खंड=यूनिट"),
    ],
)
def test_calculator_errors_in_the_users_language(client, two_subdivisions, query, english, hindi):
    params = {**QUERY, "fppas": "0", **query}
    for language, text in (("en", english), ("hi", hindi)):
        out = client.get(
            "/api/v1/tariffs/quote", params, HTTP_ACCEPT_LANGUAGE=language, **_auth(two_subdivisions)
        )
        assert out.status_code == 422 and text in out.json()["message"], out.json()
