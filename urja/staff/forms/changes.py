"""Console forms of the connection-change processes (urja.connections.changes)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from urja.customers.choices import KycDocument, TariffCategory
from urja.domain.tariff import LoadUnit


class LoadChangeForm(forms.Form):
    sanctioned_load = forms.DecimalField(
        label=_("New sanctioned load"), min_value=0, max_digits=10, decimal_places=3
    )
    load_unit = forms.ChoiceField(label=_("Load unit"), choices=[(u.value, u.value) for u in LoadUnit])
    reason = forms.CharField(label=_("Reason / remarks"), required=False, max_length=500)

    def clean_sanctioned_load(self):
        value = self.cleaned_data["sanctioned_load"]
        if value <= 0:
            raise forms.ValidationError(_("The new load must be positive."))
        return value


class CategoryChangeForm(forms.Form):
    category = forms.ChoiceField(label=_("New category"), choices=TariffCategory.choices)
    reason = forms.CharField(label=_("Reason / remarks"), required=False, max_length=500)


class NameTransferForm(forms.Form):
    new_name = forms.CharField(label=_("New holder's name"), max_length=120)
    kyc_document = forms.ChoiceField(label=_("KYC document"), choices=KycDocument.choices)
    kyc_number = forms.CharField(label=_("KYC number"), max_length=40)
    reason = forms.CharField(label=_("Reason / remarks"), required=False, max_length=500)


class DisconnectionRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason / remarks"), max_length=500)


class ApproveForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason / remarks"), required=False, max_length=500)
    confirm = forms.BooleanField(label=_("I have read what will happen and confirm it"), required=True)
