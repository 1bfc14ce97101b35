"""Forms of the portal's request pages. They parse what a person typed (digits of any script read as
ASCII) and leave every rule to the services."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from urja.common import clock
from urja.common.inputs import DateField
from urja.connections.models import ApplicationDocument, AreaClass
from urja.connections.portal import ONLINE_CATEGORIES, PREFERRED_WITHIN_DAYS, offices_for_applicants
from urja.customers.choices import KycDocument, TariffCategory
from urja.domain.inputs import ascii_digits

CATEGORY_CHOICES = [(c, label) for c, label in TariffCategory.choices if c in ONLINE_CATEGORIES]


class AsciiDecimalField(forms.DecimalField):
    def to_python(self, value):
        return super().to_python(ascii_digits(value).strip() if isinstance(value, str) else value)


class PositionField(forms.CharField):
    """A GPS coordinate from the browser, rounded to the 6 places (about 0.1 m) stored."""

    def to_python(self, value):
        value = ascii_digits(super().to_python(value) or "").strip()
        if not value:
            return None
        try:
            return Decimal(value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise ValidationError(_("The position is not a number.")) from None


def _photo_input():
    return forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png", "capture": "environment", "data-scale-photo": "200000"}
    )


class ReadingForm(forms.Form):
    kwh = AsciiDecimalField(
        label=_("Reading shown on the meter (kWh)"), min_value=0, max_digits=10, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    photo = forms.FileField(label=_("Photo of the meter display"), widget=_photo_input())


class ReadingConfirmForm(forms.Form):
    kwh = AsciiDecimalField(min_value=0, max_digits=10, decimal_places=2, widget=forms.HiddenInput)
    confirmed = forms.BooleanField(label=_("Yes, this is what the meter shows"), required=True)


class ComplaintForm(forms.Form):
    category = forms.ModelChoiceField(label=_("What is the problem?"), queryset=None, empty_label=None)
    description = forms.CharField(
        label=_("Describe the problem"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label=_("Where (address or landmark)"), max_length=255, required=False)
    photo = forms.FileField(label=_("Photo (optional)"), required=False, widget=_photo_input())
    latitude = PositionField(required=False, widget=forms.HiddenInput)
    longitude = PositionField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = _with_sla


def _with_sla(category) -> str:
    """A category as the consumer chooses it: its name and the hours the office has to resolve it."""
    return _("%(name)s (within %(hours)s hours)") % {"name": category.name, "hours": category.sla_hours}


class TheftForm(forms.Form):
    account_number = forms.CharField(
        label=_("Account number of the premises (if known)"), max_length=10, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    office = forms.ModelChoiceField(label=_("Electricity office of the area"), queryset=None, required=False)
    address = forms.CharField(
        label=_("Where is electricity being stolen? (address or landmark)"), max_length=255
    )
    description = forms.CharField(
        label=_("What did you see?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False, widget=_photo_input())
    latitude = PositionField(required=False, widget=forms.HiddenInput)
    longitude = PositionField(required=False, widget=forms.HiddenInput)
    anonymous = forms.BooleanField(label=_("Report without my name or mobile"), required=False, initial=True)
    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    mobile = forms.CharField(label=_("Your mobile (optional)"), max_length=10, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for_applicants()

    def clean_account_number(self):
        return ascii_digits(self.cleaned_data["account_number"]).strip()

    def clean_mobile(self):
        return ascii_digits(self.cleaned_data["mobile"]).strip()


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the problem not solved?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well was your complaint handled?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 — very good")), (4, _("4 — good")), (3, _("3 — fair")), (2, _("2 — poor")),
                 (1, _("1 — very poor"))],
    )  # fmt: skip


class ApplicationForm(forms.Form):
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=120)
    father_husband_name = forms.CharField(label=_("Father's / husband's name"), max_length=120)
    address = forms.CharField(label=_("Address of the premises"), max_length=255)
    village_town = forms.CharField(label=_("Village / town"), max_length=80)
    district = forms.CharField(label=_("District"), max_length=60)
    office = forms.ModelChoiceField(label=_("Electricity office of the area"), queryset=None)
    area_class = forms.ChoiceField(label=_("Area"), choices=AreaClass.choices)
    category = forms.ChoiceField(label=_("Kind of connection"), choices=CATEGORY_CHOICES)
    load = AsciiDecimalField(label=_("Load needed (kW)"), min_value=Decimal("0.5"), max_digits=6, decimal_places=2,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    kyc_document = forms.ChoiceField(label=_("Identity document (e-KYC)"), choices=KycDocument.choices)
    kyc_number = forms.CharField(label=_("Its number"), max_length=24,
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))  # fmt: skip
    date_1 = DateField(label=_("Preferred inspection date 1"), widget=forms.DateInput(attrs={"type": "date"}))
    date_2 = DateField(label=_("Preferred inspection date 2"), widget=forms.DateInput(attrs={"type": "date"}))
    date_3 = DateField(label=_("Preferred inspection date 3"), widget=forms.DateInput(attrs={"type": "date"}))
    id_proof = forms.FileField(label=_("Proof of identity (PDF, JPEG or PNG, at most 2 MB)"),
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))  # fmt: skip
    address_proof = forms.FileField(label=_("Proof of ownership or occupancy (PDF, JPEG or PNG, at most 2 MB)"),
                                    widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))  # fmt: skip
    photo = forms.FileField(label=_("Your photograph (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for_applicants()
        first = clock.today() + datetime.timedelta(days=1)
        last = clock.today() + datetime.timedelta(days=PREFERRED_WITHIN_DAYS)
        for name in ("date_1", "date_2", "date_3"):  # the date picker offers only the days allowed
            self.fields[name].widget.attrs.update(min=first.isoformat(), max=last.isoformat())

    def documents(self) -> list[tuple[str, object]]:
        kinds = {"id_proof": ApplicationDocument.Kind.ID_PROOF, "address_proof": ApplicationDocument.Kind.ADDRESS_PROOF,
                 "photo": ApplicationDocument.Kind.PHOTO}  # fmt: skip
        return [
            (kind.value, self.cleaned_data[name])
            for name, kind in kinds.items()
            if self.cleaned_data.get(name)
        ]


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Application or complaint number"), max_length=24)


class LoadChangeForm(forms.Form):
    sanctioned_load = AsciiDecimalField(label=_("New load (kW)"), min_value=Decimal("0.5"), max_digits=6,
                                        decimal_places=2, widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    reason = forms.CharField(label=_("Why (optional)"), max_length=500, required=False)


class CategoryChangeForm(forms.Form):
    category = forms.ChoiceField(label=_("New category"), choices=CATEGORY_CHOICES)
    reason = forms.CharField(label=_("Why"), max_length=500)


class NameTransferForm(forms.Form):
    new_name = forms.CharField(label=_("New holder's name"), max_length=120)
    kyc_document = forms.ChoiceField(label=_("New holder's identity document"), choices=KycDocument.choices)
    kyc_number = forms.CharField(
        label=_("Its number"), max_length=24, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    reason = forms.CharField(label=_("Why (sale, inheritance …)"), max_length=500)


class PermanentDisconnectionForm(forms.Form):
    reason = forms.CharField(label=_("Why should the connection end?"), max_length=500)
    confirm = forms.BooleanField(
        label=_("I understand the connection will be ended and the deposit settled against dues")
    )


class BillRevisionForm(forms.Form):
    bill = forms.ModelChoiceField(label=_("Which bill?"), queryset=None, empty_label=None)
    reason = forms.CharField(
        label=_("What is wrong with it?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, bills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bill"].queryset = bills
        self.fields["bill"].label_from_instance = lambda b: f"{b.period} · {b.bill_number} · ₹{b.payable}"
