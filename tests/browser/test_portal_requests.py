"""The portal's request pages in real Chromium at 360 px: a self reading with a photo (scaled down in
the browser), a complaint seen in the list, and a new-connection application with its documents and
its tracking page. Signed in by a session cookie made with the portal session's keys (no OTP)."""

import datetime
import importlib
import random
import struct
import zlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from urja.billing.models import BillGroup
from urja.connections.models import NewConnectionApplication
from urja.helpdesk.models import Category, TheftRate, Ticket
from urja.helpdesk.seed import seed_helpdesk
from urja.metering.choices import ReadingSource
from urja.metering.models import Meter, Reading
from urja.metering.services import meter_install, reading_record
from urja.portal import session as portal_session
from urja.testing import ConsumerFactory

from .conftest import SCREENSHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-11-30T12:00+05:30"),
]
SEED = importlib.import_module("urja.connections.migrations.0003_seed_connection_charges")


def png(width=900, height=700) -> bytes:
    """A real (decodable) grey PNG of noise (it compresses badly, as a phone's photo does)."""
    noise = random.Random(7)
    rows = b"".join(b"\0" + noise.randbytes(width) for _y in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


def screenshot(page, tmp_path, name):
    """Kept after the test run under build/screenshots/portal/ (git-ignored), never committed."""
    folder = SCREENSHOTS / "portal"
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 3000


def fits_360(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def sign_in(page, live_server, **keys):
    store = SessionStore()
    for key, value in keys.items():
        store[key] = value
    store.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": live_server.url}]
    )


def sign_in_consumer(page, live_server, consumer):
    sign_in(page, live_server, **{portal_session.SESSION_MOBILE: consumer.mobile,
                                  portal_session.SESSION_ACCOUNTS: [consumer.pk],
                                  portal_session.SESSION_CURRENT: consumer.pk})  # fmt: skip


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-IN", has_touch=True,
        permissions=["geolocation"], geolocation={"latitude": 26.8467, "longitude": 80.9462},
    )  # fmt: skip
    page = context.new_page()
    yield page
    context.close()


def test_self_reading_with_a_photo_scaled_in_the_browser(phone, live_server, two_subdivisions, tmp_path):
    consumer = ConsumerFactory(
        office=two_subdivisions["dc_a"], sanctioned_load=Decimal("2"), mobile="9811111111"
    )
    BillGroup.objects.create(code="G-DC-A", office=consumer.office, reading_day=1)
    meter = Meter.objects.create(serial="BR-SR-1", digits=6)
    meter_install(
        consumer=consumer, meter=meter, installed_on=datetime.date(2026, 6, 1), initial_reading=Decimal(0)
    )
    reading_record(
        consumer=consumer,
        reading_date=datetime.date(2026, 11, 1),
        kwh=Decimal(750),
        source=ReadingSource.SPOT,
    )
    sign_in_consumer(phone, live_server, consumer)
    phone.goto(f"{live_server.url}/reading/")
    phone.wait_for_selector("[data-testid=eligible]")
    phone.fill("#id_kwh", "700")
    big = png(2400, 1800)
    assert len(big) > 200_000
    phone.set_input_files("#id_photo", files=[{"name": "meter.png", "mimeType": "image/png", "buffer": big}])
    phone.wait_for_selector("#id_photo[data-scaled-bytes]", state="attached")
    assert int(phone.eval_on_selector("#id_photo", "e => e.dataset.scaledBytes")) <= 200_000
    phone.click("[data-testid=submit-reading]")
    phone.wait_for_selector("[data-testid=question]")
    screenshot(phone, tmp_path, "portal-reading-question")
    assert "below the last reading" in phone.inner_text("[data-testid=question]")
    phone.fill("#id_kwh_new", "905")
    phone.click("[data-testid=correct-reading]")
    phone.wait_for_selector("[data-testid=reading-recorded]")
    reading = Reading.objects.get(source=ReadingSource.SELF)
    assert reading.kwh == Decimal("905")
    assert reading.photo.name.endswith(".jpg") and reading.photo.size <= 200_000
    fits_360(phone)
    screenshot(phone, tmp_path, "portal-reading-recorded")


