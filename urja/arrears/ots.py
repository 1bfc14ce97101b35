"""One-time settlement (OTS) schemes: register, pay, and the waiver posts as ledger entries.

A scheme is data (:class:`~urja.payments.models.OtsScheme`): eligible categories with their maximum
sanctioned load, the registration window, a registration deposit (percent of the principal), the
surcharge waiver percent and the principal rebate percent by phase, e.g.::

    categories = [{"category": "LMV1-URBAN", "max_load": "2"}, {"category": "LMV2-URBAN", "max_load": "1"}]
    principal_rebate_phases = [{"until": "2025-12-31", "percent": "25"},
                               {"until": "2026-01-31", "percent": "15"},
                               {"until": "2026-02-28", "percent": "10"}]

Rules chosen:

* Registration (``ots_register``) is open from ``registration_opens`` to ``registration_closes``
  (both inclusive) to an account of an eligible category whose sanctioned load is at most the
  category's ``max_load`` (in the account's own load unit) and which owes something. The principal
  and surcharge outstanding are taken from the open dues at the end of the day before the registration
  date (payments from the registration date on count towards the settlement) and frozen on the
  registration, with the surcharge to be waived and the deposit due (``deposit %`` of the principal).
* The scheme runs until the last phase's ``until`` date (the registration close when there are no
  phases). While it runs, ``lpsc apply`` skips registered accounts.
* Settlement (``ots_settle``): the payments the account made from the registration date up to the
  settlement date are added up in the order they were made; the scheme is earned on the first date
  ``d`` on which they reach ``principal − rebate(d) + surcharge − surcharge waived``, where
  ``rebate(d)`` is the phase percent of the principal on ``d`` (rounded to the paisa, half up). The
  waiver then posts as two ledger ADJUSTMENT credits ("OTS surcharge waiver …" and "OTS principal
  rebate …") and the registration is marked settled; a settled registration is never settled again.
  With a 100 % waiver and exactly the required payment, the account's balance is then zero (apart
  from bills raised after the registration).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from urja.common import clock
from urja.customers.models import Consumer
from urja.domain.allocation import PRINCIPAL, SURCHARGE
from urja.domain.money import round_paisa
from urja.ledger.choices import EntryType
from urja.ledger.descriptions import OTS_REBATE, OTS_WAIVER, describe
from urja.ledger.selectors import open_dues
from urja.ledger.services import entry_post
from urja.org import roles
from urja.org.permissions import user_covers
from urja.payments.choices import PaymentStatus
from urja.payments.models import Payment

from .models import OtsRegistration, OtsScheme

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


# --- the scheme as data -----------------------------------------------------------------------------------


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def rebate_phases(scheme: OtsScheme) -> list[tuple[datetime.date, Decimal]]:
    """The phases as (last day, percent), earliest first."""
    return sorted(
        (_date(p["until"]), Decimal(str(p["percent"]))) for p in scheme.principal_rebate_phases or []
    )


def scheme_ends(scheme: OtsScheme) -> datetime.date:
    phases = rebate_phases(scheme)
    return phases[-1][0] if phases else scheme.registration_closes


def rebate_percent(scheme: OtsScheme, on: datetime.date) -> Decimal | None:
    """The principal rebate percent for a payment on `on`; None once the scheme has ended."""
    for until, percent in rebate_phases(scheme):
        if on <= until:
            return percent
    return None if on > scheme_ends(scheme) else ZERO


def scheme_validate(scheme: OtsScheme) -> None:
    """Raise ValidationError when the scheme's data is malformed (used by the seed and admin)."""
    errors = {}
    if scheme.registration_closes < scheme.registration_opens:
        errors["registration_closes"] = _("Registration closes before it opens.")
    try:
        for entry in scheme.categories:
            if not entry.get("category") or Decimal(str(entry.get("max_load", "0"))) <= 0:
                raise ValueError
    except (ValueError, TypeError, AttributeError, ArithmeticError):
        errors["categories"] = _('Give each category as {"category": "LMV1-URBAN", "max_load": "2"}.')
    try:
        phases = rebate_phases(scheme)
        if any(not ZERO <= percent <= HUNDRED for _until, percent in phases):
            raise ValueError
    except (ValueError, TypeError, KeyError, ArithmeticError):
        errors["principal_rebate_phases"] = _('Give each phase as {"until": "2026-01-31", "percent": "15"}.')
    for name in ("registration_deposit_percent", "surcharge_waiver_percent"):
        if not ZERO <= getattr(scheme, name) <= HUNDRED:
            errors[name] = _("A percentage is between 0 and 100.")
    if errors:
        raise ValidationError(errors)


def eligibility_problem(scheme: OtsScheme, consumer: Consumer) -> str | None:
    """Why `consumer`'s connection is not eligible for `scheme` (None when it is)."""
    for entry in scheme.categories:
        if entry.get("category") == consumer.category:
            max_load = Decimal(str(entry.get("max_load")))
            if consumer.sanctioned_load > max_load:
                return _("The scheme is for loads up to %(max)s %(unit)s; this connection has %(load)s.") % {
                    "max": f"{max_load.normalize():f}",
                    "unit": consumer.load_unit,
                    "load": consumer.load_display,
                }
            return None
    return _("The scheme is not open to the %(category)s category.") % {"category": consumer.category}


