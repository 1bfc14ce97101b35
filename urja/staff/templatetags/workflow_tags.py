"""Template helpers for the workflow pages: titles in the page's language, time left."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from urja.common import clock
from urja.domain.sla import time_left as sla_time_left

register = template.Library()


def _hindi() -> bool:
    return (get_language() or "").startswith("hi")


@register.filter
def local_title(thing) -> str:
    """A definition's, state's or action's title in the page's language (Hindi where given)."""
    if thing is None:
        return ""
    if _hindi() and getattr(thing, "title_hi", ""):
        return thing.title_hi
    return getattr(thing, "title", str(thing))


@register.filter
def state_title(item) -> str:
    """The title of a work item's present state, in the page's language (its code if the process is
    not registered any more)."""
    from urja.common.errors import NotFound
    from urja.workflow import registry

    try:
        state = registry.definition(item.definition_code, item.definition_version).states[item.state]
    except (NotFound, KeyError):  # an unknown process or state still shows its code
        return item.state
    return local_title(state)


@register.filter
def consequence(action) -> str:
    if _hindi() and action.consequence_hi:
        return action.consequence_hi
    return action.consequence


def _span(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest // 60}


@register.filter
def time_left(due) -> str:
    """ "2 d 3 h left", "overdue by 5 h 10 min", or "—" for no due time."""
    if due is None:
        return "—"
    seconds = int(sla_time_left(due, clock.now()).total_seconds())
    if seconds >= 0:
        return _("%(span)s left") % {"span": _span(seconds)}
    return _("overdue by %(span)s") % {"span": _span(-seconds)}


@register.filter
def is_overdue(due) -> bool:
    return due is not None and due < clock.now()
