from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed attempts. Please wait 15 minutes and try again."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "urja_login_locked", False):
                raise forms.ValidationError(self.error_messages["locked"], code="locked")
            raise


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
    period_from = forms.DateField(
        label=_("Period from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label=_("Period to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    fppas = forms.CharField(label=_("FPPAS % (blank: the month's order)"), max_length=10, required=False)
    prepaid = forms.BooleanField(label=_("Smart prepaid meter"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from urja.customers.choices import TariffCategory

        self.fields["tariff"].choices = TariffCategory.choices
