from django.db import IntegrityError, transaction

from urja.domain.mobile import mask

from .models import OutboundMessage


def sms_queue(
    *,
    to: str,
    template: str,
    body: str,
    consumer_id: int | None = None,
    dedupe_key: str | None = None,
    language: str = "hi",
):
    """Queue an SMS. With a `dedupe_key` the same message is queued at most once (retries are harmless)."""
    if not to:
        return None
    try:
        with transaction.atomic():
            return OutboundMessage.objects.create(
                to=to,
                template=template,
                body=body,
                consumer_id=consumer_id,
                dedupe_key=dedupe_key,
                language=language,
            )
    except IntegrityError:
        return OutboundMessage.objects.filter(dedupe_key=dedupe_key).first()


def describe(message: OutboundMessage) -> str:
    return f"{message.template} → {mask(message.to)}"
