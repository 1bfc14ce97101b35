"""Small pieces every console page uses."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def error_text(exc: Exception) -> str:
    """A service's refusal (ValidationError or PermissionDenied) as one message for the page."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do this.")


def errors_to_form(form, exc: ValidationError) -> None:
    """Put a service's errors on the form: field errors at their field, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
