"""`notify()`: the one way any app sends a consumer or an officer a message."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction

from urja.common import clock
from urja.common.bulk import insert_rows
from urja.domain.masking import mask_email
from urja.domain.mobile import mask as mask_mobile

from .choices import Category, Channel, Event, Status
from .models import MessageTemplate, OutboundMessage
from .rendering import RenderRefused, render
from .sending import window_opens

log = logging.getLogger("urja.notifications")


class UnknownEvent(ValueError):
    pass


def mask(to: str) -> str:
    """A recipient as logs may show it: a mobile's last four digits, an e-mail's first letter and domain."""
    return mask_email(to) if "@" in to else mask_mobile(to)


def template_for(event: str, language: str) -> MessageTemplate | None:
    found = {t.language: t for t in MessageTemplate.objects.filter(event=event, is_active=True)}
    return found.get(language) or found.get("hi") or found.get("en")


def notify(
    event: str,
    *,
    to: str,
    language: str = "hi",
    variables: dict,
    consumer_id: int | None = None,
    dedupe_key: str | None = None,
    optional_allowed: bool = True,
    channel: str = "sms",
    attachment: str = "",
) -> OutboundMessage | None:
    """Queue one message in the caller's transaction; it is sent after commit, at most once.

    Returns the queued row (the existing one when `dedupe_key` was seen before), or None when nothing
    is sent: no recipient, an optional message the consumer declined (`optional_allowed` is the
    consumer's choice), no active template, or variables that do not render the template exactly.
    An e-mail may name an `attachment` (urja/notifications/attachments.py), made when it is sent."""
    if event not in Event.values:
        raise UnknownEvent(event)
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not to:
        return None
    template = template_for(event, language)
    if template is None:
        log.warning("no active template for %s (%s): not sent to %s", event, language, mask(to))
        return None
    if template.category == Category.OPTIONAL and not optional_allowed:
        return None
    try:
        body = render(template.body, variables)
    except RenderRefused as exc:
        log.warning("%s to %s refused: %s", event, mask(to), exc)
        return None
    not_before = window_opens(clock.now()) if template.category == Category.OPTIONAL else None
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                channel=channel,
                to=to,
                template=event,
                body=body,
                language=template.language,
                category=template.category,
                sender=template.sender,
                dlt_template_id=template.dlt_template_id,
                entity_id=template.entity_id,
                consumer_id=consumer_id,
                dedupe_key=dedupe_key,
                not_before=not_before,
                attachment=attachment,
            )
    except IntegrityError:
        existing = OutboundMessage.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing
    if not_before is None and _dispatch_on_commit():
        transaction.on_commit(lambda: _dispatch(message.pk))
    return message


@dataclass(frozen=True)
class Outgoing:
    """One message of a `notify_bulk` call (the arguments `notify` takes for one)."""

    to: str
    variables: dict
    language: str = "hi"
    consumer_id: int | None = None
    dedupe_key: str | None = None
    optional_allowed: bool = True
    attachment: str = ""


def notify_bulk(event: str, messages: Iterable[Outgoing], *, channel: str = "sms") -> int:
    """Queue many messages of one event in the caller's transaction, by set (a bill run's "bill
    issued" SMS): the same rules as :func:`notify`, one insert per batch, and one sweep of the outbox
    after commit instead of a task per message. A `dedupe_key` seen before is skipped. Returns the
    number of rows written."""
    if event not in Event.values:
        raise UnknownEvent(event)
    templates: dict[str, MessageTemplate | None] = {}
    rows: list[OutboundMessage] = []
    now = clock.now()
    for outgoing in messages:
        if not outgoing.to:
            continue
        if outgoing.language not in templates:
            templates[outgoing.language] = template_for(event, outgoing.language)
        template = templates[outgoing.language]
        if template is None or (template.category == Category.OPTIONAL and not outgoing.optional_allowed):
            continue
        try:
            body = render(template.body, outgoing.variables)
        except RenderRefused as exc:
            log.warning("%s to %s refused: %s", event, mask(outgoing.to), exc)
            continue
        rows.append(
            OutboundMessage(
                channel=channel,
                to=outgoing.to,
                template=event,
                body=body,
                language=template.language,
                category=template.category,
                sender=template.sender,
                dlt_template_id=template.dlt_template_id,
                entity_id=template.entity_id,
                consumer_id=outgoing.consumer_id,
                dedupe_key=outgoing.dedupe_key,
                not_before=window_opens(now) if template.category == Category.OPTIONAL else None,
                attachment=outgoing.attachment,
            )
        )
    seen = _keys_seen([row.dedupe_key for row in rows if row.dedupe_key])
    rows = [row for row in rows if row.dedupe_key not in seen]
    if not rows:
        return 0
    # ignore_conflicts: a concurrent writer of the same key wins, and this row is left out.
    insert_rows(OutboundMessage, rows, ignore_conflicts=True)
    if _dispatch_on_commit():
        transaction.on_commit(_drain_soon)
    return len(rows)


def _keys_seen(keys: list[str]) -> set[str]:
    """Which of `keys` the outbox holds already. On PostgreSQL one array parameter per 20,000 keys
    (Django's IN list prepared each of a bill run's 2,000 keys one by one: a quarter of queueing its SMS)."""
    seen: set[str] = set()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(OutboundMessage._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(keys), 20_000):
                cursor.execute(
                    f"SELECT dedupe_key FROM {table} WHERE dedupe_key = ANY(%s)",
                    [keys[start : start + 20_000]],
                )
                seen.update(key for (key,) in cursor.fetchall())
        return seen
    for start in range(0, len(keys), 900):  # under SQLite's limit of variables per statement
        chunk = keys[start : start + 900]
        seen.update(OutboundMessage.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True))
    return seen


_DEFERRED = {"depth": 0}


@contextmanager
def dispatch_deferred() -> Iterator[None]:
    """Within it, messages queued stay in the outbox for the sweep instead of being sent after each
    commit: a bill run without a broker (where "after commit" means "here, now, one by one") keeps
    sending out of its hot path, and drains the outbox once when it has finished (`urja billrun`).
    Processes forked inside it (the run's local pool) inherit it."""
    _DEFERRED["depth"] += 1
    try:
        yield
    finally:
        _DEFERRED["depth"] -= 1


def _dispatch_on_commit() -> bool:
    """Send right after commit (the default), or leave the row queued for the sweep: the demo's setup
    writes six months of history whose SMS need not go out one by one while it is built."""
    from django.conf import settings

    if _DEFERRED["depth"]:
        return False
    return bool(settings.URJA_NOTIFICATIONS.get("DISPATCH_ON_COMMIT", True))


def _drain_soon() -> None:
    from .tasks import outbox_drain_task

    try:
        outbox_drain_task.delay()
    except Exception:  # a broker that is down must not fail the committed event; the beat sweeps
        log.exception("could not queue an outbox sweep; the periodic sweep will send the messages")


def _dispatch(message_id: int) -> None:
    from .tasks import message_send_task

    try:
        message_send_task.delay(message_id)
    except Exception:  # a broker that is down must not fail the committed event; the sweep sends it
        log.exception("could not queue message %s; the periodic sweep will send it", message_id)


def delivery_record(*, client_ref: str, delivered: bool, error: str = "") -> bool:
    """A provider's delivery report. Only a message that may have gone out moves; delivered is final."""
    try:
        message_id = int(str(client_ref).removeprefix("urja-"))
    except ValueError:
        return False
    now = clock.now()
    may_move = [Status.SENDING, Status.SENT, Status.UNKNOWN]
    if delivered:
        return bool(
            OutboundMessage.objects.filter(pk=message_id, status__in=[*may_move, Status.FAILED]).update(
                status=Status.DELIVERED, delivered_at=now, updated_at=now
            )
        )
    return bool(
        OutboundMessage.objects.filter(pk=message_id, status__in=may_move).update(
            status=Status.FAILED, last_error=f"delivery report: {error}"[:300], updated_at=now
        )
    )


def message_requeue(*, message: OutboundMessage) -> bool:
    """Staff, having checked with the provider that an `unknown` message never arrived, send it again."""
    return bool(
        OutboundMessage.objects.filter(pk=message.pk, status=Status.UNKNOWN).update(
            status=Status.QUEUED, not_before=None, updated_at=clock.now()
        )
    )


def describe(message: OutboundMessage) -> str:
    return f"{message.template} → {message.to_masked}"