# --- registration -----------------------------------------------------------------------------------------


def _check_staff(by, consumer: Consumer) -> None:
    """Registration is done by staff who edit accounts or take payments, within their offices; by=None
    means the consumer registered on the portal (the caller authenticated them)."""
    if by is None:
        return
    if not (by.can(roles.EDIT_CONSUMERS) or by.can(roles.TAKE_PAYMENTS)):
        raise PermissionDenied(_("You may not register consumers for a settlement scheme."))
    if not user_covers(by, consumer.office):
        raise PermissionDenied(_("This account is outside your offices."))


def ots_register(*, scheme: OtsScheme, consumer: Consumer, on: datetime.date, by=None) -> OtsRegistration:
    """Register `consumer` in `scheme` on `on`: freezes the principal and surcharge outstanding then,
    the surcharge to be waived and the deposit due."""
    if on > clock.today():
        raise ValidationError({"on": _("The registration date is in the future.")})
    if not scheme.registration_opens <= on <= scheme.registration_closes:
        raise ValidationError(
            _("Registration for %(scheme)s is open from %(opens)s to %(closes)s.")
            % {
                "scheme": scheme.code,
                "opens": scheme.registration_opens,
                "closes": scheme.registration_closes,
            }
        )
    _check_staff(by, consumer)
    problem = eligibility_problem(scheme, consumer)
    if problem:
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            locked = Consumer.objects.select_for_update().get(pk=consumer.pk)
            if OtsRegistration.objects.filter(scheme=scheme, consumer=locked).exists():
                raise ValidationError(
                    _("This account is already registered in %(scheme)s.") % {"scheme": scheme.code}
                )
            # Frozen as at the end of the day before: every payment from the registration day on
            # counts towards the settlement (see _payments_since), so none may also lower the dues.
            dues, _balance = open_dues(locked.pk, as_of=on - datetime.timedelta(days=1))
            principal = sum((d.amount for d in dues if d.kind == PRINCIPAL), ZERO)
            surcharge = sum((d.amount for d in dues if d.kind == SURCHARGE), ZERO)
            if principal + surcharge <= 0:
                raise ValidationError(_("This account owes nothing: there is nothing to settle."))
            registration = OtsRegistration(
                scheme=scheme,
                consumer=locked,
                registered_on=on,
                principal=principal,
                surcharge=surcharge,
                surcharge_waived=round_paisa(surcharge * scheme.surcharge_waiver_percent / HUNDRED),
                deposit_due=round_paisa(principal * scheme.registration_deposit_percent / HUNDRED),
                registered_by=by,
            )
            registration.full_clean(
                exclude=["scheme", "consumer", "registered_by"], validate_constraints=False
            )
            registration.save()
            return registration
    except IntegrityError:
        raise ValidationError(
            _("This account is already registered in %(scheme)s.") % {"scheme": scheme.code}
        )


# --- what to pay, and settlement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OtsQuote:
    """What the consumer must pay in total to settle, if the requirement is met on `on`."""

    on: datetime.date
    rebate_percent: Decimal | None  # None: the scheme has ended
    principal_rebate: Decimal
    surcharge_waived: Decimal
    required: Decimal  # principal − rebate + surcharge − waived
    paid: Decimal  # payments since registration up to `on`
    deposit_due: Decimal

    @property
    def still_to_pay(self) -> Decimal:
        return max(self.required - self.paid, ZERO)

    @property
    def deposit_paid(self) -> bool:
        return self.paid >= self.deposit_due


