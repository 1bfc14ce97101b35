"""Seed connection charges. ESTIMATES, not the UPERC Cost Data Book's figures (which could not be
found): an officer sets the real rates in the admin (docs/decisions/0025)."""

from decimal import Decimal

from django.db import migrations

SOURCE = "Estimate (seed): replace with the UPERC Cost Data Book rate"
# category, load from, load to, processing fee, security deposit, line charge, system loading (per kW)
RATES = [
    ("LMV1-RURAL", "0", "10", "50", "200", "0", "100"),
    ("LMV1-URBAN", "0", "10", "100", "300", "0", "200"),
    ("LMV1-URBAN", "10", "75", "500", "400", "300", "300"),
    ("LMV2-URBAN", "0", "75", "200", "1000", "300", "500"),
    ("LMV2-RURAL", "0", "75", "100", "600", "300", "300"),
    ("LMV5-RURAL", "0", "75", "50", "200", "200", "100"),
    ("LMV6", "0", "75", "500", "1500", "500", "1000"),
]


def seed(apps, schema_editor):
    charge = apps.get_model("connections", "ConnectionCharge")
    for category, low, high, fee, sd, line, system in RATES:
        charge.objects.get_or_create(
            category=category,
            load_from=Decimal(low),
            defaults={
                "load_to": Decimal(high),
                "processing_fee": Decimal(fee),
                "security_deposit_per_unit": Decimal(sd),
                "line_charge_per_unit": Decimal(line),
                "system_loading_per_unit": Decimal(system),
                "source": SOURCE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("connections", "0002_new_connection")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
