"""Irreversible officer actions preview their result and ask for a confirmation; a maker never sees
the approve button on their own request."""

from decimal import Decimal

import pytest
from django.urls import reverse

from urja.arrears import adjustments as adj
from urja.arrears.models import Adjustment
from urja.domain.money import format_indian
from urja.org.choices import Role
from urja.testing import UserFactory


@pytest.fixture
def officers(two_subdivisions):
    t = dict(two_subdivisions)
    t["ee"] = UserFactory(username="ee", role=Role.EE, office=t["division"])
    return t


def _request(maker, consumer):
    # above the limit: the SDO cannot post it at once and needs a senior checker
    amount = -(adj.approval_limit() + Decimal("150"))
    return adj.adjustment_request(consumer=consumer, amount=amount, reason="meter change credit", by=maker)


@pytest.mark.django_db
def test_the_maker_sees_no_decision_buttons_on_their_own_adjustment(client, officers):
    adjustment = _request(officers["sdo_a"], officers["consumer_a"])
    client.force_login(officers["sdo_a"])
    page = client.get(reverse("payments:adjustments")).content.decode()
    assert f'data-testid="adjustment-{adjustment.pk}"' not in page
    assert 'value="approve"' not in page
    # the checker sees it, with a preview of the posting to confirm
    client.force_login(officers["ee"])
    page = client.get(reverse("payments:adjustments")).content.decode()
    assert f'data-testid="adjustment-{adjustment.pk}"' in page
    assert 'data-testid="confirm-adjustment"' in page
    size = adj.approval_limit() + Decimal("150")
    assert (
        f"Post a credit of ₹{format_indian(size)} to account {officers['consumer_a'].account_number} now"
        in page
    )


@pytest.mark.django_db
def test_approving_an_adjustment_needs_the_confirmation(client, officers):
    adjustment = _request(officers["sdo_a"], officers["consumer_a"])
    client.force_login(officers["ee"])
    url = reverse("payments:adjustment_decide", args=[adjustment.pk])
    refused = client.post(url, {f"a{adjustment.pk}-decision": "approve"})
    assert refused.status_code == 400 and "Tick the box to confirm" in refused.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.status == "pending"
    client.post(url, {f"a{adjustment.pk}-decision": "approve", f"a{adjustment.pk}-confirm": "on"})
    adjustment.refresh_from_db()
    assert adjustment.status == "posted"


@pytest.mark.django_db
def test_rejecting_needs_no_confirmation(client, officers):
    adjustment = _request(officers["sdo_a"], officers["consumer_a"])
    client.force_login(officers["ee"])
    client.post(
        reverse("payments:adjustment_decide", args=[adjustment.pk]),
        {f"a{adjustment.pk}-decision": "reject", f"a{adjustment.pk}-note": "no evidence"},
    )
    assert Adjustment.objects.get().status == "rejected"
