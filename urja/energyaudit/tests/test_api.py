"""POST /api/v1/energy/input: the CSV import's validation, all or nothing, and who may import."""

import json
from decimal import Decimal as D

import pytest

from urja.api.services import staff_token_issue
from urja.energyaudit.models import InputEnergy
from urja.org.choices import Role
from urja.testing import UserFactory

URL = "/api/v1/energy/input"


def post(client, user, rows, **extra):
    _token, key = staff_token_issue(user=user)
    return client.post(
        URL,
        data=json.dumps({"rows": rows}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


@pytest.fixture
def sdo(network):
    return UserFactory(office=network["sda"], role=Role.SDO)  # SDO: MANAGE_METERS


def test_a_batch_is_imported_and_a_gap_flagged(client, network, sdo):
    rows = [
        {"level": "feeder", "code": "FA", "period": "2025-04", "kwh": "1000.50"},
        {"level": "feeder", "code": "FA", "period": "2025-07", "kwh": 900},
        {"level": "dt", "code": "A1", "period": "2025-04", "kwh": "400"},
    ]
    r = post(client, sdo, rows)
    assert r.status_code == 201, r.content
    assert r.json() == {
        "imported": 3,
        "flagged": [{"row": 2, "reason": "gap in the series: no input for 2025-05 to 2025-06"}],
    }
    stored = InputEnergy.objects.get(feeder=network["fa"], period="2025-07")
    assert stored.kwh == D("900") and stored.flag_reason.startswith("gap in the series")


def test_any_bad_row_rejects_the_whole_batch(client, network, sdo):
    InputEnergy.objects.create(feeder=network["fa"], period="2025-03", kwh=D("10"))
    rows = [
        {"level": "feeder", "code": "FA", "period": "2025-04", "kwh": "1000"},  # good
        {"level": "feeder", "code": "NOPE", "period": "2025-04", "kwh": "1"},
        {"level": "dt", "code": "A1", "period": "2025-04", "kwh": "-5"},
        {"level": "dt", "code": "A2", "period": "2025-13", "kwh": "5"},
        {"level": "feeder", "code": "FA", "period": "2025-04", "kwh": "7"},  # twice in the batch
        {"level": "feeder", "code": "FA", "period": "2025-03", "kwh": "7"},  # already stored
        {"level": "dt", "code": "A2", "period": "2025-04", "kwh": "5", "meter": "NO-SUCH-METER"},
    ]
    r = post(client, sdo, rows)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "energy_rejected"
    assert [(e["row"], e["reason"]) for e in body["errors"]] == [
        (2, "unknown feeder NOPE"),
        (3, "kwh is negative: -5"),
        (4, "period must be a month YYYY-MM, not '2025-13'"),
        (5, "duplicate period 2025-04 for FA (see row 1)"),
        (6, "duplicate period 2025-03 for FA (already imported)"),
        (7, "unknown meter NO-SUCH-METER"),
    ]
    assert InputEnergy.objects.count() == 1  # nothing written


def test_a_user_without_the_capability_is_refused(client, network):
    auditor = UserFactory(office=network["sda"], role=Role.AUDITOR)  # views reports, no MANAGE_METERS
    r = post(client, auditor, [{"level": "feeder", "code": "FA", "period": "2025-04", "kwh": "1"}])
    assert r.status_code == 403
    assert not InputEnergy.objects.exists()


def test_a_partner_key_is_refused(client, network):
    from urja.api.models import Partner, hash_key

    Partner.objects.create(name="bank", key_prefix="p", key_hash=hash_key("partner-key"))
    r = client.post(
        URL,
        data=json.dumps({"rows": [{"level": "feeder", "code": "FA", "period": "2025-04", "kwh": "1"}]}),
        content_type="application/json",
        HTTP_X_API_KEY="partner-key",
    )
    assert r.status_code == 401
    assert not InputEnergy.objects.exists()


def test_an_office_cannot_import_for_another_offices_feeders(client, network, sdo):
    r = post(
        client,
        sdo,
        [
            {"level": "feeder", "code": "FB", "period": "2025-04", "kwh": "1"},
            {"level": "dt", "code": "B1", "period": "2025-04", "kwh": "1"},
        ],
    )
    assert r.status_code == 422
    assert [e["reason"] for e in r.json()["errors"]] == ["unknown feeder FB", "unknown DT B1"]
    assert not InputEnergy.objects.exists()
