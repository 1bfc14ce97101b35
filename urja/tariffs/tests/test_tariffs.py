import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from urja.api.services import staff_token_issue
from urja.domain.tariff_book_hv import HV_CATEGORY_CODES
from urja.tariffs.models import FppasRate, TariffVersion
from urja.tariffs.services import tariff_quote
from urja.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def run_quote(capsys, *args):
    call_command("quote", *args)
    return json.loads(capsys.readouterr().out)


def test_seeded_tariff_has_every_category_with_source():
    from urja.customers.choices import TariffCategory
    from urja.domain.tariff import CATEGORY_CODES
    from urja.domain.tariff_book import default_tariff_book
    from urja.domain.tariff_book_hv import hv_tariff_book

    categories = set(TariffVersion.objects.values_list("category", flat=True))
    assert categories == set(CATEGORY_CODES) | set(HV_CATEGORY_CODES) == set(TariffCategory.values)
    assert all(v.source for v in TariffVersion.objects.all())
    # The rows (FY 2025-26 and the history) are the book, with its load limits and uncertain marks.
    assert sorted(
        (v.to_domain() for v in TariffVersion.objects.all()), key=lambda v: (v.category, v.effective_from)
    ) == sorted([*default_tariff_book(), *hv_tariff_book()], key=lambda v: (v.category, v.effective_from))


def test_adding_the_new_fields_keeps_an_administrators_values():
    from urja.tariffs.seed import add_new_schedule_fields

    row = TariffVersion.objects.get(category="LMV6", effective_from=date(2025, 4, 1))
    schedule = {k: v for k, v in row.schedule.items() if k not in {"min_load", "uncertain"}}
    row.schedule = {**schedule, "max_load": "70"}
    row.save()
    add_new_schedule_fields(TariffVersion)
    row.refresh_from_db()
    assert row.schedule["max_load"] == "70"
    assert row.schedule["min_load"] is None and "bands" in row.schedule["uncertain"]


def test_the_source_check_migration_updates_rows_with_the_old_marks_and_keeps_an_administrators():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("urja.tariffs.migrations.0009_tariff_source_check")
    bulk = TariffVersion.objects.get(category="LMV1-BULK", effective_from=date(2025, 4, 1))
    urban = TariffVersion.objects.get(category="LMV1-URBAN", effective_from=date(2019, 9, 12))
    bulk.schedule = {**bulk.schedule, "uncertain": ["fixed_rate", "duty_percent"]}
    bulk.source = "old"
    bulk.save()
    urban.schedule = {**urban.schedule, "uncertain": ["bands"]}  # an administrator's own marks
    urban.source = "edited"
    urban.save()
    migration.forward(apps, None)
    bulk.refresh_from_db()
    urban.refresh_from_db()
    assert bulk.schedule["uncertain"] == ["bands", "fixed_rate", "duty_percent"]
    assert "EV charging rate" in bulk.source
    assert (urban.schedule["uncertain"], urban.source) == (["bands"], "edited")


def test_seeded_hv_versions_load_with_their_demand_rules_and_lmv6_has_tod():
    hv = TariffVersion.objects.filter(category__in=HV_CATEGORY_CODES)
    assert hv.count() == len(HV_CATEGORY_CODES)
    assert all(v.to_domain().demand is not None and "UNCERTAIN" in v.source for v in hv)
    lmv6 = TariffVersion.objects.get(category="LMV6", effective_from=date(2025, 4, 1)).to_domain()
    assert lmv6.tod is not None and {s.name for s in lmv6.tod.slots} == {"offpeak", "normal", "peak"}


def test_quote_cli_worked_example(capsys):
    out = run_quote(
        capsys,
        "--tariff",
        "LMV1-URBAN",
        "--load",
        "2kW",
        "--units",
        "250",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--fppas",
        "0",
        "--json",
    )
    assert (
        out["energy_charge"],
        out["fixed_charge"],
        out["electricity_duty"],
        out["fppas"],
        out["total"],
        out["payable"],
    ) == (
        "1425.00",
        "220.00",
        "82.25",
        "0.00",
        "1727.25",
        "1727.00",
    )
    assert out["tariff"] == "LMV1-URBAN" and out["units"] == "250"
    assert all({"head", "description", "amount"} <= set(line) for line in out["lines"])


