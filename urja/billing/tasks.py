from celery import shared_task

from .partitions import bill_partition_execute


@shared_task(acks_late=True, bind=True, max_retries=3)
def bill_partition_task(self, partition_id: int) -> int:
    """Bill one partition. Idempotent, so a redelivered task (worker crash) does no harm. The task's
    name (urja.billing.tasks.bill_partition_task) is what queued messages carry: keep it."""
    return bill_partition_execute(partition_id=partition_id).pk
