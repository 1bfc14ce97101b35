"""Seed the UP tariff of FY 2025-26 (DOMAIN.md) and the FPPAS orders it names. Data only; an
administrator edits or supersedes these rows in the admin."""

from django.db import migrations

FPPAS = [
    ("2025-04", "1.24", "FPPAS order for April 2025 (DOMAIN.md: 1.24%)"),
    ("2025-12", "5.56", "FPPAS order for December 2025 (DOMAIN.md: 5.56%)"),
]


def seed(apps, schema_editor):
    from urja.domain.tariff import default_tariff_book

    TariffVersion = apps.get_model("tariffs", "TariffVersion")
    FppasRate = apps.get_model("tariffs", "FppasRate")
    for version in default_tariff_book():
        data = version.to_dict()
        TariffVersion.objects.get_or_create(
            category=version.category,
            effective_from=version.effective_from,
            defaults={
                "label": version.label,
                "effective_to": version.effective_to,
                "schedule": {k: v for k, v in data.items() if k not in {"category", "label", "effective_from", "effective_to", "source"}},
                "source": version.source,
            },
        )
    for month, percent, source in FPPAS:
        FppasRate.objects.get_or_create(month=month, defaults={"percent": percent, "source": source})


def unseed(apps, schema_editor):
    apps.get_model("tariffs", "TariffVersion").objects.filter(label="FY 2025-26").delete()
    apps.get_model("tariffs", "FppasRate").objects.filter(month__in=[m for m, _, _ in FPPAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("tariffs", "0001_versions")]
    operations = [migrations.RunPython(seed, unseed)]
