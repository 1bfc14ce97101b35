from celery import shared_task


@shared_task(name="urja.energyaudit.rollup_refresh")
def rollup_refresh_task(months: int = 2) -> dict[str, int]:
    """Rebuild the monthly roll-up of the last `months` months, today's included (`urja energy rollup`):
    hourly for the last two (late bills and payments of the month just ended), nightly for thirteen."""
    from .services import rollup_periods, rollup_refresh

    return rollup_refresh(periods=rollup_periods(months=months))
