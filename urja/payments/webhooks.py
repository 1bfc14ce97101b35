"""The endpoint payment gateways call server to server (/pay/webhooks/<gateway>/): signed JSON, logged
whatever happens; only a verified event posts money (`gateway.webhook_receive`)."""

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .gateway import UnknownGateway, webhook_receive

MAX_WEBHOOK_BYTES = 64 * 1024


@csrf_exempt
@require_POST
def webhook(request, gateway_name: str):
    """Server-to-server notification from a gateway: signed JSON; logged whatever happens."""
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"outcome": "refused: body too large"}, status=413)
    try:
        result = webhook_receive(gateway_name=gateway_name, body=request.body, headers=request.headers)
    except UnknownGateway:
        raise Http404("no such gateway")
    return JsonResponse({"outcome": result.outcome}, status=result.http_status)
