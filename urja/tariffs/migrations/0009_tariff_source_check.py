"""The source check of the seeded tariff book (docs/tariff-sources.md, decision 0036): give the seeded rows
the book's corrected uncertain marks and sources. Only rows that still carry the old marks are touched (an
administrator's own edits are kept). No rate changes."""

from datetime import date

from django.db import migrations

# (category, effective_from) -> the uncertain marks the row had before the source check.
OLD_MARKS = {
    ("LMV1-BULK", date(2025, 4, 1)): ["fixed_rate", "duty_percent"],
    ("LMV1-BULK", date(2019, 9, 12)): ["fixed_rate", "duty_percent", "effective_from"],
    ("LMV1-URBAN", date(2019, 9, 12)): ["fixed_rate", "effective_from", "effective_to"],
}


def forward(apps, schema_editor):
    from urja.domain.tariff_book import default_tariff_book

    book = {(v.category, v.effective_from): v for v in default_tariff_book()}
    TariffVersion = apps.get_model("tariffs", "TariffVersion")
    for (category, start), old in OLD_MARKS.items():
        version = book[(category, start)]
        for row in TariffVersion.objects.filter(category=category, effective_from=start):
            if row.schedule.get("uncertain") != old:
                continue
            row.schedule = {**row.schedule, "uncertain": list(version.uncertain)}
            row.source = version.source
            row.save(update_fields=["schedule", "source"])


class Migration(migrations.Migration):
    dependencies = [("tariffs", "0008_all_categories")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
