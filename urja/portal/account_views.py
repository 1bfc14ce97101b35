"""Portal account pages: home, OTP login (consumer and applicant), my account, bill and receipt PDFs,
account switch, profile, logout. Business rules live in the lower apps (urja.customers.otp, ledger and
billing selectors); these views only read the request and show the result."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from urja.billing.selectors import consumer_bills
from urja.common import clock
from urja.customers import otp
from urja.customers.models import Consumer, ConsumerChange
from urja.customers.services import consumer_ebill_set, consumer_update
from urja.domain import mobile as mob
from urja.domain.masking import mask_email
from urja.domain.mobile import mask
from urja.ledger.selectors import compensation_credits, statement
from urja.org.auth import client_address
from urja.payments.dues import dues_get
from urja.portal import session as ps

LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME  # the one LocaleMiddleware reads
SESSION_PENDING = "portal_otp_pending"  # {"mobile": ..., "purpose": ..., "next": ...}
LANGUAGES = ("hi", "en")


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _activate_language(request, response=None) -> str | None:
    language = request.COOKIES.get(LANGUAGE_COOKIE)
    if language in LANGUAGES:
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return language
    return None


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _tiles():
    tiles = [
        ("pay", _("Pay a bill"), _("Quick pay, no login"), reverse("gateway:start")),
        ("bill", _("View or download a bill"), _("Log in with OTP"), reverse("portal:account")),
        ("reading", _("Submit a meter reading"), "", _url_or_none("portal:reading")),
        ("complaints", _("Complaints"), _("No power, wrong bill, meter"), _url_or_none("portal:complaints")),
        ("apply", _("Apply for a new connection"), "", _url_or_none("portal:apply")),
        ("track", _("Track a request"), "", _url_or_none("portal:track")),
    ]
    return [tile for tile in tiles if tile[3]]


def home(request):
    """The portal's front page: first a choice of language, then the tiles."""
    language = request.GET.get("lang")
    if language in LANGUAGES:
        response = HttpResponseRedirect(_safe_next(request, reverse("portal:home")))
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
        consumer = ps.current_consumer(request)
        if consumer is not None and consumer.language != language:
            consumer_update(
                consumer=consumer, by=None, source=ConsumerChange.Source.PORTAL,
                reason=_("Chosen by the consumer on the portal"), language=language,
            )  # fmt: skip
        return response
    if _activate_language(request) is None:
        return render(request, "portal/language.html")
    return render(request, "portal/home.html", {"tiles": _tiles(), "signed_in": ps.current_consumer(request)})


# ------------------------------------------------------------------------------------------- login


def _send(request, *, mobile: str, purpose: str, next_url: str, consumer_id=None) -> str | None:
    """Send a code (if there is a mobile to send it to) and remember what is pending; an error message
    when a limit refused it."""
    request.session[SESSION_PENDING] = {"mobile": mobile, "purpose": purpose, "next": next_url}
    if not mobile:
        return None
    try:
        otp.otp_send(
            mobile=mobile,
            purpose=purpose,
            address=client_address(request),
            language=translation.get_language() or "hi",
            consumer_id=consumer_id,
        )
    except otp.OtpRefused as exc:
        return str(exc)
    return None


@require_http_methods(["GET", "POST"])
def login(request):
    """Step 1: an account number or a registered mobile. The page that follows looks the same whether
    or not the number is known; only a masked mobile hint is shown."""
    _activate_language(request)
    next_url = _safe_next(request, reverse("portal:account"))
    context = {"next": next_url, "identifier": ""}
    if request.method == "POST":
        identifier = request.POST.get("identifier", "").strip()[:20]
        context["identifier"] = identifier
        try:
            kind, mobile = otp.login_mobile_for(identifier)
        except ValueError:
            context["error"] = _("Please type a valid 10-digit account number or mobile number.")
            return render(request, "portal/login.html", context, status=422)
        if kind == "mobile" and not mobile:
            hint = mask(mob.normalize(identifier))
        else:
            hint = mask(mobile)
        error = _send(request, mobile=mobile, purpose=otp.Purpose.LOGIN, next_url=next_url)
        if error:
            context["error"] = error
            return render(request, "portal/login.html", context, status=429)
        request.session[SESSION_PENDING]["hint"] = hint
        request.session.modified = True
        return HttpResponseRedirect(reverse("portal:login_verify"))
    return render(request, "portal/login.html", context)


