"""The seeded UP tariff (DOMAIN.md), shared by the data migration and by tests that flush the
database (transactional tests lose migration data)."""

#: FPPAS by bill month: the percentage UPPCL ordered for the bills *raised* (issued) in the month.
FPPAS = [
    (
        "2025-04",
        "1.24",
        "UPPCL FPPAS order for bills raised in April 2025 (from January 2025 fuel cost); DOMAIN.md, press "
        "reports: 1.24%",
    ),
    (
        "2025-12",
        "5.56",
        "UPPCL FPPAS order for bills raised in December 2025; DOMAIN.md, press reports: 5.56%",
    ),
    (
        "2026-01",
        "-2.33",
        "UPPCL FPPAS order for bills raised in January 2026: a 2.33% rebate (negative); DOMAIN.md, press "
        "reports",
    ),
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


# Normative monthly units per unit of load (kW; BHP for pumps) for assessing a defective or missing
# meter. No UP order publishing such norms was found: these are the figures Urja carried as configuration,
# marked uncertain for the discom to replace with its own (admin: Tariffs > Normative usage).
NORMATIVE = [
    ("LMV1-LIFELINE", "60"),
    ("LMV1-RURAL", "80"),
    ("LMV1-URBAN", "100"),
    ("LMV2-URBAN", "120"),
    ("LMV5-RURAL", "90"),
    ("LMV5-URBAN", "90"),
    ("LMV6", "150"),
]
NORMATIVE_SOURCE = "Urja default, not from a published order (uncertain): replace with the discom's norm"


def seed_normative_usage(normative_model) -> None:
    for category, units in NORMATIVE:
        normative_model.objects.get_or_create(
            category=category,
            upto_load=None,
            defaults={"units_per_load": units, "source": NORMATIVE_SOURCE, "uncertain": True},
        )


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
