import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings

from urja.billing.models import Bill
from urja.customers.models import OneTimePassword
from urja.ledger import services as ledger
from urja.ledger.choices import EntryType
from urja.notifications.models import OutboundMessage
from urja.payments.choices import Channel
from urja.payments.services import payment_post
from urja.portal import session as ps
from urja.portal.testing import portal_client
from urja.testing import ConsumerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-28T12:00+05:30")]
D = Decimal
MOBILE = "9876501234"


def sent_code(mobile=MOBILE) -> str:
    body = OutboundMessage.objects.filter(to=mobile, template="otp").order_by("-id").first().body
    return re.search(r"\b(\d{6})\b", body).group(1)


def make_bill(consumer, period="2026-10", payable="1450.00", status="issued") -> Bill:
    year, month = int(period[:4]), int(period[5:])
    bill = Bill.objects.create(
        consumer=consumer, period=period, period_start=datetime.date(year, month, 1),
        period_end=datetime.date(year, month, 28), bill_number=f"{period[2:4]}{period[5:]}{consumer.account_number}",
        status=status, basis="MU", category=consumer.category, sanctioned_load=consumer.sanctioned_load,
        load_unit=consumer.load_unit, units=D("210"), reading_status="OK", energy_charge=D("1200"),
        fixed_charge=D("250"), current_charges=D(payable), payable=D(payable),
        payable_after_due=D(payable) + 20, lines=[], issue_date=datetime.date(year, month, 28) + datetime.timedelta(days=3),
        due_date=datetime.date(year, month, 28) + datetime.timedelta(days=17),
    )  # fmt: skip
    ledger.entry_post(
        consumer=consumer, entry_type=EntryType.BILL, amount=D(payable), entry_date=bill.issue_date,
        due_date=bill.due_date, period=period, description=f"bill {period}", source_type="bill", source_id=bill.pk,
    )  # fmt: skip
    return bill


def pay(consumer, amount="500.00", reference="ref-1"):
    return payment_post(
        consumer=consumer, amount=D(amount), channel=Channel.ONLINE, source="gateway:sandbox", reference=reference,
    ).payment  # fmt: skip


@pytest.fixture
def two_accounts():
    return ConsumerFactory(mobile=MOBILE, name="Ravi Kumar"), ConsumerFactory(mobile=MOBILE)


@pytest.fixture
def other():
    return ConsumerFactory(mobile="9123400000")


class TestHome:
    def test_first_visit_asks_the_language_then_remembers_it(self, client):
        first = client.get("/")
        assert (
            first.status_code == 200
            and "हिन्दी" in first.content.decode()
            and "English" in first.content.decode()
        )
        chosen = client.get("/?lang=en")
        assert chosen.status_code == 302 and chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        home = client.get("/")
        page = home.content.decode()
        assert 'data-testid="tile-pay"' in page and "/pay/start/" in page and "1912" in page
        assert "Staff login" in page

    def test_hindi_home(self, client):
        client.get("/?lang=hi")
        page = client.get("/").content.decode()
        assert '<html lang="hi">' in page and "कर्मचारी लॉगिन" in page

    def test_tiles_whose_pages_do_not_exist_are_hidden(self, client):
        from django.urls import NoReverseMatch, reverse

        client.get("/?lang=en")
        page = client.get("/").content.decode()
        try:
            reverse("portal:complaints")
            assert 'data-testid="tile-complaints"' in page
        except NoReverseMatch:
            assert 'data-testid="tile-complaints"' not in page

    def test_signed_in_language_choice_is_kept_on_the_account(self, client, two_accounts):
        portal_client(client, *two_accounts)
        client.get("/?lang=en")
        two_accounts[0].refresh_from_db()
        assert two_accounts[0].language == "en"


