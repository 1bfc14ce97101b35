"""Delivery reports from the SMS gateway: POST /notifications/delivery/ with a JSON body,
`X-Urja-Timestamp` (Unix seconds) and `X-Urja-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>"
with URJA_NOTIFICATIONS["WEBHOOK_SECRET"]>`. A bad or stale signature is a 403 and changes nothing; a
replayed one inside the window is a 409 (and would change nothing anyway: reports are idempotent).

Body: {"client_ref": "urja-12", "status": "delivered"} or {"reports": [ ... ]}; status is
"delivered" or "failed" (with an optional "error")."""

from __future__ import annotations

import hashlib
import hmac
import json

from django.core.cache import cache
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from urja.common import clock

from .providers import config
from .services import delivery_record

MAX_BODY_BYTES = 256 * 1024


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _verified(request) -> bool:
    secret = config()["WEBHOOK_SECRET"]
    timestamp = request.headers.get("X-Urja-Timestamp", "")
    given = request.headers.get("X-Urja-Signature", "")
    if not secret or not timestamp.isascii() or not timestamp.isdigit() or not given:
        return False
    if abs(clock.now().timestamp() - int(timestamp)) > config()["WEBHOOK_WINDOW_SECONDS"]:
        return False
    return hmac.compare_digest(signature(secret, timestamp, request.body), given)


@csrf_exempt
@require_POST
def delivery_report(request):
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse({"outcome": "refused: body too large"}, status=413)
    if not _verified(request):
        return JsonResponse({"outcome": "refused: bad signature"}, status=403)
    seen_key = "notifications:dlr:" + hashlib.sha256(request.headers["X-Urja-Signature"].encode()).hexdigest()
    if not cache.add(seen_key, 1, timeout=2 * config()["WEBHOOK_WINDOW_SECONDS"]):
        return JsonResponse({"outcome": "refused: replayed"}, status=409)
    try:
        payload = json.loads(request.body.decode("utf-8"))
        reports = payload["reports"] if isinstance(payload, dict) and "reports" in payload else [payload]
        parsed = [(str(r["client_ref"]), str(r["status"]), str(r.get("error", ""))) for r in reports]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"outcome": "refused: malformed body"}, status=400)
    updated = 0
    for client_ref, status, error in parsed:
        if status in ("delivered", "failed"):
            updated += delivery_record(client_ref=client_ref, delivered=status == "delivered", error=error)
    return JsonResponse({"outcome": "accepted", "updated": updated})
