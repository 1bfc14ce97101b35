"""Seed the interest rates on security deposits for FY 2024-25 and FY 2025-26 (data, editable in the
admin). The Supply Code pays interest at the bank rate; the RBI Bank Rate is the repo rate + 0.25
(the marginal standing facility rate). Both figures are the Bank Rate in force on 1 April of the year,
from RBI's monetary policy statements, not from a UPPCL order: marked uncertain until an officer
confirms the rate UPPCL applies."""

from decimal import Decimal

from django.db import migrations

RATES = [
    (
        "2024-25",
        Decimal("6.75"),
        "RBI Bank Rate 6.75% on 1 April 2024 (repo 6.50% + 0.25, MPC of 8 Feb 2023, unchanged to Feb 2025); "
        "UP Electricity Supply Code 2005: interest at the bank rate on the security deposit. "
        "UNCERTAIN: the rate UPPCL applies is to be confirmed.",
    ),
    (
        "2025-26",
        Decimal("6.50"),
        "RBI Bank Rate 6.50% on 1 April 2025 (repo 6.25% + 0.25, MPC of 7 Feb 2025; cut later in the year); "
        "UP Electricity Supply Code 2005: interest at the bank rate on the security deposit. "
        "UNCERTAIN: whether the rate of 1 April or the year's average applies is to be confirmed.",
    ),
]


def seed(apps, schema_editor):
    rate_model = apps.get_model("billing", "DepositInterestRate")
    for year, rate, source in RATES:
        rate_model.objects.get_or_create(
            financial_year=year, defaults={"rate_percent": rate, "source": source, "uncertain": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("billing", "DepositInterestRate").objects.filter(
        financial_year__in=[year for year, _, _ in RATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_solar_late_rebate_annual_credits")]

    operations = [migrations.RunPython(seed, unseed)]
