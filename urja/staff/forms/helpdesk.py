"""Forms of the helpdesk pages. They check formats; the helpdesk services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urja.common.inputs import DateField
from urja.domain import mobile as mob
from urja.helpdesk.choices import Channel
from urja.helpdesk.selectors import categories
from urja.org.selectors import offices_for_user


class TicketFileForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How it came"),
        choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.STAFF, Channel.STAFF.label)],
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=categories(), empty_label=None)
    account_number = forms.CharField(
        label=_("Account number (if the caller is a consumer)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    office = forms.ModelChoiceField(
        label=_("Office of the address (for a non-consumer)"), queryset=None, required=False
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=120, required=False)
    caller_mobile = forms.CharField(
        label=_("Caller's mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address / landmark"), max_length=255, required=False)
    description = forms.CharField(
        label=_("Complaint"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    anonymous = forms.BooleanField(label=_("Anonymous theft report (keep no name or mobile)"), required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("auto_id", "tk_%s")
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for_user(user).order_by("path")

    def clean_caller_mobile(self):
        value = self.cleaned_data["caller_mobile"].strip()
        if not value:
            return ""
        try:
            return mob.normalize(value)
        except mob.InvalidMobile as exc:
            raise forms.ValidationError(str(exc)) from None


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    photo = forms.ImageField(label=_("Photo of the work"), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not resolved"), max_length=1000)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Caller's rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)]
    )


class ReviseForm(forms.Form):
    bill = forms.IntegerField(widget=forms.HiddenInput)
    units = forms.DecimalField(
        label=_("Corrected units (empty: price again as billed)"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AssessForm(forms.Form):
    connected_load_kw = forms.DecimalField(
        label=_("Connected load found (kW)"), max_digits=8, decimal_places=3, min_value=0
    )
    report = forms.CharField(
        label=_("Inspection report"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    report_file = forms.FileField(label=_("Inspection report (scan or photo)"), required=False)


class ReportForm(forms.Form):
    start = DateField(label=_("Filed from"))
    end = DateField(label=_("to"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