class TestLogin:
    def test_login_by_account_number_proves_every_account_on_the_mobile(self, client, two_accounts):
        first, second = two_accounts
        client.get("/?lang=en")
        before = client.session.session_key
        sent = client.post("/login/", {"identifier": first.account_number})
        assert sent.status_code == 302 and sent["Location"] == "/login/code/"
        page = client.get("/login/code/").content.decode()
        assert "XXXXXX1234" in page and MOBILE not in page
        done = client.post("/login/code/", {"code": sent_code()})
        assert done.status_code == 302 and done["Location"] == "/account/"
        assert client.session.session_key != before
        assert sorted(client.session[ps.SESSION_ACCOUNTS]) == sorted([first.pk, second.pk])
        account = client.get("/account/").content.decode()
        assert first.account_number in account and 'data-testid="switcher"' in account

    def test_login_by_mobile(self, client, two_accounts):
        client.post("/login/", {"identifier": MOBILE})
        done = client.post("/login/code/", {"code": sent_code()})
        assert done.cookies[settings.LANGUAGE_COOKIE_NAME].value == two_accounts[0].language
        assert client.get("/account/").status_code == 200

    def test_unknown_mobile_looks_the_same_and_sends_nothing(self, client):
        sent = client.post("/login/", {"identifier": "9876509999"})
        assert sent.status_code == 302 and sent["Location"] == "/login/code/"
        assert "XXXXXX9999" in client.get("/login/code/").content.decode()
        assert not OutboundMessage.objects.exists()
        assert client.post("/login/code/", {"code": "123456"}).status_code == 422

    def test_bad_check_digit_is_refused(self, client, two_accounts):
        number = two_accounts[0].account_number
        bad = number[:-1] + str((int(number[-1]) + 1) % 10)
        response = client.post("/login/", {"identifier": bad})
        assert response.status_code == 422 and not OutboundMessage.objects.exists()

    def test_wrong_code_then_right(self, client, two_accounts):
        client.post("/login/", {"identifier": MOBILE})
        code = sent_code()
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        assert client.post("/login/code/", {"code": wrong}).status_code == 422
        assert client.get("/account/").status_code == 302
        assert client.post("/login/code/", {"code": code}).status_code == 302

    def test_send_limit_per_mobile_is_shown(self, client, two_accounts):
        client.get("/?lang=en")
        for _ in range(3):
            client.post("/login/", {"identifier": MOBILE})
        refused = client.post("/login/", {"identifier": MOBILE})
        assert refused.status_code == 429 and "15 minutes" in refused.content.decode()
        assert OneTimePassword.objects.count() == 3

    def test_send_limit_per_address(self, client):
        for i in range(10):
            ConsumerFactory(mobile=f"98765000{i:02d}")
            client.post("/login/", {"identifier": f"98765000{i:02d}"})
        ConsumerFactory(mobile="9876500099")
        assert client.post("/login/", {"identifier": "9876500099"}).status_code == 429
        assert client.post("/login/", {"identifier": "9876500099"}, REMOTE_ADDR="10.1.1.1").status_code == 302

    def test_next_is_followed_only_on_this_site(self, client, two_accounts):
        client.post("/login/", {"identifier": MOBILE, "next": "https://evil.example/"})
        done = client.post("/login/code/", {"code": sent_code()})
        assert done["Location"] == "/account/"

    def test_logout(self, client, two_accounts):
        portal_client(client, *two_accounts)
        assert client.post("/logout/").status_code == 302
        assert client.get("/account/").status_code == 302


class TestApplicant:
    def test_applicant_proves_any_mobile_and_goes_to_next(self, client):
        sent = client.post("/login/apply/", {"mobile": "9000012345", "next": "/somewhere/"})
        assert sent.status_code == 302
        done = client.post("/login/apply/code/", {"code": sent_code("9000012345")})
        assert done["Location"] == "/somewhere/"
        assert client.session[ps.SESSION_APPLICANT] == "9000012345"
        assert ps.SESSION_ACCOUNTS not in client.session

    def test_a_login_code_does_not_prove_an_applicant(self, client, two_accounts):
        client.post("/login/", {"identifier": MOBILE})
        assert client.post("/login/apply/code/", {"code": sent_code()}).status_code == 302
        assert ps.SESSION_APPLICANT not in client.session


