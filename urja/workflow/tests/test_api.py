"""The field app's work-order API: list assigned, complete with an Idempotency-Key."""

import pytest

from urja.api.services import staff_token_issue
from urja.workflow import services
from urja.workflow.choices import EventKind, WorkOrderStatus
from urja.workflow.models import WorkOrder

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00:00+05:30")]


def bearer(user, **headers):
    _, key = staff_token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", **headers}


@pytest.fixture
def order(org):
    return services.work_order_create(
        "reconnection", office=org["dc"], reason="Dues paid", by=org["je"], assigned_to=org["lineman"]
    )


BODY = {
    "readings": [{"register": "kwh", "value": "4521.50", "meter": "UPM123"}],
    "photos": ["photo-1.jpg"],
    "gps": {"lat": "26.850000", "lon": "80.950000"},
    "remarks": "Reconnected",
}


def complete(client, user, reference, key="key-0001-abcd", body=BODY):
    return client.post(
        f"/api/v1/work-orders/{reference}/complete",
        body,
        content_type="application/json",
        **bearer(user, HTTP_IDEMPOTENCY_KEY=key),
    )


def test_assigned_lists_only_my_open_orders(client, org, order):
    services.work_order_create("disconnection", office=org["dc"], reason="Other", by=org["je"])  # unassigned
    response = client.get("/api/v1/work-orders/assigned", **bearer(org["lineman"]))
    assert response.status_code == 200
    body = response.json()
    assert [row["reference"] for row in body["items"]] == [order.reference]
    assert body["items"][0]["kind"] == "reconnection" and body["items"][0]["assigned_to"] == "wf_lineman"
    assert client.get("/api/v1/work-orders/assigned", **bearer(org["other_lineman"])).json()["items"] == []


def test_a_role_without_field_work_is_refused(client, org, order):
    assert client.get("/api/v1/work-orders/assigned", **bearer(org["cashier"])).status_code == 403
    assert complete(client, org["cashier"], order.reference).status_code == 403


def test_another_office_is_404(client, org, order):
    assert (
        client.get(f"/api/v1/work-orders/{order.reference}", **bearer(org["other_lineman"])).status_code
        == 404
    )
    assert complete(client, org["other_lineman"], order.reference).status_code == 404
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrderStatus.ASSIGNED


def test_complete_and_retry_with_the_same_key_changes_nothing(client, org, order):
    first = complete(client, org["lineman"], order.reference)
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["status"] == "done" and body["completed_by"] == "wf_lineman"
    assert body["result"]["readings"] == [{"register": "kwh", "value": "4521.50", "meter": "UPM123"}]
    assert body["result"]["gps"] == {"lat": 26.85, "lon": 80.95}
    stored = WorkOrder.objects.get(pk=order.pk)
    retry = complete(client, org["lineman"], order.reference, body={**BODY, "remarks": "changed on retry"})
    assert retry.status_code == 200 and retry.json() == body
    again = WorkOrder.objects.get(pk=order.pk)
    assert (again.updated_at, again.result) == (stored.updated_at, stored.result)
    other_key = complete(client, org["lineman"], order.reference, key="key-0002-abcd")
    assert other_key.status_code == 409 and other_key.json()["code"] == "refused"
    assert client.get("/api/v1/work-orders/assigned", **bearer(org["lineman"])).json()["items"] == []


def test_completion_needs_the_key_and_valid_values(client, org, order):
    no_key = client.post(
        f"/api/v1/work-orders/{order.reference}/complete", BODY, content_type="application/json",
        **bearer(org["lineman"]),
    )  # fmt: skip
    assert no_key.status_code == 422
    bad_gps = complete(
        client, org["lineman"], order.reference, body={**BODY, "gps": {"lat": "91", "lon": "0"}}
    )
    assert bad_gps.status_code == 422
    assert WorkOrder.objects.get(pk=order.pk).status == WorkOrderStatus.ASSIGNED


def test_not_assigned_to_me_is_403(client, org):
    from urja.testing import UserFactory

    order = services.work_order_create("reconnection", office=org["dc"], reason="Dues paid", by=org["je"])
    second = UserFactory(username="wf_lineman2", role="lineman", office=org["dc"])
    assert complete(client, second, order.reference).status_code == 403


def test_completion_advances_the_process(client, process, org):
    item = services.start("wftest", office=org["dc"], by=org["je"])
    services.transition(item, "inspect", by=org["je"])
    order = item.work_orders.get()
    services.work_order_assign(order, to=org["lineman"], by=org["je"])
    assert complete(client, org["lineman"], order.reference).status_code == 200
    assert complete(client, org["lineman"], order.reference).status_code == 200  # retried
    item.refresh_from_db()
    assert item.state == "verified"
    assert item.events.filter(kind=EventKind.TRANSITION, action="inspected").count() == 1


def test_the_assigned_list_does_not_query_per_row(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = bearer(org["lineman"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/work-orders/assigned", **headers).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for _ in range(n):
            services.work_order_create(
                "reconnection", office=org["dc"], reason="Dues paid", by=org["je"], assigned_to=org["lineman"]
            )

    add(1)
    few = count()
    add(4)
    assert count() == few
