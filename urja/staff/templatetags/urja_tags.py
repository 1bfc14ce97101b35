"""Template helpers for the staff console."""

from django import template

from urja.org import roles

register = template.Library()


@register.filter
def can(user, capability_name: str) -> bool:
    """`{% if user|can:"REVIEW_BILLS" %}`: the name of a capability constant in urja.org.roles."""
    capability = getattr(roles, capability_name, None)
    return bool(capability) and user.is_authenticated and user.can(capability)


@register.filter
def hold_label(code: str) -> str:
    from urja.billing.selectors import hold_label as label

    return label(code)
