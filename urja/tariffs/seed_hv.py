"""The seeded HV tariff (urja.domain.tariff_book_hv) and the LMV-6 time-of-day rule, shared by the data
migration 0006 and by tests that flush the database. Data only: every HV rate is marked uncertain in its
source; an administrator corrects or supersedes the rows in the admin."""

SCHEDULE_EXCLUDED = {"category", "label", "effective_from", "effective_to", "source"}


def seed_hv_tariffs(tariff_version_model) -> None:
    """Create the HV versions that are missing, and give the seeded LMV-6 rows the TOD rule when they
    have none (model passed in, so the migration can use its historical model)."""
    from urja.domain.tariff_book_hv import LMV6_TOD, hv_tariff_book

    for version in hv_tariff_book():
        data = version.to_dict()
        tariff_version_model.objects.get_or_create(
            category=version.category,
            effective_from=version.effective_from,
            defaults={
                "label": version.label,
                "effective_to": version.effective_to,
                "schedule": {k: v for k, v in data.items() if k not in SCHEDULE_EXCLUDED},
                "source": version.source,
            },
        )
    for row in tariff_version_model.objects.filter(category="LMV6"):
        if not row.schedule.get("tod"):
            row.schedule = {**row.schedule, "tod": LMV6_TOD.to_dict()}
            row.source = (
                f"{row.source} Time of day (uncertain, urja.domain.tariff_book_hv): 22:00-06:00 -15%, "
                "06:00-17:00 0%, 17:00-22:00 +15%."
            )
            row.save(update_fields=["schedule", "source"])


def unseed_hv_tariffs(tariff_version_model) -> None:
    from urja.domain.tariff_book_hv import HV_CATEGORY_CODES

    tariff_version_model.objects.filter(category__in=HV_CATEGORY_CODES, label="FY 2025-26").delete()
    for row in tariff_version_model.objects.filter(category="LMV6"):
        if row.schedule.get("tod"):
            row.schedule = {k: v for k, v in row.schedule.items() if k != "tod"}
            row.save(update_fields=["schedule"])
