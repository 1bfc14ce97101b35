"""Seed the HV categories (HV-1 to HV-4 by supply voltage; rates uncertain, see their sources) and the
LMV-6 time-of-day rule. Data only; an administrator edits or supersedes these rows in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from urja.tariffs.seed_hv import seed_hv_tariffs

    seed_hv_tariffs(apps.get_model("tariffs", "TariffVersion"))


def unseed(apps, schema_editor):
    from urja.tariffs.seed_hv import unseed_hv_tariffs

    unseed_hv_tariffs(apps.get_model("tariffs", "TariffVersion"))


class Migration(migrations.Migration):
    dependencies = [("tariffs", "0005_hv_categories")]
    operations = [migrations.RunPython(seed, unseed)]