def _verify(request, purpose: str, template: str, on_success):
    _activate_language(request)
    pending = request.session.get(SESSION_PENDING) or {}
    if pending.get("purpose") != purpose:
        return None
    context = {"hint": pending.get("hint") or mask(pending.get("mobile", "")), "purpose": purpose}
    if request.method == "POST":
        try:
            ok = bool(pending.get("mobile")) and otp.otp_verify(
                mobile=pending["mobile"], purpose=purpose, code=request.POST.get("code", ""),
                address=client_address(request),
            )  # fmt: skip
        except otp.OtpRefused as exc:
            context["error"] = str(exc)
            return render(request, template, context, status=429)
        if ok:
            request.session.pop(SESSION_PENDING, None)
            return on_success(pending)
        context["error"] = _(
            "This code is wrong or has expired. Check the SMS, or ask for a new code. After 5 wrong tries a code stops working."
        )
        return render(request, template, context, status=422)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def login_verify(request):
    """Step 2: the code. Every account registered to the mobile is proved."""

    def success(pending):
        ids = otp.consumers_with_mobile(pending["mobile"])
        if not ids:
            raise Http404
        ps.portal_login(request, mobile=pending["mobile"], consumer_ids=ids)
        response = HttpResponseRedirect(pending.get("next") or reverse("portal:account"))
        if request.COOKIES.get(LANGUAGE_COOKIE) not in LANGUAGES:
            # A first visit straight to the login page: read the portal in the account's language.
            language = Consumer.objects.get(pk=ids[0]).language
            response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    return _verify(request, otp.Purpose.LOGIN, "portal/verify.html", success) or HttpResponseRedirect(
        reverse("portal:login")
    )


@require_http_methods(["GET", "POST"])
def applicant_login(request):
    """A mobile for applying for a new connection (no account needed)."""
    _activate_language(request)
    next_url = _safe_next(request, reverse("portal:home"))
    context = {"next": next_url, "mobile": "", "applicant": True}
    if request.method == "POST":
        raw = request.POST.get("mobile", "").strip()[:20]
        context["mobile"] = raw
        try:
            mobile = mob.normalize(raw)
        except mob.InvalidMobile:
            context["error"] = _("Please type a valid 10-digit mobile number.")
            return render(request, "portal/applicant_login.html", context, status=422)
        error = _send(request, mobile=mobile, purpose=otp.Purpose.APPLY, next_url=next_url)
        if error:
            context["error"] = error
            return render(request, "portal/applicant_login.html", context, status=429)
        return HttpResponseRedirect(reverse("portal:applicant_verify"))
    return render(request, "portal/applicant_login.html", context)


@require_http_methods(["GET", "POST"])
def applicant_verify(request):
    def success(pending):
        ps.applicant_verified(request, pending["mobile"])
        return HttpResponseRedirect(pending.get("next") or reverse("portal:home"))

    return _verify(request, otp.Purpose.APPLY, "portal/verify.html", success) or HttpResponseRedirect(
        reverse("portal:applicant_login")
    )


@require_POST
def logout(request):
    ps.portal_logout(request)
    return HttpResponseRedirect(reverse("portal:home"))


# ------------------------------------------------------------------------------------------ account


def _chart(bills) -> dict:
    """A 12-month consumption bar chart's geometry (inline SVG drawn by the template)."""
    issued = [b for b in bills if b.status == "issued"]
    by_period = {b.period: b.units for b in issued}
    today = clock.today()
    months = []
    year, month = today.year, today.month
    for _i in range(12):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    values = [by_period.get(p) for p in months]
    top = max([v for v in values if v] or [Decimal(1)])
    bars = []
    for i, (period, units) in enumerate(zip(months, values, strict=True)):
        height = int(110 * (units or 0) / top)
        bars.append(
            {
                "x": 8 + i * 28,
                "y": 130 - height,
                "h": height,
                "units": units,
                "label": period[5:],
                "period": period,
            }
        )
    return {"bars": bars, "has_data": any(values)}


