"""Forms of the collection pages. They check what a form can (formats, required fields); the services
check everything else and their errors are put back on the form."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from urja.common import clock
from urja.common.inputs import DateField
from urja.org.choices import OfficeLevel
from urja.org.selectors import offices_for_user


class AdjustmentRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (₹): + debit, − credit"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "-250.00"}
        ),
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "adj_%s")
        super().__init__(*args, **kwargs)


class AdjustmentDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note (required to reject)"), max_length=255, required=False)
    # Approving posts to the ledger, which is never edited: the checker confirms what the page previews.
    confirm = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("confirm"):
            raise forms.ValidationError(
                _(
                    "Tick the box to confirm the posting before approving: a posted adjustment cannot be undone."
                )
            )
        return data


class OtsRegisterForm(forms.Form):
    scheme = forms.IntegerField(widget=forms.HiddenInput)


class LpscRunForm(forms.Form):
    on = DateField(label=_("Charge as on"), widget=forms.DateInput(attrs={"type": "date"}))
    office = forms.ModelChoiceField(label=_("Office"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = clock.today()
        offices = offices_for_user(user).exclude(level=OfficeLevel.DC).order_by("path")
        self.fields["office"].queryset = offices
        if user.sees_everything:
            self.fields["office"].required = False
            self.fields["office"].empty_label = _("All offices")
        else:
            self.fields["office"].empty_label = None
            self.fields["office"].initial = user.office_id

    def clean_on(self) -> datetime.date:
        day = self.cleaned_data["on"]
        if day > clock.today():
            raise forms.ValidationError(_("Choose today or an earlier day."))
        return day
