from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

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
