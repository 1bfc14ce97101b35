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
