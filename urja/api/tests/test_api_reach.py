"""Every API operation that takes an id answers a staff user from another office exactly as it
answers an id that does not exist, and shows nothing of the record. The operations come from the
OpenAPI schema, so one added later is covered too."""

import datetime
import json
import re
from decimal import Decimal

import pytest

from urja.api.services import staff_token_issue
from urja.billing import runs
from urja.billing.models import Bill
from urja.billing.tests.conftest import metered_consumer
from urja.helpdesk.models import Category
from urja.helpdesk.services import ticket_file
from urja.metering.services import reading_record
from urja.testing import next_account_number
from urja.workflow.services import work_order_create

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]
BILLER = "/api/v1/biller/"


@pytest.fixture
def other_office(two_subdivisions):
    """A billed consumer of sub-division B, with its bill and bill run."""
    consumer = metered_consumer(two_subdivisions["dc_b"], serial="MB1")
    consumer.name = "Hidden Person"
    consumer.save(update_fields=["name"])
    reading_record(
        consumer=consumer, reading_date=datetime.date(2026, 7, 31), kwh=Decimal(850), source="manual"
    )
    run = runs.bill_run(cycle_code="2026-07", office=two_subdivisions["dc_b"])
    order = work_order_create(
        "disconnection",
        office=two_subdivisions["dc_b"],
        consumer=consumer,
        reason="Hidden Person's dues",
        by=None,
    )
    ticket = ticket_file(
        category=Category.objects.get(code="no_supply"),
        description="Hidden complaint",
        channel="portal",
        consumer=consumer,
    )
    return {
        "consumer": consumer,
        "bill": Bill.objects.get(consumer=consumer),
        "run": run,
        "order": order,
        "ticket": ticket,
    }


def fill(path, *, account, bill, run, reference, ticket):
    values = {
        "account_number": account,
        "bill_id": str(bill),
        "run_id": str(run),
        "reference": reference,
        "number": ticket,
    }

    def one(match):
        name = match.group(1)
        assert name in values, f"a new path parameter {name!r}: add it to this test"
        return values[name]

    return re.sub(r"\{([^}]+)\}", one, path)


def test_another_offices_records_are_indistinguishable_from_missing_ones(
    client, two_subdivisions, other_office
):
    _, key = staff_token_issue(user=two_subdivisions["je_a"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    schema = client.get("/api/v1/openapi.json").json()
    hidden = other_office["consumer"]
    tried = 0
    for path, item in schema["paths"].items():
        if "{" not in path or path.startswith(BILLER):  # the biller API is a partner's (own test)
            continue
        for method in item:
            there = fill(
                path,
                account=hidden.account_number,
                bill=other_office["bill"].pk,
                run=other_office["run"].pk,
                reference=other_office["order"].reference,
                ticket=other_office["ticket"].number,
            )
            missing = fill(
                path,
                account=next_account_number(),
                bill=999999,
                run=999999,
                reference="WO-2099-999999",
                ticket="HD000000999999",
            )
            answers = []
            for url in (there, missing):
                if method == "get":
                    answers.append(client.get(url, **auth))
                else:
                    answers.append(
                        getattr(client, method)(url, json.dumps({}), content_type="application/json", **auth)
                    )
            where = f"{method.upper()} {path}"
            assert answers[0].status_code == answers[1].status_code and answers[0].status_code in (
                404,
                422,
            ), where
            assert answers[0].json().get("code") == answers[1].json().get("code"), where
            body = answers[0].content.decode()
            assert hidden.name not in body and other_office["bill"].bill_number not in body, where
            assert "Hidden complaint" not in body, where
            tried += 1
    assert tried >= 8
