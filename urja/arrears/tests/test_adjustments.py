import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from urja.arrears.adjustments import adjustment_decide, adjustment_request, adjustments_pending_for
from urja.arrears.choices import AdjustmentStatus
from urja.arrears.models import Adjustment
from urja.common import clock
from urja.domain.rules import add_months
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import entry_text
from urja.ledger.models import LedgerEntry
from urja.ledger.selectors import balance
from urja.org.choices import Role
from urja.testing import UserFactory, run_concurrently

D = Decimal


@pytest.fixture
def org(two_subdivisions):
    t = two_subdivisions
    t["sdo_a2"] = UserFactory(username="sdo_a2", role=Role.SDO, office=t["sub_a"])
    t["ee"] = UserFactory(username="ee", role=Role.EE, office=t["division"])
    t["mgmt"] = UserFactory(username="mgmt", role=Role.MANAGEMENT, office=t["discom"])
    t["admin"] = UserFactory(username="admin", role=Role.SYSTEM_ADMIN, office=None)
    t["cashier"] = UserFactory(username="cashier", role=Role.CASHIER, office=t["sub_a"])
    return t


def request(org, maker, amount, reason="meter replaced; units re-assessed"):
    return adjustment_request(consumer=org["consumer_a"], amount=D(amount), reason=reason, by=org[maker])


@pytest.mark.django_db
class TestAdjustments:
    def test_small_by_approver_posts_at_once(self, org):
        adjustment = request(org, "sdo_a", "-250.00")
        assert adjustment.status == AdjustmentStatus.POSTED and adjustment.decided_by == org["sdo_a"]
        entry = LedgerEntry.objects.get(pk=adjustment.ledger_entry_id)
        assert entry.entry_type == EntryType.ADJUSTMENT and entry.amount == D("-250.00")
        assert (entry.source_type, entry.source_id) == ("adjustment", adjustment.pk)
        assert balance(org["consumer_a"].pk) == D("-250.00")
        number = adjustment.pk
        assert entry.description == f"Adjustment #{number} (credit): meter replaced; units re-assessed"
        assert entry_text(entry, "hi") == f"समायोजन #{number} (जमा): meter replaced; units re-assessed"

    def test_at_the_limit_posts_above_waits(self, org):
        assert request(org, "sdo_a", "1000.00").status == AdjustmentStatus.POSTED
        assert request(org, "sdo_a", "-1000.01").status == AdjustmentStatus.PENDING

    def test_small_by_je_waits_and_any_other_approver_may_post(self, org):
        adjustment = request(org, "je_a", "300.00")
        assert adjustment.status == AdjustmentStatus.PENDING and adjustment.ledger_entry_id is None
        assert not LedgerEntry.objects.exists()
        decided = adjustment_decide(
            adjustment_id=adjustment.pk, by=org["sdo_a"], approve=True, note="checked"
        )
        assert decided.status == AdjustmentStatus.POSTED
        entry = LedgerEntry.objects.get(pk=decided.ledger_entry_id)
        assert entry.amount == D("300.00") and "approved by sdo_a: checked" in entry.reason

    def test_maker_cannot_approve_own(self, org):
        adjustment = request(org, "sdo_a", "5000.00")
        with pytest.raises(PermissionDenied, match="maker"):
            adjustment_decide(adjustment_id=adjustment.pk, by=org["sdo_a"], approve=True)
        assert (
            Adjustment.objects.get().status == AdjustmentStatus.PENDING and not LedgerEntry.objects.exists()
        )

    def test_same_level_cannot_approve_large_higher_can(self, org):
        adjustment = request(org, "sdo_a", "-5000.00")
        with pytest.raises(PermissionDenied, match="senior"):
            adjustment_decide(adjustment_id=adjustment.pk, by=org["sdo_a2"], approve=True)
        decided = adjustment_decide(adjustment_id=adjustment.pk, by=org["ee"], approve=True)
        assert decided.status == AdjustmentStatus.POSTED and decided.decided_by == org["ee"]
        assert balance(org["consumer_a"].pk) == D("-5000.00")

    def test_large_from_je_needs_sdo_or_above(self, org):
        adjustment = request(org, "je_a", "2500.00")
        with pytest.raises(PermissionDenied):
            adjustment_decide(adjustment_id=adjustment.pk, by=org["je_b"], approve=True)  # no capability
        assert (
            adjustment_decide(adjustment_id=adjustment.pk, by=org["sdo_a"], approve=True).status == "posted"
        )

    def test_ee_large_needs_management_or_admin(self, org):
        adjustment = request(org, "ee", "8000.00")
        assert adjustment.status == AdjustmentStatus.PENDING
        with pytest.raises(PermissionDenied):
            adjustment_decide(adjustment_id=adjustment.pk, by=org["sdo_a"], approve=True)
        assert (
            adjustment_decide(adjustment_id=adjustment.pk, by=org["admin"], approve=True).status == "posted"
        )
        other = request(org, "ee", "9000.00")
        assert adjustment_decide(adjustment_id=other.pk, by=org["mgmt"], approve=True).status == "posted"

    def test_checker_scoped_to_own_offices(self, org):
        adjustment = request(org, "je_a", "300.00")
        with pytest.raises(PermissionDenied, match="outside"):
            adjustment_decide(adjustment_id=adjustment.pk, by=org["sdo_b"], approve=True)
        assert list(adjustments_pending_for(org["sdo_b"])) == []
        assert list(adjustments_pending_for(org["sdo_a"])) == [adjustment]
        assert list(adjustments_pending_for(org["je_a"])) == []

    def test_reject_needs_note_and_decides_once(self, org):
        adjustment = request(org, "je_a", "300.00")
        with pytest.raises(ValidationError):
            adjustment_decide(adjustment_id=adjustment.pk, by=org["sdo_a"], approve=False, note=" ")
        rejected = adjustment_decide(
            adjustment_id=adjustment.pk, by=org["sdo_a"], approve=False, note="no proof"
        )
        assert rejected.status == AdjustmentStatus.REJECTED and not LedgerEntry.objects.exists()
        assert Adjustment.objects.get(pk=adjustment.pk).decision_note == "no proof"
        with pytest.raises(ValidationError, match="already"):
            adjustment_decide(adjustment_id=adjustment.pk, by=org["ee"], approve=True)

    @pytest.mark.parametrize(("amount", "reason"), [("0", "r"), ("10.005", "r"), ("abc", "r"), ("10", "  ")])
    def test_bad_input_changes_nothing(self, org, amount, reason):
        with pytest.raises(ValidationError):
            adjustment_request(consumer=org["consumer_a"], amount=amount, reason=reason, by=org["sdo_a"])
        assert not Adjustment.objects.exists() and not LedgerEntry.objects.exists()

    def test_float_refused(self, org):
        with pytest.raises(ValidationError):
            adjustment_request(consumer=org["consumer_a"], amount=10.5, reason="r", by=org["sdo_a"])

    def test_maker_needs_capability_and_scope(self, org):
        with pytest.raises(PermissionDenied):
            request(org, "cashier", "100.00")
        with pytest.raises(PermissionDenied, match="outside"):
            request(org, "sdo_b", "100.00")
        assert not Adjustment.objects.exists()


