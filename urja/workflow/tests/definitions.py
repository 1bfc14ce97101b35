"""A small process for the engine's own tests: apply → (send back ↔ resubmit) → inspection (a work
order) → verified (deemed approved when the SDO sits on it) → approved / rejected."""

from urja.domain.sla import Sla
from urja.domain.workflow import Action, State, load
from urja.org.choices import Role

JE, SDO = frozenset({Role.JE}), frozenset({Role.SDO})

TEST_PROCESS = load(
    code="wftest",
    version=1,
    title="Test process",
    title_hi="परीक्षण प्रक्रिया",
    start="applied",
    prefix="TP",
    total_sla=Sla(15, "days"),
    states=[
        State("applied", "Applied", "आवेदित", sla=Sla(3, "working_days"), on_breach="escalate"),
        State("returned", "Sent back", "वापस भेजा", sla=Sla(2, "days"), on_breach="notify", pauses_total=True),
        State("inspection", "Site inspection", "स्थल निरीक्षण", sla=Sla(48, "hours")),
        State(
            "verified",
            "Verified",
            "सत्यापित",
            sla=Sla(2, "working_days"),
            on_breach="deem_approved",
            deemed_action="approve",
            documents_required=("site_report",),
        ),
        State("approved", "Approved", "स्वीकृत", end=True),
        State("rejected", "Rejected", "अस्वीकृत", end=True),
    ],
    actions=[
        Action("inspect", "Send for inspection", "निरीक्षण हेतु भेजें", ("applied",), "inspection", JE),
        Action("send_back", "Send back", "वापस भेजें", ("applied",), "returned", JE, needs_reason=True),
        Action("resubmit", "Resubmit", "पुनः जमा करें", ("returned",), "applied", JE),
        Action("inspected", "Inspected", "निरीक्षित", ("inspection",), "verified", system_only=True),
        Action(
            "approve",
            "Approve",
            "स्वीकृत करें",
            ("verified",),
            "approved",
            SDO,
            irreversible=True,
            needs_documents=True,
            consequence="The applicant is told the application is approved.",
        ),  # fmt: skip
        Action(
            "reject",
            "Reject",
            "अस्वीकार करें",
            ("applied", "verified"),
            "rejected",
            JE | SDO,
            needs_reason=True,
            irreversible=True,
        ),  # fmt: skip
    ],
)
