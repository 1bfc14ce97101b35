from celery import shared_task

from . import services


@shared_task(name="urja.workflow.sweep_breaches")
def sweep_breaches() -> int:
    """The periodic SLA sweep (CELERY_BEAT_SCHEDULE): how many breaches it handled."""
    return len(services.sweep_breaches())
