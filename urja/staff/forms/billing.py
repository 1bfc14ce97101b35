import datetime

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from urja.common import clock
from urja.common.inputs import DateField
from urja.domain.inputs import ascii_digits
from urja.org.auth import lockout_message


class LockoutMessageMixin:
    """Tell someone refused by the login throttle (urja/org/auth.py) to wait, and for how long, instead
    of claiming the password was wrong."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "urja_login_locked", False):
                raise forms.ValidationError(lockout_message(self.request), code="locked")
            raise


class StaffLoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class ConsumerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Account number, name, mobile or meter number"),
        max_length=80,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "search", "autocomplete": "off"}),
    )


class QuoteForm(forms.Form):
    tariff = forms.ChoiceField(label=_("Tariff category"))
    load = forms.CharField(label=_("Sanctioned load (e.g. 2kW, 12kVA, 7.5BHP)"), max_length=20, initial="2kW")
    units = forms.CharField(label=_("Units (kWh)"), max_length=20, required=False)
    kvah = forms.CharField(label=_("kVAh (for kVAh billing)"), max_length=20, required=False)
    period_from = DateField(
        label=_("Period from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = DateField(
        label=_("Period to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fppas = forms.CharField(label=_("FPPAS % (blank: the month's order)"), max_length=10, required=False)
    prepaid = forms.BooleanField(label=_("Smart prepaid meter"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from urja.customers.choices import TariffCategory

        self.fields["tariff"].choices = TariffCategory.choices


# --- billing -----------------------------------------------------------------------------------------


def previous_month(today: datetime.date) -> str:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


class BillRunForm(forms.Form):
    cycle = forms.RegexField(
        label=_("Billing month (YYYY-MM)"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        max_length=7,
        error_messages={"invalid": _("A billing cycle is written YYYY-MM, e.g. 2026-10.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026-10"}),
    )
    office = forms.ModelChoiceField(label=_("Office"), queryset=None)

    def __init__(self, *args, user, **kwargs):

        from urja.org.selectors import offices_for_user

        super().__init__(*args, **kwargs)
        self.fields["cycle"].initial = previous_month(clock.today())
        field = self.fields["office"]
        field.queryset = offices_for_user(user).order_by("path")
        field.label_from_instance = lambda office: f"{office.code} · {office.name}"
        field.initial = user.office_id
        if user.sees_everything:
            field.required = False
            field.empty_label = _("All offices")

    def clean_cycle(self) -> str:
        # Digits of any script are the same month (the service checks the month's range).
        return ascii_digits(self.cleaned_data["cycle"])


class BillCorrectForm(forms.Form):
    units = forms.DecimalField(
        label=_("Corrected units (kWh)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class BillHoldForm(forms.Form):
    note = forms.CharField(label=_("Note (e.g. site inspection ordered)"), max_length=200)


class BillReviseForm(forms.Form):
    units = forms.DecimalField(
        label=_("Corrected units (kWh; blank: recompute as billed)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    reason = forms.CharField(label=_("Reason for the revision"), max_length=255)


class RevisionDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])


class StatementForm(forms.Form):
    date_from = DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data


class ConsumerEditForm(forms.Form):
    """Contact and location particulars a JE or SDO may correct, with the reason kept in the history."""

    mobile = forms.CharField(label=_("Mobile"), max_length=16, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address"), max_length=255)
    village_town = forms.CharField(label=_("Village / town"), max_length=80)
    pincode = forms.RegexField(
        label=_("PIN code"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": _("A PIN code has 6 digits.")},
    )
    dt = forms.ModelChoiceField(label=_("Distribution transformer"), queryset=None, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False, min_value=-180, max_value=180
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=255)

    def __init__(self, *args, transformers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dt"].queryset = transformers.order_by("code")

    def clean_pincode(self):
        return ascii_digits(self.cleaned_data["pincode"])

    def clean_mobile(self):
        from urja.domain import mobile as mob

        value = self.cleaned_data["mobile"].strip()
        if not value:
            return ""
        try:
            return mob.normalize(value)
        except mob.InvalidMobile as exc:
            raise forms.ValidationError(_(str(exc)))
