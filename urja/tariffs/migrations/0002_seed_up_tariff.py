"""Seed the UP tariff of FY 2025-26 (DOMAIN.md) and the FPPAS orders it names. Data only; an
administrator edits or supersedes these rows in the admin."""

from django.db import migrations

def seed(apps, schema_editor):
    from urja.tariffs.seed import seed_default_tariffs

    seed_default_tariffs(apps.get_model("tariffs", "TariffVersion"), apps.get_model("tariffs", "FppasRate"))


def unseed(apps, schema_editor):
    apps.get_model("tariffs", "TariffVersion").objects.filter(label="FY 2025-26").delete()
    from urja.tariffs.seed import FPPAS

    apps.get_model("tariffs", "FppasRate").objects.filter(month__in=[m for m, _, _ in FPPAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("tariffs", "0001_versions")]
    operations = [migrations.RunPython(seed, unseed)]
