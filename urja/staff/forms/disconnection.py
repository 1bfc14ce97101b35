"""Forms of the disconnection pages. They check formats; the connections services check the rest."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from urja.org.selectors import offices_for_user
from urja.payments.choices import COUNTER_CHANNELS, Channel


class DisconnectionFilterForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=None, empty_label=None)
    min_arrears = forms.DecimalField(
        label=_("Arrears at least (₹)"), min_value=Decimal("0"), decimal_places=2, initial=Decimal("1000")
    )
    min_age = forms.IntegerField(label=_("Oldest due at least (days)"), min_value=0, initial=30)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for_user(user).order_by("code")


class ProtestForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount deposited (₹)"), min_value=Decimal("0.01"), decimal_places=2)
    channel = forms.ChoiceField(
        label=_("Paid by"), choices=[(c, Channel(c).label) for c in Channel.values if c in COUNTER_CHANNELS]
    )
    reference = forms.CharField(label=_("Receipt / instrument reference"), max_length=40)
