"""`/healthz`: what a load balancer and a monitor ask (docs/operations/monitoring.md).

Anyone gets the verdict: 200 ``{"status": "ok"}`` when the database answers, 503 otherwise (a load
balancer takes a web node out on it). The detail — broker, queue depths, the outbox, bill runs in
progress — goes only to a caller presenting ``URJA_HEALTH_TOKEN`` in the ``X-Urja-Health-Token``
header (a monitor), or to a signed-in superuser: queue sizes and run progress are not public."""

from __future__ import annotations

import hmac
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - reported, not raised: the answer is the 503
        database = "down"
    body: dict = {"status": "ok" if database == "ok" else "down"}
    if _may_see_detail(request):
        body.update(_detail(database))
        body["seconds"] = round(time.monotonic() - started, 3)
    return JsonResponse(body, status=200 if database == "ok" else 503)


def _may_see_detail(request) -> bool:
    token = settings.URJA_HEALTH_TOKEN
    given = request.headers.get("X-Urja-Health-Token", "")
    if token and given and hmac.compare_digest(token.encode(), given.encode()):
        return True
    return bool(getattr(request.user, "is_superuser", False))


def _detail(database: str) -> dict:
    from urja.billing.choices import RunStatus
    from urja.billing.models import BillRun
    from urja.billing.selectors import run_stale_since
    from urja.notifications.models import OutboundMessage

    detail: dict = {"database": database, "broker": _broker()}
    if database != "ok":
        return detail
    detail["outbox_queued"] = OutboundMessage.objects.filter(status="queued").count()
    detail["bill_runs"] = [
        {
            "id": run.pk,
            "cycle": run.cycle.code,
            "partitions_done": run.partitions_done,
            "partitions_total": run.partitions_total,
            "billed": run.billed,
            "held": run.held,
            "stale": run_stale_since(run) is not None,
        }
        for run in BillRun.objects.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING])
        .select_related("cycle")
        .order_by("pk")[:20]
    ]
    return detail


def _broker() -> dict:
    """The Celery broker: reachable or not, and the messages waiting in each queue."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"status": "none: tasks run in-process"}
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
            channel = conn.default_channel
            depths = {}
            for queue in settings.CELERY_TASK_QUEUES:
                try:
                    depths[queue.name] = channel.queue_declare(queue.name, passive=True).message_count
                except Exception:  # noqa: BLE001 - a queue no worker has declared yet
                    depths[queue.name] = None
                    channel = conn.channel()
            return {"status": "ok", "queues": depths}
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": type(exc).__name__}
