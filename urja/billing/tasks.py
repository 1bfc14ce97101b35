from celery import shared_task


@shared_task(acks_late=True, bind=True, max_retries=3)
def bill_partition_task(self, partition_id: int) -> int:
    """Bill one partition. Idempotent, so a redelivered task (worker crash) does no harm."""
    from .services import bill_partition_execute

    return bill_partition_execute(partition_id=partition_id).pk
