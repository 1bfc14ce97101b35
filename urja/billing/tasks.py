from celery import shared_task

from .partitions import bill_partition_execute


@shared_task(acks_late=True, bind=True, max_retries=3)
def bill_partition_task(self, partition_id: int) -> int:
    """Bill one partition. Idempotent, so a redelivered task (worker crash) does no harm. The task's
    name (urja.billing.tasks.bill_partition_task) is what queued messages carry: keep it."""
    return bill_partition_execute(partition_id=partition_id).pk


@shared_task(name="urja.billing.due_reminders")
def due_reminders_task(days_before: int = 3) -> int:
    """Daily: the due-date reminders of bills falling due in `days_before` days (`urja billrun remind`)."""
    from urja.common import clock

    from .notices import due_reminders_send

    return due_reminders_send(on=clock.today(), days_before=days_before)
