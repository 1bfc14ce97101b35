from django import forms
from django.utils.translation import gettext_lazy as _

from urja.common.inputs import DateField
from urja.domain.inputs import ascii_digits


class ConsumerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Account number, name, mobile or meter number"),
        max_length=80,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "inputmode": "search",
                "autocomplete": "off",
                "aria-describedby": "search-help",
            }
        ),
    )


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
    # The language of the consumer's bill (its lines and amount in words), SMS and portal.
    language = forms.ChoiceField(
        label=_("Language of bills and SMS"), choices=[("hi", "हिन्दी"), ("en", "English")], required=False
    )
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

    def clean_language(self):
        return self.cleaned_data["language"] or self.initial.get("language") or "hi"

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