def _payments_since(registration: OtsRegistration, on: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    since = clock.day_start(registration.registered_on)
    rows = Payment.objects.filter(
        consumer_id=registration.consumer_id, status=PaymentStatus.POSTED, paid_at__gte=since
    ).values_list("paid_at", "amount")
    result = sorted((clock.local_date(paid_at), amount) for paid_at, amount in rows)
    return [(day, amount) for day, amount in result if registration.registered_on <= day <= on]


def _required(registration: OtsRegistration, percent: Decimal) -> tuple[Decimal, Decimal]:
    rebate = round_paisa(registration.principal * percent / HUNDRED)
    required = registration.principal - rebate + registration.surcharge - registration.surcharge_waived
    return rebate, required


def ots_quote(*, registration: OtsRegistration, on: datetime.date) -> OtsQuote:
    """The settlement amount for a payment completed on `on` and what has been paid towards it."""
    percent = rebate_percent(registration.scheme, on)
    rebate, required = _required(registration, percent or ZERO)
    paid = sum((amount for _day, amount in _payments_since(registration, on)), ZERO)
    return OtsQuote(
        on=on,
        rebate_percent=percent,
        principal_rebate=rebate if percent is not None else ZERO,
        surcharge_waived=registration.surcharge_waived if percent is not None else ZERO,
        required=required if percent is not None else registration.principal + registration.surcharge,
        paid=paid,
        deposit_due=registration.deposit_due,
    )


def earned_on(
    registration: OtsRegistration, on: datetime.date
) -> tuple[datetime.date, Decimal, Decimal] | None:
    """The first date the payments since registration met the requirement of that date's phase, with
    the phase percent and the rebate; None when they have not (yet)."""
    paid = ZERO
    for day, amount in _payments_since(registration, on):
        paid += amount
        percent = rebate_percent(registration.scheme, day)
        if percent is None:
            return None
        rebate, required = _required(registration, percent)
        if paid >= required:
            return day, percent, rebate
    return None


def ots_settle(*, registration: OtsRegistration, on: datetime.date, by=None) -> OtsRegistration:
    """Post the waiver and rebate once the consumer has paid what the scheme requires."""
    if on > clock.today():
        raise ValidationError({"on": _("The settlement date is in the future.")})
    if by is not None and not (by.can(roles.EDIT_CONSUMERS) or by.can(roles.TAKE_PAYMENTS)):
        raise PermissionDenied(_("You may not settle a settlement scheme registration."))
    with transaction.atomic():
        consumer = Consumer.objects.select_for_update().get(pk=registration.consumer_id)
        _check_staff(by, consumer)
        registration = (
            OtsRegistration.objects.select_for_update().select_related("scheme").get(pk=registration.pk)
        )
        if registration.settled:
            raise ValidationError(_("This registration has already been settled."))
        earned = earned_on(registration, on)
        if earned is None:
            quote = ots_quote(registration=registration, on=on)
            if quote.rebate_percent is None:
                raise ValidationError(
                    _("The scheme %(scheme)s ended on %(end)s before the required amount was paid.")
                    % {"scheme": registration.scheme.code, "end": scheme_ends(registration.scheme)}
                )
            raise ValidationError(
                _("Paid %(paid)s of %(required)s required; %(left)s more is needed to settle.")
                % {"paid": quote.paid, "required": quote.required, "left": quote.still_to_pay}
            )
        day, percent, rebate = earned
        scheme = registration.scheme
        common = {
            "consumer": consumer,
            "entry_type": EntryType.ADJUSTMENT,
            "entry_date": on,
            "by": by,
            "source_type": "ots",
            "source_id": registration.pk,
            "lock": False,
            "reason": f"OTS {scheme.code} settled (requirement met on {day:%d-%m-%Y})",
        }
        if registration.surcharge_waived > 0:
            entry_post(
                amount=-registration.surcharge_waived,
                **describe(
                    OTS_WAIVER,
                    scheme=scheme.code,
                    percent=f"{scheme.surcharge_waiver_percent.normalize():f}",
                    base=f"{registration.surcharge:.2f}",
                ),
                **common,
            )
        if rebate > 0:
            entry_post(
                amount=-rebate,
                **describe(
                    OTS_REBATE,
                    scheme=scheme.code,
                    percent=f"{percent.normalize():f}",
                    base=f"{registration.principal:.2f}",
                    day=f"{day:%d-%m-%Y}",
                ),
                **common,
            )
        registration.principal_rebate = rebate
        registration.settled = True
        registration.save(update_fields=["principal_rebate", "settled", "updated_at"])
        return registration


# --- demo data ---------------------------------------------------------------------------------------------

DEMO_SCHEME = {
    "code": "OTS-2025-26",
    "name": "One-time settlement scheme, December 2025 – February 2026",
    "name_hi": "एकमुश्त समाधान योजना, दिसंबर 2025 – फ़रवरी 2026",
    "categories": [
        {"category": "LMV1-LIFELINE", "max_load": "2"},
        {"category": "LMV1-RURAL-UM", "max_load": "2"},
        {"category": "LMV1-RURAL", "max_load": "2"},
        {"category": "LMV1-URBAN", "max_load": "2"},
        {"category": "LMV2-URBAN", "max_load": "1"},
    ],
    "registration_opens": datetime.date(2025, 12, 1),
    "registration_closes": datetime.date(2026, 2, 28),
    # Not stated in DOMAIN.md: set the deposit from the scheme's order before relying on it.
    "registration_deposit_percent": Decimal("0"),
    "surcharge_waiver_percent": Decimal("100"),
    "principal_rebate_phases": [
        {"until": "2025-12-31", "percent": "25"},
        {"until": "2026-01-31", "percent": "15"},
        {"until": "2026-02-28", "percent": "10"},
    ],
    "source": "DOMAIN.md: Dec 2025 – Feb 2026, 100% surcharge waiver, 25/15/10% principal rebate by phase, "
    "LMV-1 ≤ 2 kW and LMV-2 ≤ 1 kW (press reports); deposit % not known",
}


def ots_scheme_seed_demo() -> tuple[OtsScheme, bool]:
    """Create the Dec 2025 – Feb 2026 scheme of DOMAIN.md as data (once; returns it and whether new)."""
    with transaction.atomic():
        existing = OtsScheme.objects.filter(code=DEMO_SCHEME["code"]).first()
        if existing is not None:
            return existing, False
        scheme = OtsScheme(**DEMO_SCHEME)
        scheme.full_clean()
        scheme_validate(scheme)
        scheme.save()
        return scheme, True
