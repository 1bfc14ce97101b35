"""The console's jobs: what each role sees first, where it lands after login, and the rest behind
"More". A job is shown only to those with one of its capabilities (the same rules the pages check);
each role's first few jobs are one tap away on a phone (docs: issue 10, "every role lands on its job").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from urja.org import roles
from urja.org.choices import Role

#: How many jobs a phone shows in its bar before "More".
PRIMARY = 4


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    url_name: str
    capabilities: tuple[str, ...] = ()  # any of them; none: every staff user
    query: str = ""
    url_names: tuple[str, ...] = ()  # the other pages that belong to this job (shown as current)

    def allowed(self, user) -> bool:
        return not self.capabilities or any(user.can(c) for c in self.capabilities)

    @property
    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")

    @property
    def testid(self) -> str:
        return f"nav-{self.key}"


JOBS: dict[str, Job] = {
    job.key: job
    for job in (
        Job("consumers", _("Consumers"), "staff:home", url_names=("staff:consumer_detail",)),
        Job("ucc", _("Command centre"), "ucc:dashboard", (roles.VIEW_REPORTS,)),
        Job("counters", _("Counters"), "payments:counters", (roles.TAKE_PAYMENTS, roles.VERIFY_CASH)),
        Job("inbox", _("Inbox"), "workflow:inbox", (roles.VIEW_WORK,), url_names=("workflow:item",)),
        Job(
            "orders", _("Work orders"), "workflow:orders", (roles.WORK_ORDERS,), url_names=("workflow:order",)
        ),
        Job("complaints", _("Complaints"), "staff:ticket_list", (roles.HANDLE_COMPLAINTS,)),
        Job("review", _("Review queue"), "staff:review_queue", (roles.REVIEW_BILLS,)),
        Job("revisions", _("Revisions"), "staff:revisions_pending", (roles.APPROVE_REVISIONS,)),
        Job("verify", _("Verify cash books"), "payments:books_to_verify", (roles.VERIFY_CASH,)),
        Job("summary", _("Collections summary"), "payments:summary", (roles.VIEW_REPORTS, roles.VERIFY_CASH)),
        Job("settlements", _("Settlements"), "payments:settlements", (roles.VERIFY_CASH,)),
        Job("adjustments", _("Adjustments"), "payments:adjustments", (roles.APPROVE_ADJUSTMENTS,)),
        Job("bill-runs", _("Bill runs"), "staff:bill_runs", (roles.RUN_BILLING, roles.REVIEW_BILLS)),
        Job("connections", _("New connections"), "staff:connection_list", (roles.VIEW_WORK,)),
        Job("disconnection", _("Disconnection"), "staff:disconnection_list", (roles.ASSIGN_WORK_ORDERS,)),
        Job("unindexed", _("Unindexed consumers"), "staff:unindexed_report"),
        Job(
            "energy",
            _("Energy audit"),
            "energy:audit",
            (roles.VIEW_REPORTS,),
            url_names=("energy:feeder", "energy:dt"),
        ),
        Job(
            "revenue",
            _("Inspection list"),
            "revenue:list",
            (roles.VIEW_REVENUE,),
            url_names=("revenue:case", "revenue:hit_rate"),
        ),
        Job("quote", _("Bill calculator"), "staff:tariff_quote"),
        Job(
            "segments",
            _("Consumption segments"),
            "segments:report",
            (roles.VIEW_REPORTS,),
            url_names=("segments:members",),
        ),
        Job("reports", _("Reports"), "reports:index", (roles.VIEW_REPORTS,), url_names=("reports:report",)),
    )
}

#: Each role's jobs, most used first; the first one it may open is where it lands after login. A meter
#: reader's route has no page of its own yet: they land on the consumer search, where a route's
#: consumers are looked up.
ROLE_JOBS: dict[str, tuple[str, ...]] = {
    Role.CASHIER: ("counters", "consumers", "quote"),
    Role.METER_READER: ("consumers", "unindexed", "quote"),
    Role.LINEMAN: ("orders", "inbox", "consumers"),
    Role.HELPDESK: ("complaints", "consumers", "inbox"),
    Role.JE: ("inbox", "orders", "connections", "consumers"),
    Role.SDO: ("inbox", "review", "verify", "consumers"),
    Role.EE: ("inbox", "review", "revisions", "consumers"),
    Role.SE: ("inbox", "revisions", "adjustments", "consumers"),
    Role.MANAGEMENT: ("ucc", "consumers", "summary", "revisions", "adjustments"),
    Role.AUDITOR: ("summary", "inbox", "consumers"),
    Role.SYSTEM_ADMIN: ("consumers", "bill-runs", "counters", "inbox"),
}


def jobs_for(user) -> tuple[list[Job], list[Job]]:
    """The user's jobs one tap away, and the rest they may open ("More"), each once."""
    allowed = [job for job in JOBS.values() if job.allowed(user)]
    role = Role.SYSTEM_ADMIN if user.is_superuser else user.role
    first = [
        JOBS[key] for key in ROLE_JOBS.get(role, ROLE_JOBS[Role.SYSTEM_ADMIN]) if JOBS[key].allowed(user)
    ]
    primary = first[:PRIMARY]
    return primary, [job for job in allowed if job not in primary]


def landing_url(user) -> str:
    """Where `user` starts after login: their role's first job (the consumer search otherwise); a
    meter reader starts in the field app."""
    if user.role == Role.METER_READER and not user.is_superuser:
        return "/field/"
    primary, _more = jobs_for(user)
    return primary[0].url if primary else reverse("staff:home")


def may_open_admin(user) -> bool:
    """The Django admin lets in only active staff accounts (`is_staff`); the link shows only to them."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)
