import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from urja.common import clock
from urja.common.inputs import DateField
from urja.domain.inputs import ascii_digits


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
    bill_date = DateField(
        label=_("Bill date (blank: the day after the period ends)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("FPPAS is that of the month the bill is raised in."),
    )
    fppas = forms.CharField(
        label=_("FPPAS % (blank: the order for the bill month; negative in a rebate month)"),
        max_length=10,
        required=False,
    )
    area = forms.ChoiceField(
        label=_("Area (where a lifeline consumer over the limits is billed)"),
        choices=[("", _("as the tariff says")), ("urban", _("Urban")), ("rural", _("Rural"))],
        required=False,
    )
    prepaid = forms.BooleanField(label=_("Smart prepaid meter"), required=False)
    md_kva = forms.CharField(
        label=_("Maximum demand recorded (kVA; HV and demand tariffs)"), max_length=20, required=False
    )
    power_factor = forms.CharField(label=_("Average power factor (e.g. 0.92)"), max_length=10, required=False)
    supply_kv = forms.CharField(label=_("Supply voltage (kV)"), max_length=10, required=False)
    tod = forms.CharField(
        label=_("TOD meter units by slot (e.g. peak=1200, normal=3000, offpeak=800)"),
        max_length=120,
        required=False,
    )

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
    # Approving re-issues the bill with the amounts the page previews: the officer confirms them.
    confirm = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve" and not data.get("confirm"):
            raise forms.ValidationError(
                _(
                    "Tick the box to confirm the new amounts before approving: the revised bill replaces the old one."
                )
            )
        return data