def test_file_a_complaint_and_see_it_in_the_list(phone, live_server, two_subdivisions, tmp_path):
    seed_helpdesk(Category, TheftRate)
    consumer = two_subdivisions["consumer_a"]
    sign_in_consumer(phone, live_server, consumer)
    phone.goto(f"{live_server.url}/complaints/")
    phone.click("[data-testid=new-complaint]")
    phone.select_option("#id_category", label="No supply (within 12 hours)")
    phone.fill("#id_description", "No light in the lane since 6 am")
    phone.fill("#id_address", "Lane behind the school")
    phone.set_input_files(
        "#id_photo", files=[{"name": "pole.png", "mimeType": "image/png", "buffer": png(400, 300)}]
    )
    phone.wait_for_selector("#id_photo[data-scaled-bytes]", state="attached")
    phone.click("[data-gps]")
    phone.wait_for_selector("[data-gps-status]:has-text('✓')")
    height = phone.locator("[data-testid=submit-complaint]").bounding_box()["height"]
    assert height >= 44
    phone.click("[data-testid=submit-complaint]")
    phone.wait_for_selector("[data-testid=timeline]")
    ticket = Ticket.objects.get()
    assert phone.inner_text("h1 [data-testid=ticket-number]") == ticket.number
    assert (
        ticket.photo and ticket.latitude == Decimal("26.846700") and ticket.longitude == Decimal("80.946200")
    )
    fits_360(phone)
    screenshot(phone, tmp_path, "portal-complaint")
    phone.click("text=← Back")
    assert ticket.number in phone.inner_text("[data-testid=complaints]")


def test_new_connection_application_with_documents_and_its_tracking_page(
    phone, live_server, two_subdivisions, tmp_path
):
    SEED.seed(apps, None)  # a transactional test's flush removed the seeded rates
    sign_in(phone, live_server, **{portal_session.SESSION_APPLICANT: "9833333333"})
    phone.goto(f"{live_server.url}/apply/")
    for field, value in {
        "applicant_name": "Sita Devi", "father_husband_name": "Ram Lal", "address": "12 Station Road",
        "village_town": "Mohanlalganj", "district": "Lucknow", "kyc_number": "234567890123",
    }.items():  # fmt: skip
        phone.fill(f"#id_{field}", value)
    phone.select_option("#id_office", str(two_subdivisions["dc_a"].pk))
    phone.select_option("#id_area_class", "municipal")
    phone.select_option("#id_category", "LMV1-URBAN")
    phone.fill("#id_load", "2")
    phone.dispatch_event("#id_load", "change")
    phone.wait_for_selector("[data-testid=fees-total]")
    assert "₹" in phone.inner_text("[data-testid=fees-total]")
    for n, day in enumerate(("2026-12-02", "2026-12-03", "2026-12-04"), start=1):
        phone.fill(f"#id_date_{n}", day)
    phone.set_input_files(
        "#id_id_proof", files=[{"name": "id.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 id"}]
    )
    phone.set_input_files(
        "#id_address_proof",
        files=[{"name": "deed.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 deed"}],
    )
    fits_360(phone)
    screenshot(phone, tmp_path, "portal-apply-form")
    phone.click("[data-testid=submit-application]")
    phone.wait_for_selector("[data-testid=tracked]")
    application = NewConnectionApplication.objects.get()
    assert phone.inner_text("[data-testid=reference]") == application.item.reference
    assert application.documents.count() == 2
    assert phone.locator("[data-testid=step-applied] [data-testid=step-due]").count() == 1
    assert "Site inspection" in phone.inner_text("[data-testid=steps]")
    assert "234567890123" not in phone.content()
    fits_360(phone)
    screenshot(phone, tmp_path, "portal-application-tracking")


def test_an_anonymous_theft_report_in_hindi_without_signing_in(
    phone, live_server, two_subdivisions, tmp_path
):
    seed_helpdesk(Category, TheftRate)
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "hi", "url": live_server.url}]
    )
    phone.goto(f"{live_server.url}/theft/")
    assert "बिजली चोरी की सूचना दें" in phone.inner_text("h1")
    phone.fill("#id_address", "चक्की के पीछे वाली गली")
    phone.select_option("#id_office", str(two_subdivisions["dc_b"].pk))
    phone.fill("#id_description", "एलटी लाइन पर कटिया")
    fits_360(phone)
    phone.click("[data-testid=submit-theft]")
    phone.wait_for_selector("text=सूचना प्राप्त हुई")
    ticket = Ticket.objects.get()
    assert phone.inner_text("[data-testid=ticket-number]") == ticket.number and ticket.anonymous
    screenshot(phone, tmp_path, "portal-theft-hi")