@ps.consumer_required
def account(request):
    _activate_language(request)
    consumer = request.consumer
    dues = dues_get(consumer)
    bills = consumer_bills(consumer, limit=24)
    today = clock.today()
    stmt = statement(consumer.pk, today - datetime.timedelta(days=365), today)
    payments = list(consumer.payments.order_by("-paid_at", "-id")[:12])
    latest = dues.latest_bill
    arrears = latest.arrears if latest else Decimal("0")
    return render(
        request,
        "portal/account.html",
        {
            "consumer": consumer,
            "accounts": ps.portal_accounts(request),
            "dues": dues,
            "latest": latest,
            "arrears": arrears,
            "bills": bills[:12],
            "chart": _chart(bills),
            "payments": payments,
            "last_payment": payments[0] if payments else None,
            "statement": stmt,
            "lines": [(line, abs(line.balance)) for line in reversed(stmt.lines)],
            "compensations": compensation_credits(consumer.pk),
        },
    )


@require_POST
def account_switch(request):
    try:
        consumer_id = int(request.POST.get("consumer", ""))
    except ValueError:
        return not_found(request)
    if not ps.account_switch(request, consumer_id):
        return not_found(request)
    return HttpResponseRedirect(reverse("portal:account"))


@ps.consumer_required
def bill_pdf(request, bill_id: int):
    from urja.billing.pdf import render_bill_pdf

    bill = _proved_bill(request, bill_id)
    if bill is None:
        return not_found(request)
    response = HttpResponse(render_bill_pdf(bill), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{bill.bill_number}.pdf"'
    return response


def _proved_bill(request, bill_id: int):
    from urja.billing.models import Bill

    return (
        Bill.objects.filter(pk=bill_id, consumer__in=ps.portal_accounts(request))
        .exclude(status="held")
        .first()
    )


@ps.consumer_required
def receipt_pdf(request, payment_id: int):
    from urja.payments.models import Payment
    from urja.payments.receipts import render_receipt_pdf

    payment = Payment.objects.filter(pk=payment_id, consumer__in=ps.portal_accounts(request)).first()
    if payment is None:
        return not_found(request)
    response = HttpResponse(render_receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{payment.receipt_number}.pdf"'
    return response


# ------------------------------------------------------------------------------------------ profile


@ps.consumer_required
@require_http_methods(["GET", "POST"])
def profile(request):
    _activate_language(request)
    consumer = request.consumer
    context = {"consumer": consumer}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "preferences":
            language = request.POST.get("language")
            fields = {"optional_messages": request.POST.get("optional_messages") == "on"}
            if language in LANGUAGES:
                fields["language"] = language
            consumer_update(
                consumer=consumer, by=None, source=ConsumerChange.Source.PORTAL,
                reason=_("Chosen by the consumer on the portal"), **fields,
            )  # fmt: skip
            response = HttpResponseRedirect(reverse("portal:profile") + "?saved=1")
            if language in LANGUAGES:
                response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
            return response
        if action == "mobile":
            try:
                new_mobile = mob.normalize(request.POST.get("mobile", ""))
            except mob.InvalidMobile:
                context["mobile_error"] = _("Please type a valid 10-digit mobile number.")
                return render(request, "portal/profile.html", context, status=422)
            error = _send(
                request, mobile=new_mobile, purpose=otp.Purpose.MOBILE_CHANGE,
                next_url=reverse("portal:profile"), consumer_id=consumer.pk,
            )  # fmt: skip
            if error:
                context["mobile_error"] = error
                return render(request, "portal/profile.html", context, status=429)
            request.session[SESSION_PENDING]["consumer"] = consumer.pk
            request.session.modified = True
            return HttpResponseRedirect(reverse("portal:mobile_verify"))
        if action == "email":
            return _email_send(request, consumer, context)
        if action == "ebill":
            try:
                consumer_ebill_set(consumer=consumer, on=request.POST.get("ebill") == "on")
            except ValidationError as exc:
                context["ebill_error"] = " ".join(exc.messages)
                return render(request, "portal/profile.html", context, status=422)
            return HttpResponseRedirect(reverse("portal:profile") + "?saved=1")
    context["saved"] = request.GET.get("saved")
    return render(request, "portal/profile.html", context)


def _email_send(request, consumer: Consumer, context: dict):
    """Send a code to the new address; the address is kept only once the code comes back."""
    try:
        email = otp.email_normalize(request.POST.get("email", "")[:300])
    except ValueError as exc:
        context["email_error"] = str(exc)
        return render(request, "portal/profile.html", context, status=422)
    if consumer.email_verified and consumer.email.lower() == email.lower():
        context["email_error"] = _("This is already your e-mail address.")
        return render(request, "portal/profile.html", context, status=422)
    try:
        otp.email_otp_send(
            consumer=consumer, email=email, address=client_address(request),
            language=translation.get_language() or consumer.language,
        )  # fmt: skip
    except otp.OtpRefused as exc:
        context["email_error"] = str(exc)
        return render(request, "portal/profile.html", context, status=429)
    request.session[SESSION_PENDING] = {
        "email": email, "purpose": otp.Purpose.EMAIL_CHANGE, "consumer": consumer.pk,
    }  # fmt: skip
    return HttpResponseRedirect(reverse("portal:email_verify"))


@ps.consumer_required
@require_http_methods(["GET", "POST"])
def email_verify(request):
    """The code sent to the new address. It proves the address only for the account that asked for it,
    in the session that asked for it."""
    _activate_language(request)
    pending = request.session.get(SESSION_PENDING) or {}
    if pending.get("purpose") != otp.Purpose.EMAIL_CHANGE or not pending.get("email"):
        return HttpResponseRedirect(reverse("portal:profile"))
    consumer = request.consumer
    if pending.get("consumer") != consumer.pk:
        return not_found(request)
    template = "portal/verify.html"
    context = {"hint": mask_email(pending["email"]), "purpose": otp.Purpose.EMAIL_CHANGE, "by_email": True}
    if request.method == "POST":
        try:
            ok = otp.email_otp_verify(
                consumer=consumer, email=pending["email"], code=request.POST.get("code", ""),
                address=client_address(request),
            )  # fmt: skip
        except otp.OtpRefused as exc:
            context["error"] = str(exc)
            return render(request, template, context, status=429)
        if ok:
            request.session.pop(SESSION_PENDING, None)
            otp.email_change(consumer=consumer, new_email=pending["email"])
            return HttpResponseRedirect(reverse("portal:profile") + "?saved=1")
        context["error"] = _(
            "This code is wrong or has expired. Check the e-mail, or ask for a new code. After 5 wrong tries a code stops working."
        )
        return render(request, template, context, status=422)
    return render(request, template, context)


@ps.consumer_required
@require_http_methods(["GET", "POST"])
def mobile_verify(request):
    def success(pending):
        consumer = request.consumer
        if pending.get("consumer") != consumer.pk:
            raise Http404
        otp.mobile_change(consumer=consumer, new_mobile=pending["mobile"])
        # The session now follows the new mobile (only this account moved to it).
        ps.portal_login(
            request, mobile=pending["mobile"], consumer_ids=otp.consumers_with_mobile(pending["mobile"])
        )
        request.session[ps.SESSION_CURRENT] = consumer.pk
        return HttpResponseRedirect(reverse("portal:profile") + "?saved=1")

    return _verify(request, otp.Purpose.MOBILE_CHANGE, "portal/verify.html", success) or HttpResponseRedirect(
        reverse("portal:profile")
    )


def not_found(request, exception=None):
    _activate_language(request)
    return render(request, "portal/404.html", status=404)


STAFF_PREFIXES = ("/staff/", "/admin/", "/api/", "/notifications/", "/demo/")


def page_not_found(request, exception=None):
    """The site's 404 (handler404): the friendly portal page for consumers' addresses, Django's own
    for the staff console, the admin and the API."""
    if request.path.startswith(STAFF_PREFIXES):
        from django.views.defaults import page_not_found as default

        return default(request, exception)
    return not_found(request, exception)
