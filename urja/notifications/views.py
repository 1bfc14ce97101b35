from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from urja.domain.inputs import ascii_digits

from .models import OutboundMessage


def demo_outbox(request):
    """The demo's phone: the latest messages, so a tester can read an OTP. Only with DEBUG on."""
    if not settings.DEBUG:
        raise Http404
    messages = OutboundMessage.objects.order_by("-id")
    number = ascii_digits(request.GET.get("to", "").strip())[:120]
    if number:
        messages = messages.filter(to=number)
    return render(request, "notifications/demo_outbox.html", {"messages": messages[:50], "number": number})
