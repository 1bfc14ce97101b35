"""Seed the rest of the LT rate schedule (LMV-1 bulk … LMV-11) and the versions in force before
1 April 2025 (FY 2019-20 order, FY 2022-23 slab revision), and give the FY 2025-26 rows their load
limits and uncertain marks (urja.domain.tariff_book). Data only; an administrator edits these rows."""

from django.db import migrations

NEW_LABELS = ("FY 2019-20", "FY 2022-23")


def seed(apps, schema_editor):
    from urja.tariffs.seed import seed_default_tariffs

    seed_default_tariffs(apps.get_model("tariffs", "TariffVersion"), apps.get_model("tariffs", "FppasRate"))


def unseed(apps, schema_editor):
    from urja.domain.tariff_book import current_tariff_book

    model = apps.get_model("tariffs", "TariffVersion")
    model.objects.filter(label__in=NEW_LABELS).delete()
    old = {"LMV1-LIFELINE", "LMV1-RURAL-UM", "LMV1-RURAL", "LMV1-URBAN", "LMV2-URBAN", "LMV5-RURAL-UM",
           "LMV5-RURAL", "LMV5-URBAN", "LMV6"}  # fmt: skip
    new = [v.category for v in current_tariff_book() if v.category not in old]
    model.objects.filter(category__in=new, label="FY 2025-26").delete()


class Migration(migrations.Migration):
    dependencies = [("tariffs", "0003_alter_tariffversion_category")]
    operations = [migrations.RunPython(seed, unseed)]
