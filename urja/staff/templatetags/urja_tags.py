"""Template helpers for the staff console."""

from django import template

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
