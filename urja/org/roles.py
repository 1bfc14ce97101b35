"""What each staff role may do. Capabilities are checked by services and views; office scoping limits
*which* records a user reaches, capabilities limit *what* they may do with them."""

from .choices import OfficeLevel, Role

# Capabilities are plain strings so later issues can add their own without a migration.
VIEW_CONSUMERS = "consumers.view"
EDIT_CONSUMERS = "consumers.edit"  # contact and location particulars (mobile, address, DT, GPS …)
# What a connection is billed on (load, category, deposit, status, office …): an officer's decision.
EDIT_CONNECTIONS = "consumers.edit_connection"
MANAGE_NETWORK = "network.edit"
RECORD_READINGS = "metering.record"
# The meter master: multiplying factor (CT/PT ratio), digits, registers, store office.
MANAGE_METERS = "metering.manage"
RUN_BILLING = "billing.run"
REVIEW_BILLS = "billing.review"
APPROVE_REVISIONS = "billing.approve_revision"
TAKE_PAYMENTS = "payments.take"
VERIFY_CASH = "payments.verify"
APPROVE_ADJUSTMENTS = "ledger.approve_adjustment"
HANDLE_COMPLAINTS = "complaints.handle"
WORK_ORDERS = "field.work_orders"
# Create, assign and cancel field work orders of one's offices (an officer; a lineman completes them).
ASSIGN_WORK_ORDERS = "field.assign_work_orders"
# See applications, requests and cases (workflow items) of one's offices: the inbox, an item's page.
VIEW_WORK = "workflow.view"
VIEW_REPORTS = "mis.view"
# Supervise the field app of one's offices: route books (assign them), progress, conflicts, mismatches.
SUPERVISE_FIELD = "field.supervise"
# Revenue protection (issue 12): see the inspection list and its hit rate; raise an inspection from it
# and record what the inspection found (an officer of the consumer's offices).
VIEW_REVENUE = "revenue.view"
INSPECT_REVENUE = "revenue.inspect"
ADMINISTER = "system.admin"

_ALL = {
    VIEW_CONSUMERS,
    EDIT_CONSUMERS,
    EDIT_CONNECTIONS,
    MANAGE_NETWORK,
    RECORD_READINGS,
    MANAGE_METERS,
    RUN_BILLING,
    REVIEW_BILLS,
    APPROVE_REVISIONS,
    TAKE_PAYMENTS,
    VERIFY_CASH,
    APPROVE_ADJUSTMENTS,
    HANDLE_COMPLAINTS,
    WORK_ORDERS,
    ASSIGN_WORK_ORDERS,
    VIEW_WORK,
    VIEW_REPORTS,
    SUPERVISE_FIELD,
    VIEW_REVENUE,
    INSPECT_REVENUE,
    ADMINISTER,
}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: frozenset(_ALL),
    Role.MANAGEMENT: frozenset(
        {
            VIEW_CONSUMERS,
            VIEW_REPORTS,
            APPROVE_REVISIONS,
            APPROVE_ADJUSTMENTS,
            VIEW_WORK,
            VIEW_REVENUE,
            INSPECT_REVENUE,
        }
    ),
    # The circle's officer: reviews and approves what is escalated to the circle.
    Role.SE: frozenset(
        {
            VIEW_WORK,
            VIEW_CONSUMERS,
            EDIT_CONNECTIONS,
            APPROVE_REVISIONS,
            APPROVE_ADJUSTMENTS,
            VIEW_REPORTS,
            WORK_ORDERS,
            ASSIGN_WORK_ORDERS,
            HANDLE_COMPLAINTS,
            VIEW_REVENUE,
            INSPECT_REVENUE,
        }
    ),
    Role.EE: frozenset(
        {
            VIEW_WORK,
            WORK_ORDERS,
            ASSIGN_WORK_ORDERS,
            VIEW_CONSUMERS,
            EDIT_CONSUMERS,
            EDIT_CONNECTIONS,
            MANAGE_NETWORK,
            MANAGE_METERS,
            REVIEW_BILLS,
            APPROVE_REVISIONS,
            APPROVE_ADJUSTMENTS,
            VIEW_REPORTS,
            RUN_BILLING,
            HANDLE_COMPLAINTS,
            VIEW_REVENUE,
            INSPECT_REVENUE,
        }
    ),
    Role.SDO: frozenset(
        {
            VIEW_WORK,
            WORK_ORDERS,
            ASSIGN_WORK_ORDERS,
            VIEW_CONSUMERS,
            EDIT_CONSUMERS,
            EDIT_CONNECTIONS,
            MANAGE_NETWORK,
            MANAGE_METERS,
            RUN_BILLING,
            REVIEW_BILLS,
            APPROVE_REVISIONS,
            APPROVE_ADJUSTMENTS,
            VERIFY_CASH,
            VIEW_REPORTS,
            HANDLE_COMPLAINTS,
            SUPERVISE_FIELD,
            VIEW_REVENUE,
            INSPECT_REVENUE,
        }
    ),
    Role.JE: frozenset(
        {
            SUPERVISE_FIELD,
            VIEW_CONSUMERS,
            EDIT_CONSUMERS,
            MANAGE_NETWORK,
            RECORD_READINGS,
            WORK_ORDERS,
            ASSIGN_WORK_ORDERS,
            VIEW_WORK,
            VIEW_REPORTS,
            HANDLE_COMPLAINTS,
            VIEW_REVENUE,
            INSPECT_REVENUE,
        }
    ),
    Role.CASHIER: frozenset({VIEW_CONSUMERS, TAKE_PAYMENTS}),
    Role.METER_READER: frozenset({VIEW_CONSUMERS, RECORD_READINGS}),
    Role.LINEMAN: frozenset({VIEW_CONSUMERS, WORK_ORDERS, VIEW_WORK}),
    Role.HELPDESK: frozenset({VIEW_CONSUMERS, HANDLE_COMPLAINTS, VIEW_WORK}),
    Role.AUDITOR: frozenset({VIEW_CONSUMERS, VIEW_REPORTS, VIEW_WORK, VIEW_REVENUE}),
}

# The office level each role normally sits at (used by the seed and as a sanity check in admin).
HOME_LEVEL: dict[str, str] = {
    Role.SYSTEM_ADMIN: OfficeLevel.DISCOM,
    Role.MANAGEMENT: OfficeLevel.DISCOM,
    Role.SE: OfficeLevel.CIRCLE,
    Role.EE: OfficeLevel.DIVISION,
    Role.SDO: OfficeLevel.SUBDIVISION,
    Role.JE: OfficeLevel.DC,
    Role.CASHIER: OfficeLevel.SUBDIVISION,
    Role.METER_READER: OfficeLevel.DC,
    Role.LINEMAN: OfficeLevel.DC,
    Role.HELPDESK: OfficeLevel.DIVISION,
    Role.AUDITOR: OfficeLevel.CIRCLE,
}


def has_capability(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
