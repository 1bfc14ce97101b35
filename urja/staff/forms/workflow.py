import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from urja.domain.inputs import ascii_digits
from urja.org.models import User


class ActionForm(forms.Form):
    """Taking an action on a work item: a reason (where needed) and an optional document."""

    reason = forms.CharField(
        label=_("Reason / remarks"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    document_kind = forms.CharField(
        label=_("Document (kind)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"list": "doc-kinds"}),
    )
    document_name = forms.CharField(label=_("Document name or number"), required=False, max_length=200)
    document_file = forms.FileField(label=_("Scanned document"), required=False)
    confirm = forms.BooleanField(label=_("I have read what will happen and confirm it"), required=True)

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        if action is not None and action.needs_reason:
            self.fields["reason"].required = True
        if action is None or not action.irreversible:
            del self.fields["confirm"]

    def clean(self):
        data = super().clean()
        if (data.get("document_name") or data.get("document_file")) and not data.get("document_kind"):
            self.add_error("document_kind", _("Say what kind of document this is."))
        return data


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Give to"), queryset=User.objects.none())

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["to"].queryset = candidates


def _coordinate(value: str, label) -> float | None:
    """A latitude or longitude typed in (Devanagari digits too); None when left empty."""
    value = ascii_digits((value or "").strip())
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise forms.ValidationError(_("%(field)s must be a number.") % {"field": label})
    return float(number)  # a position, not money


class CompleteForm(forms.Form):
    """Completing a work order by hand: what the field app would send."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    reading_register = forms.CharField(
        label=_("Meter register"), required=False, max_length=20, initial="kwh"
    )
    reading_value = forms.CharField(label=_("Reading"), required=False, max_length=20)
    meter_serial = forms.CharField(label=_("Meter serial number"), required=False, max_length=40)
    latitude = forms.CharField(label=_("Latitude"), required=False, max_length=20)
    longitude = forms.CharField(label=_("Longitude"), required=False, max_length=20)
    photo_reference = forms.CharField(label=_("Photo reference"), required=False, max_length=200)
    remarks = forms.CharField(label=_("Remarks"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["key"] = f"console-{uuid.uuid4()}"  # a double submit completes once

    def clean(self):
        data = super().clean()
        lat = _coordinate(data.get("latitude", ""), _("Latitude"))
        lon = _coordinate(data.get("longitude", ""), _("Longitude"))
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        data["gps"] = {"lat": lat, "lon": lon} if lat is not None else None
        if data.get("reading_value"):
            try:
                value = Decimal(ascii_digits(data["reading_value"].strip()))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or value < 0:
                self.add_error("reading_value", _("A reading is a number of zero or more."))
        return data

    def result(self) -> dict:
        data = self.cleaned_data
        result: dict = {"remarks": data["remarks"], "readings": [], "photos": []}
        if data.get("reading_value"):
            reading = {
                "register": data.get("reading_register") or "kwh",
                "value": ascii_digits(data["reading_value"]),
            }
            if data.get("meter_serial"):
                reading["meter"] = data["meter_serial"]
            result["readings"].append(reading)
        if data.get("photo_reference"):
            result["photos"].append(data["photo_reference"])
        if data.get("gps"):
            result["gps"] = data["gps"]
        return result


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
