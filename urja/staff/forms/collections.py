"""Forms of the collection pages. They check what a form can (formats, required fields); the services
check everything else and their errors are put back on the form."""

import datetime
import secrets
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urja.common import clock
from urja.common.inputs import DateField
from urja.domain import account_number as acct
from urja.org.choices import OfficeLevel
from urja.org.selectors import offices_for_user
from urja.payments.cashbooks import DENOMINATIONS
from urja.payments.choices import Channel

COUNTER_MODES = [
    (Channel.CASH, _("Cash")),
    (Channel.CHEQUE, _("Cheque")),
    (Channel.DD, _("Demand draft")),
    (Channel.CARD, _("Card")),
    (Channel.UPI_COUNTER, _("UPI")),
]


def new_token() -> str:
    """A fresh idempotency token for one payment form."""
    return secrets.token_urlsafe(18)


def clean_account_number(raw: str) -> str:
    """The account number in ASCII digits (typed in any script's digits), or the reason it is not one."""
    try:
        return acct.normalize(raw or "")
    except acct.InvalidAccountNumber as exc:
        # The domain's messages are listed for translation in urja.customers.validators.
        raise forms.ValidationError(gettext(str(exc)))


class AccountField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Account number"))
        kwargs.setdefault("max_length", 14)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 -]*", "autofocus": True}
        )

    def clean(self, value):
        return clean_account_number(super().clean(value))


class AccountLookupForm(forms.Form):
    account = AccountField()


class PaymentForm(forms.Form):
    account = forms.CharField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)
    amount = forms.DecimalField(
        label=_("Amount (₹)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "autocomplete": "off"}),
    )
    mode = forms.ChoiceField(
        label=_("Paid by"), choices=COUNTER_MODES, initial=Channel.CASH, widget=forms.RadioSelect
    )
    instrument_number = forms.CharField(
        label=_("Cheque / DD number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    instrument_bank = forms.CharField(label=_("Bank"), max_length=60, required=False)
    instrument_date = forms.DateField(
        label=_("Date on the cheque / DD"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    txn_reference = forms.CharField(
        label=_("Transaction reference (UPI UTR / card RRN)"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    # More than the dues is an advance: the cashier confirms it (the page asks when it is).
    confirm_advance = forms.BooleanField(label=_("Yes, keep the rest as advance"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "pay_%s")  # the account lookup form on the same page has id_account
        super().__init__(*args, **kwargs)

    def clean_account(self):
        return clean_account_number(self.cleaned_data["account"])


class CloseForm(forms.Form):
    """One count per denomination; the total is checked against the book by the service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value in DENOMINATIONS:
            self.fields[f"n{value}"] = forms.IntegerField(
                label=f"₹{value}",
                min_value=0,
                max_value=1_000_000,
                required=False,
                initial=0,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": "0", "step": "1", "data-denomination": value}
                ),
            )

    def denominations(self) -> dict[str, int]:
        return {str(value): self.cleaned_data.get(f"n{value}") or 0 for value in DENOMINATIONS}

    def rows(self):
        return [(value, self[f"n{value}"]) for value in DENOMINATIONS]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)


class BounceForm(forms.Form):
    bounce_date = forms.DateField(
        label=_("Date the bank returned it"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Bank's reason (return memo)"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bounce_date"].initial = clock.today()


class SummaryForm(forms.Form):
    day = DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=None, required=False, empty_label=_("All my offices")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Offices down to sub-divisions: a distribution centre's figures are rows of the summary.
        self.fields["office"].queryset = offices_for_user(user).exclude(level=OfficeLevel.DC)

    def clean_day(self) -> datetime.date:
        day = self.cleaned_data.get("day") or clock.today()
        if day > clock.today():
            raise forms.ValidationError(_("Choose today or an earlier day."))
        return day


# --------------------------------------------------------------------------- back-office pages


class SettlementUploadForm(forms.Form):
    """A bank or gateway settlement file (format: docs/settlement-files.md) of a registered source the
    user's office overlaps."""

    file = forms.FileField(label=_("Settlement file (CSV)"))
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=None,
        to_field_name="code",
        empty_label=_("Choose the bank or gateway"),
        help_text=_("Banks and gateways registered for your offices by a system administrator."),
    )

    def __init__(self, *args, user, **kwargs):
        from urja.payments.settlement import settlement_sources_for

        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = settlement_sources_for(user)

    def clean_file(self):
        from urja.payments.settlement import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        # Checked before the file is read into memory.
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB; split it.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class SettlementDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve and post")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Reason (required to reject)"), max_length=255, required=False)


class DayForm(forms.Form):
    """A past or present day (?date=YYYY-MM-DD); empty means today."""

    date = DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data.get("date") or clock.today()
        if day > clock.today():
            raise forms.ValidationError(_("Choose today or an earlier day."))
        return day


ROLLUP_LEVELS = [
    (OfficeLevel.DIVISION, _("Division")),
    (OfficeLevel.SUBDIVISION, _("Sub-division")),
    (OfficeLevel.DC, _("Distribution centre")),
]


class RollupForm(SummaryForm):
    """The daily collection summary rolled up to one level of the office hierarchy."""

    level = forms.ChoiceField(
        label=_("Totals per"), choices=ROLLUP_LEVELS, required=False, initial=OfficeLevel.SUBDIVISION
    )

    def clean_level(self) -> str:
        return self.cleaned_data.get("level") or OfficeLevel.SUBDIVISION