def test_quote_cli_uses_the_fppas_order_of_the_bill_month(capsys):
    """December 2025 consumption is billed on 1 January 2026 (the day after the period): January's
    order, a 2.33% rebate, applies, not December's 5.56%."""
    out = run_quote(
        capsys,
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
        "--json",
    )
    # -2.33% of 1,645.00 = -38.33; duty on FPPAS: 5% of (1,645.00 - 38.33) = 80.33; total 1,687.00
    assert (out["fppas"], out["electricity_duty"], out["payable"]) == ("-38.33", "80.33", "1687.00")
    fppas_line = [line for line in out["lines"] if line["head"] == "fppas"]
    assert fppas_line[0]["description"] == "FPPAS for bills of 2026-01: -2.33% on Rs 1645.00"
    billed_in_december = run_quote(
        capsys,
        *[
            "--tariff",
            "LMV1-URBAN",
            "--load",
            "2kW",
            "--units",
            "250",
            "--from",
            "2025-11-16",
            "--to",
            "2025-12-15",
        ],
        "--json",
    )
    # 5.56% of 1,645.00 = 91.46; duty 5% of 1,736.46 = 86.82
    assert (billed_in_december["fppas"], billed_in_december["electricity_duty"]) == ("91.46", "86.82")


def test_quote_cli_unmetered_and_bhp(capsys):
    out = run_quote(capsys, "--tariff", "LMV5-RURAL-UM", "--load", "7.5BHP", "--fppas", "0", "--json")
    assert out["fixed_charge"] == "1275.00"  # 7.5 BHP (a pump rating, not rounded up) x Rs 170
    assert out["units"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tariff", "LMV1-URBAN", "--load", "2MW", "--units", "5"], "invalid load"),
        (["--tariff", "NOPE", "--load", "2kW", "--units", "5"], "unknown tariff"),
        (["--tariff", "LMV1-URBAN", "--load", "2kW"], "give the units"),
        (["--tariff", "LMV1-URBAN", "--load", "2kW", "--units", "-4"], "not negative"),
        (
            [
                "--tariff",
                "LMV1-URBAN",
                "--load",
                "2kW",
                "--units",
                "5",
                "--from",
                "2026-02-30",
                "--to",
                "2026-03-01",
            ],
            "invalid date",
        ),
    ],
)
def test_quote_cli_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("quote", *args, "--json")


def test_new_tariff_order_splits_the_bill():
    old = TariffVersion.objects.get(category="LMV1-URBAN", effective_from=date(2025, 4, 1))
    schedule = json.loads(json.dumps(old.schedule))
    schedule["bands"][0]["fixed_rate"] = "120"
    new = TariffVersion(
        category="LMV1-URBAN",
        label="FY 2026-27",
        effective_from=date(2026, 4, 16),
        schedule=schedule,
        source="test order",
    )
    new.full_clean()
    new.save()
    out = tariff_quote(
        tariff="LMV1-URBAN",
        load="1kW",
        units="100",
        period_from=date(2026, 4, 1),
        period_to=date(2026, 4, 30),
        fppas="0",
    )
    fixed = [line for line in out["lines"] if line["head"] == "fixed"]
    assert len(fixed) == 2  # one line per tariff version, by days
    assert Decimal(out["fixed_charge"]) == Decimal("55.00") + Decimal("60.00")


def test_invalid_schedule_is_refused():
    bad = TariffVersion(
        category="LMV6",
        label="x",
        effective_from=date(2027, 1, 1),
        schedule={"bands": "nonsense"},
        source="x",
    )
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert "schedule" in err.value.message_dict


def test_api_quote(client, two_subdivisions):
    _, key = staff_token_issue(user=two_subdivisions["je_a"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    ok = client.get(
        "/api/v1/tariffs/quote",
        {
            "tariff": "LMV1-URBAN",
            "load": "2kW",
            "units": "250",
            "from": "2026-01-01",
            "to": "2026-01-31",
            "fppas": "0",
        },
        **auth,
    )
    assert ok.status_code == 200 and ok.json()["payable"] == "1727.00"
    bad = client.get("/api/v1/tariffs/quote", {"tariff": "LMV1-URBAN", "load": "two", "units": "250"}, **auth)
    assert bad.status_code == 422 and "invalid load" in bad.json()["message"]


def test_console_calculator(client, two_subdivisions):
    client.login(username="je_a", password=TEST_PASSWORD)
    page = client.get(
        reverse("staff:tariff_quote"),
        {
            "tariff": "LMV1-URBAN",
            "load": "2kW",
            "units": "250",
            "period_from": "2026-01-01",
            "period_to": "2026-01-31",
            "fppas": "0",
        },
    )
    assert page.status_code == 200
    assert "1727.00" in page.content.decode()
    bad = client.get(reverse("staff:tariff_quote"), {"tariff": "LMV1-URBAN", "load": "xyz", "units": "250"})
    assert "invalid load" in bad.content.decode()


def test_fppas_rate_month_validated():
    with pytest.raises(ValidationError):
        FppasRate(month="2026-13", percent=Decimal("1"), source="x").full_clean()
