"""The seeded UP tariff (DOMAIN.md), shared by the data migration and by tests that flush the
database (transactional tests lose migration data)."""

FPPAS = [
    ("2025-04", "1.24", "FPPAS order for April 2025 (DOMAIN.md: 1.24%)"),
    ("2025-12", "5.56", "FPPAS order for December 2025 (DOMAIN.md: 5.56%)"),
]


def seed_default_tariffs(tariff_version_model, fppas_rate_model) -> None:
    """Create the FY 2025-26 versions and FPPAS rows that are missing (models passed in, so the
    migration can use its historical models)."""
    from urja.domain.tariff_book import default_tariff_book

    for version in default_tariff_book():
        data = version.to_dict()
        tariff_version_model.objects.get_or_create(
            category=version.category,
            effective_from=version.effective_from,
            defaults={
                "label": version.label,
                "effective_to": version.effective_to,
                "schedule": {
                    k: v
                    for k, v in data.items()
                    if k not in {"category", "label", "effective_from", "effective_to", "source"}
                },
                "source": version.source,
            },
        )
    add_new_schedule_fields(tariff_version_model)
    for month, percent, source in FPPAS:
        fppas_rate_model.objects.get_or_create(month=month, defaults={"percent": percent, "source": source})


NEW_SCHEDULE_KEYS = ("min_load", "max_load", "uncertain")


def add_new_schedule_fields(tariff_version_model) -> None:
    """Give a seeded row that predates them the book's load limits and uncertain marks (only keys the
    row does not have yet: an administrator's own values are kept)."""
    from urja.domain.tariff_book import default_tariff_book

    book = {(v.category, v.effective_from): v.to_dict() for v in default_tariff_book()}
    for row in tariff_version_model.objects.all():
        data = book.get((row.category, row.effective_from))
        if data is None or all(key in row.schedule for key in NEW_SCHEDULE_KEYS):
            continue
        row.schedule = {**row.schedule, **{k: data[k] for k in NEW_SCHEDULE_KEYS if k not in row.schedule}}
        row.save(update_fields=["schedule"])
