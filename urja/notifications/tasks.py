from celery import shared_task

from .sending import message_send, outbox_drain


@shared_task(name="notifications.message_send", bind=True, acks_late=True)
def message_send_task(self, message_id: int) -> str:
    outcome = message_send(message_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        # The row is queued again with its not_before; the retry (or the periodic sweep) claims it then.
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
    return outcome.status


@shared_task(name="notifications.outbox_drain")
def outbox_drain_task(limit: int | None = None) -> dict[str, int]:
    return outbox_drain(limit=limit)
