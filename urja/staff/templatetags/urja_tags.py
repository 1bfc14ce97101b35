"""Template helpers for the staff console."""

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from urja.org import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_jobs(context):
    """`{% staff_jobs as jobs %}`: the user's jobs one tap away (`jobs.primary`), the rest
    (`jobs.more`), the current one's key (`jobs.current`) and whether the Admin link shows."""
    from urja.staff.navigation import jobs_for, may_open_admin

    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"primary": [], "more": [], "current": "", "admin": False}
    primary, more = jobs_for(user)
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    current = next((job.key for job in primary + more if view in (job.url_name, *job.url_names)), "")
    return {"primary": primary, "more": more, "current": current, "admin": may_open_admin(user)}


@register.filter
def can(user, capability_name: str) -> bool:
    """`{% if user|can:"REVIEW_BILLS" %}`: the name of a capability constant in urja.org.roles."""
    capability = getattr(roles, capability_name, None)
    return bool(capability) and user.is_authenticated and user.can(capability)


@register.filter
def hold_label(code: str) -> str:
    from urja.billing.selectors import hold_label as label

    return label(code)


@register.filter
def bill_line(line) -> str:
    """`{{ line|bill_line }}`: a bill line (stored dict or engine BillLine) in the page's language."""
    from urja.billing.lines import line_text

    if hasattr(line, "to_dict"):
        line = line.to_dict()
    return line_text(line)


@register.filter
def basis(code: str) -> str:
    """`{{ bill.basis|basis }}`: the bill basis spelled out ("metered", "provisional" ...)."""
    from urja.billing.lines import basis_text

    return basis_text(code)


@register.filter
def charge_label(code: str) -> str:
    """`{{ line.code|charge_label }}`: a demand note's line in words ("Processing fee" …)."""
    from urja.connections.new_connection import charge_label as label

    return label(code)


@register.filter
def entry_text(entry) -> str:
    """`{{ entry|entry_text }}`: what a ledger entry says, in the page's language."""
    from urja.ledger.descriptions import entry_text as text

    return text(entry)


@register.filter
def inr(amount) -> str:
    """`{{ amount|inr }}`: rupees with two decimals in Indian digit grouping (1,23,456.50)."""
    from urja.domain.money import format_indian

    if amount in (None, ""):
        return ""
    try:
        return format_indian(amount)
    except ArithmeticError:
        return str(amount)


#: The one date format of each language (and with the time). Both read day-month-year in digits today,
#: as bills and receipts print them; a language changes its own here, for every page at once.
DATE_FORMATS = {"en": "d-m-Y", "hi": "d-m-Y"}
MOMENT_FORMATS = {"en": "d-m-Y H:i", "hi": "d-m-Y H:i"}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@register.filter
def day(value) -> str:
    """`{{ bill.due_date|day }}`: a date in the page language's one format."""
    from urja.common import clock

    if value in (None, ""):
        return ""
    if getattr(value, "tzinfo", None) is not None:
        value = clock.localtime(value)
    return formats.date_format(value, DATE_FORMATS.get(_language(), DATE_FORMATS["en"]))


@register.filter
def moment(value) -> str:
    """`{{ payment.paid_at|moment }}`: a date and time (in IST) in the page language's one format."""
    from urja.common import clock

    if value in (None, ""):
        return ""
    if getattr(value, "tzinfo", None) is not None:
        value = clock.localtime(value)
    return formats.date_format(value, MOMENT_FORMATS.get(_language(), MOMENT_FORMATS["en"]))


def _credit_mark():
    return format_html(
        '<abbr class="cr" title="{}">{}</abbr>',
        _("Credit: paid in advance or refunded, set against the next bills"),
        _("Cr"),
    )


@register.filter
def money(amount):
    """`{{ amount|money }}`: ₹ with Indian grouping (₹1,23,456.50); an amount below zero is a credit,
    written "₹1,234.00 Cr" with its meaning on the Cr."""
    from decimal import Decimal, InvalidOperation

    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    if value < 0:
        return format_html('<span class="money credit">₹{}&nbsp;{}</span>', inr(-value), _credit_mark())
    return format_html('<span class="money">₹{}</span>', inr(value))


@register.filter
def balance(amount):
    """`{{ line.balance|balance }}`: an amount in a "(₹)" column: Indian grouping, a credit as "Cr"."""
    from decimal import Decimal, InvalidOperation

    if amount in (None, ""):
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    if value < 0:
        return format_html("{}&nbsp;{}", inr(-value), _credit_mark())
    return inr(value)


@register.filter
def absolute(amount):
    """`{{ adjustment.amount|absolute|inr }}`: the size of an amount whose sign the sentence says."""
    from decimal import Decimal, InvalidOperation

    try:
        return abs(Decimal(str(amount)))
    except InvalidOperation:
        return amount
