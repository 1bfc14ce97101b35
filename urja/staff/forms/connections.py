from django import forms
from django.utils.translation import gettext_lazy as _

from urja.connections.models import ApplicationDocument, AreaClass
from urja.customers.choices import LoadUnit, TariffCategory
from urja.network.models import DistributionTransformer
from urja.org.selectors import offices_for_user, scope_for_user


class ApplicationForm(forms.Form):
    applicant_name = forms.CharField(label=_("applicant's name"), max_length=120)
    father_husband_name = forms.CharField(label=_("father's / husband's name"), max_length=120)
    address = forms.CharField(label=_("address"), max_length=255)
    village_town = forms.CharField(label=_("village / town"), max_length=80)
    district = forms.CharField(label=_("district"), max_length=60)
    mobile = forms.CharField(label=_("mobile"), max_length=14)
    kyc_number = forms.CharField(label=_("Aadhaar or ID number"), max_length=20, required=False)
    category = forms.ChoiceField(label=_("tariff category"), choices=TariffCategory.choices)
    load = forms.DecimalField(label=_("load asked for"), max_digits=8, decimal_places=2, min_value=0.01)
    load_unit = forms.ChoiceField(label=_("load unit"), choices=LoadUnit.choices)
    area_class = forms.ChoiceField(label=_("area"), choices=AreaClass.choices)
    office = forms.ModelChoiceField(label=_("office"), queryset=None)
    dt = forms.ModelChoiceField(label=_("distribution transformer"), queryset=None, required=False)
    preferred_date = forms.DateField(
        label=_("preferred inspection date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices_for_user(user).filter(level="dc").order_by("code")
        self.fields["dt"].queryset = scope_for_user(DistributionTransformer.objects.all(), user).order_by(
            "code"
        )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(label=_("file"))


class InspectionForm(forms.Form):
    remarks = forms.CharField(label=_("inspection result"), max_length=500)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("amount"), max_digits=12, decimal_places=2, min_value=0.01)
    reference = forms.CharField(label=_("receipt or transaction reference"), max_length=60)


class InstallationForm(forms.Form):
    meter = forms.CharField(label=_("meter serial number"), max_length=30)
    initial_reading = forms.DecimalField(
        label=_("initial reading"), max_digits=12, decimal_places=2, initial=0
    )
    installed_on = forms.DateField(label=_("installed on"), widget=forms.DateInput(attrs={"type": "date"}))