@pytest.mark.django_db
class TestLimitsCannotBeSplit:
    """The approval limit applies to what one officer posts on their own to an account in a month, not
    to each adjustment: ten small ones add up like one large one."""

    def test_small_adjustments_add_up_to_the_limit(self, org):
        assert [request(org, "sdo_a", "-400.00").status for _ in range(2)] == ["posted", "posted"]
        third = request(org, "sdo_a", "-400.00")
        assert third.status == AdjustmentStatus.PENDING
        assert balance(org["consumer_a"].pk) == D("-800.00")
        with pytest.raises(PermissionDenied, match="senior"):
            adjustment_decide(adjustment_id=third.pk, by=org["sdo_a2"], approve=True)
        assert adjustment_decide(adjustment_id=third.pk, by=org["ee"], approve=True).status == "posted"
        # The senior's approval is not the maker's own posting: it does not use up the maker's allowance.
        assert request(org, "sdo_a", "-200.00").status == AdjustmentStatus.POSTED

    def test_ten_small_credits_are_not_ten_within_the_limit(self, org):
        statuses = [request(org, "sdo_a", "-150.00").status for _ in range(10)]
        assert statuses.count("posted") == 6 and statuses[6:] == ["pending"] * 4
        assert balance(org["consumer_a"].pk) == D("-900.00")

    def test_the_limit_is_on_the_net_effect_per_account(self, org):
        assert request(org, "sdo_a", "900.00").status == "posted"
        assert request(org, "sdo_a", "-900.00").status == "posted"  # back to zero: a correction
        assert request(org, "sdo_a", "1000.00").status == "posted"
        assert request(org, "sdo_a", "0.01").status == "pending"
        other = adjustment_request(consumer=org["consumer_b"], amount=D("900.00"), reason="r", by=org["ee"])
        assert other.status == "posted"  # another account has its own limit

    def test_a_new_month_starts_afresh(self, org, travel):
        assert request(org, "sdo_a", "-1000.00").status == "posted"
        assert request(org, "sdo_a", "-1.00").status == "pending"
        next_month = add_months(clock.today().replace(day=1), 1)
        travel.move_to(clock.day_start(next_month) + datetime.timedelta(hours=10))
        assert request(org, "sdo_a", "-1000.00").status == "posted"

    def test_approval_needs_a_rank_above_the_makers(self, org):
        assert request(org, "ee", "800.00").status == "posted"
        over = request(org, "ee", "300.00")
        assert over.status == "pending"
        with pytest.raises(PermissionDenied, match="senior"):
            adjustment_decide(adjustment_id=over.pk, by=org["sdo_a"], approve=True)
        assert adjustment_decide(adjustment_id=over.pk, by=org["mgmt"], approve=True).status == "posted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_makers_at_once_cannot_both_use_the_allowance(org):
    makers = [org["sdo_a"], org["sdo_a2"]]
    results = run_concurrently(
        2,
        lambda i: adjustment_request(
            consumer=org["consumer_a"], amount=D("-600.00"), reason="r", by=makers[i]
        ),
    )
    assert sorted(r.status for r in results) == ["pending", "posted"], results
    assert balance(org["consumer_a"].pk) == D("-600.00")