class TestMyAccount:
    def test_bill_payment_statement_and_chart(self, client, two_accounts):
        consumer = two_accounts[0]
        make_bill(consumer, "2026-09", "1200.00")
        bill = make_bill(consumer, "2026-10", "1450.00")
        payment = pay(consumer, "1200.00")
        portal_client(client, consumer)
        client.get("/?lang=en")
        page = client.get("/account/").content.decode()
        assert bill.bill_number in page and "₹1,450.00" in page
        assert f"/account/bills/{bill.pk}.pdf" in page and f"/account/receipts/{payment.pk}.pdf" in page
        assert "<svg" in page and ">210<" in page
        assert " Cr" in page and "Opening balance" in page

    def test_bill_and_receipt_pdfs_of_proved_accounts(self, client, two_accounts):
        consumer = two_accounts[1]
        bill = make_bill(consumer)
        payment = pay(consumer)
        portal_client(client, *two_accounts)
        pdf = client.get(f"/account/bills/{bill.pk}.pdf")
        assert (
            pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
        )
        receipt = client.get(f"/account/receipts/{payment.pk}.pdf")
        assert receipt.status_code == 200 and receipt.content[:4] == b"%PDF"

    def test_another_accounts_bill_and_receipt_are_404(self, client, two_accounts, other):
        bill = make_bill(other)
        payment = pay(other)
        portal_client(client, *two_accounts)
        for url in (
            f"/account/bills/{bill.pk}.pdf",
            f"/account/receipts/{payment.pk}.pdf",
            "/account/bills/999999.pdf",
        ):
            response = client.get(url)
            assert response.status_code == 404 and 'data-testid="not-found"' in response.content.decode()

    def test_held_bill_is_not_offered(self, client, two_accounts):
        bill = make_bill(two_accounts[0], status="held")
        portal_client(client, two_accounts[0])
        assert client.get(f"/account/bills/{bill.pk}.pdf").status_code == 404

    def test_switch_to_a_proved_account_only(self, client, two_accounts, other):
        first, second = two_accounts
        portal_client(client, *two_accounts)
        assert client.post("/account/switch/", {"consumer": second.pk}).status_code == 302
        assert client.session[ps.SESSION_CURRENT] == second.pk
        assert client.post("/account/switch/", {"consumer": other.pk}).status_code == 404
        assert client.post("/account/switch/", {"consumer": "x"}).status_code == 404
        assert client.session[ps.SESSION_CURRENT] == second.pk

    def test_a_mobile_changed_by_the_office_ends_access(self, client, two_accounts):
        portal_client(client, two_accounts[0])
        two_accounts[0].mobile = "9111111111"
        two_accounts[0].save()
        assert client.get("/account/").status_code == 302


class TestProfile:
    def test_preferences(self, client, two_accounts):
        consumer = two_accounts[0]
        portal_client(client, consumer)
        saved = client.post("/account/profile/", {"action": "preferences", "language": "en"})
        assert saved.status_code == 302
        consumer.refresh_from_db()
        assert consumer.language == "en" and consumer.optional_messages is False
        # recorded in the account's history as the consumer's own choice
        change = consumer.changes.get(field="language")
        assert (change.source, change.new_value, change.changed_by) == ("portal", "en", None)

    def test_mobile_change_with_a_code_sent_to_the_new_mobile(self, client, two_accounts):
        consumer = two_accounts[0]
        portal_client(client, *two_accounts)
        sent = client.post("/account/profile/", {"action": "mobile", "mobile": "9000054321"})
        assert sent["Location"] == "/account/profile/mobile/"
        assert client.post("/account/profile/mobile/", {"code": "000000"}).status_code in (422, 302)
        consumer.refresh_from_db()
        assert consumer.mobile == MOBILE
        done = client.post("/account/profile/mobile/", {"code": sent_code("9000054321")})
        assert done.status_code == 302
        consumer.refresh_from_db()
        assert consumer.mobile == "9000054321" and consumer.changes.get().field == "mobile"
        assert client.get("/account/").status_code == 200


def test_unknown_portal_address_gets_the_friendly_page_and_staff_keeps_its_own(client):
    response = client.get("/account/bills/not-a-number.pdf")
    assert response.status_code == 404 and 'data-testid="not-found"' in response.content.decode()
    staff = client.get("/staff/no-such-page/")
    assert staff.status_code in (302, 404) and 'data-testid="not-found"' not in staff.content.decode()


@pytest.mark.django_db
def test_compensation_credited_is_listed_on_my_account(client, two_accounts):
    from urja.ledger.choices import EntryType
    from urja.ledger.descriptions import COMPENSATION, describe
    from urja.ledger.services import entry_post

    consumer = two_accounts[0]
    entry_post(
        consumer=consumer, entry_type=EntryType.ADJUSTMENT, amount=Decimal("-500.00"),
        entry_date=datetime.date(2026, 11, 20), **describe(COMPENSATION, item="NC-2026-000007", date="13-11-2026"),
        reason="Rules 2020",
    )  # fmt: skip
    portal_client(client, consumer)
    client.get("/?lang=en")
    page = client.get("/account/").content.decode()
    card = page[page.index('data-testid="compensation"') :]
    assert "₹500.00" in card and "NC-2026-000007" in card and "13-11-2026" in card
    client.get("/?lang=hi")
    assert "मुआवज़ा" in client.get("/account/").content.decode()
