from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from urja.domain.inputs import ascii_digits

from .choices import Channel
from .models import OutboundMessage
from .providers import email_subject


def demo_outbox(request):
    """The demo's phone and mailbox: the latest messages, SMS and e-mail, so a tester can read a code
    or see that a bill was mailed. Only with DEBUG on."""
    if not settings.DEBUG:
        raise Http404
    messages = OutboundMessage.objects.order_by("-id")
    raw = request.GET.get("to", "").strip()[:254]
    if "@" in raw:
        number = raw
        messages = messages.filter(to__iexact=raw)
    else:
        number = ascii_digits(raw)[:120]
        if number:
            messages = messages.filter(to=number)
    rows = [
        (message, email_subject(message) if message.channel == Channel.EMAIL else "")
        for message in messages[:50]
    ]
    return render(request, "notifications/demo_outbox.html", {"rows": rows, "number": number})
