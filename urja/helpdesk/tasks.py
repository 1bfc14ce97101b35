from celery import shared_task

from . import services


@shared_task(name="urja.helpdesk.escalate_overdue")
def escalate_overdue() -> int:
    """The periodic escalation of overdue tickets (schedule it beside the workflow sweep)."""
    return services.tickets_escalate_overdue()
