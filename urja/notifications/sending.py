"""Sending the outbox at most once per message (docs/decisions/0032-exactly-once-messages.md).

1. Claim: one conditional UPDATE moves a due row from queued to sending (committed before the provider
   is called), so two workers, a retry and the periodic sweep never hold the same row.
2. Hand it to the provider with its id as the client reference.
3. Record the outcome with another conditional UPDATE.
A row still `sending` after the lease may have reached the provider (the sender died between 2 and 3):
it is never sent again before the provider's lookup says it never had it; when the provider cannot tell,
the row becomes `unknown` and waits for a delivery report or a person."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db.models import F, Q

from urja.common import clock

from .choices import Category, Status
from .models import OutboundMessage
from .providers import MaybeSent, NotSent, config, provider_for

log = logging.getLogger("urja.notifications")


@dataclass(frozen=True)
class Outcome:
    status: str  # sent, retry, failed, maybe_sent, held, not_due
    retry_in: int | None = None


def promotional_window() -> tuple[datetime.time, datetime.time]:
    start, end = config()["PROMOTIONAL_HOURS"]
    return datetime.time(start), datetime.time(end)


def window_opens(at: datetime.datetime) -> datetime.datetime | None:
    """None when an optional message may go at `at`; else the next instant it may (10:00 IST)."""
    start, end = promotional_window()
    local = clock.localtime(at)
    if start <= local.time() < end:
        return None
    day = local.date() if local.time() < start else local.date() + datetime.timedelta(days=1)
    return clock.aware(datetime.datetime.combine(day, start))


def backoff_seconds(attempts: int) -> int:
    base, cap = config()["BACKOFF_BASE_SECONDS"], config()["BACKOFF_MAX_SECONDS"]
    return int(min(cap, base * 2 ** max(attempts - 1, 0)))


def _due() -> Q:
    return Q(not_before__isnull=True) | Q(not_before__lte=clock.now())


def _claim(message_id: int) -> bool:
    now = clock.now()
    return bool(
        OutboundMessage.objects.filter(_due(), pk=message_id, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    )


def _record(message: OutboundMessage, **changes) -> bool:
    """Move a row we hold (sending, claimed at the time we claimed it) on; False if someone else did."""
    changes["updated_at"] = clock.now()
    return bool(
        OutboundMessage.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
        ).update(**changes)
    )


def mark_sent(message: OutboundMessage, provider: str, reference: str) -> bool:
    return _record(
        message,
        status=Status.SENT,
        sent_at=clock.now(),
        provider=provider,
        provider_ref=reference,
        last_error="",
    )


def message_send(message_id: int) -> Outcome:
    if not _claim(message_id):
        return Outcome("not_due")
    message = OutboundMessage.objects.get(pk=message_id)
    if message.category == Category.OPTIONAL and (opens := window_opens(clock.now())) is not None:
        _record(message, status=Status.QUEUED, not_before=opens, attempts=F("attempts") - 1)
        return Outcome("held")
    provider = provider_for(message.channel)
    try:
        reference = provider.send(message)
    except NotSent as exc:
        return _after_failure(message, provider.name, str(exc), retry=exc.retry)
    except MaybeSent as exc:
        # Stays `sending`: the sweep asks the provider once the lease is over.
        _record(message, provider=provider.name, last_error=str(exc)[:300])
        return Outcome("maybe_sent")
    mark_sent(message, provider.name, reference)
    return Outcome("sent")


def _after_failure(message: OutboundMessage, provider: str, error: str, *, retry: bool) -> Outcome:
    if retry and message.attempts < config()["MAX_ATTEMPTS"]:
        delay = backoff_seconds(message.attempts)
        not_before = clock.now() + datetime.timedelta(seconds=delay)
        _record(
            message, status=Status.QUEUED, not_before=not_before, provider=provider, last_error=error[:300]
        )
        return Outcome("retry", retry_in=delay)
    _record(message, status=Status.FAILED, provider=provider, last_error=error[:300])
    log.warning("message %s failed: %s", message.client_ref, error)
    return Outcome("failed")


def stale_recover() -> dict[str, int]:
    """Rows left `sending` past the lease: ask the provider instead of sending again."""
    lease = datetime.timedelta(seconds=config()["SENDING_LEASE_SECONDS"])
    counts = {"confirmed": 0, "requeued": 0, "unknown": 0}
    stale = OutboundMessage.objects.filter(status=Status.SENDING, claimed_at__lt=clock.now() - lease)
    for message in stale.iterator():
        known = provider_for(message.channel).lookup(message.client_ref)
        if known is True:
            done = mark_sent(
                message, message.provider or provider_for(message.channel).name, message.client_ref
            )
            counts["confirmed"] += done
        elif known is False:
            counts["requeued"] += _record(message, status=Status.QUEUED, not_before=None)
        else:
            counts["unknown"] += _record(
                message, status=Status.UNKNOWN, last_error="the sender stopped before recording the outcome"
            )
    return counts


def outbox_drain(*, limit: int | None = None) -> dict[str, int]:
    """Send whatever is due (the periodic task and `urja notifications send`)."""
    counts: dict[str, int] = stale_recover()
    ids = (
        OutboundMessage.objects.filter(_due(), status=Status.QUEUED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if limit:
        ids = ids[:limit]
    for message_id in list(ids):
        outcome = message_send(message_id)
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return counts
