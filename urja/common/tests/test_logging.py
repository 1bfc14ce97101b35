"""Personal data (mobiles, Aadhaar numbers, e-mail addresses) never reaches a log line, whichever logger
or handler writes it; account numbers, receipts and amounts stay readable."""

import io
import logging
import urllib.request

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.utils.log import ServerFormatter

from urja.common.logging import mask_text
from urja.domain import account_number
from urja.testing import UserFactory

ACCOUNT = account_number.make(1, 2345678)


@pytest.mark.parametrize(
    "written",
    [
        "9876543210",
        "98765 43210",
        "98765-43210",
        "987 654 3210",
        "+91 98765 43210",
        "+91-9876543210",
        "+919876543210",
        "91 98765 43210",
        "09876543210",
        "98765+43210",  # a form field in a query string
        "%2B91+98765+43210",
        "98765%2043210",
    ],
)
def test_every_way_of_writing_a_mobile_is_masked(written):
    masked = mask_text(f"search q={written} by clerk")
    assert "3210" in masked  # the last four, so a line can still be matched to a complaint
    for part in ("98765", "4321", "987 654", "65-43"):
        assert part not in masked, masked
    assert masked.startswith("search q=") and masked.endswith(" by clerk")


@pytest.mark.parametrize(
    "written", ["234567890123", "2345 6789 0123", "2345-6789-0123", "2345  6789  0123", "2345+6789+0123"]
)
def test_aadhaar_in_any_spacing_is_masked(written):
    masked = mask_text(f"kyc {written} checked")
    assert masked == "kyc XXXX-XXXX-0123 checked"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("ravi.kumar@example.com", "r***@example.com"),
        ("Ravi.Kumar+bills@Mail.Example.co.in", "R***@Mail.Example.co.in"),
        ("ravi%40example.com", "r***@example.com"),
        ("r.kumar%2Bbills%40gmail.com", "r***@gmail.com"),
        ("9876543210@upi.example.com", "9***@upi.example.com"),
    ],
)
def test_email_addresses_are_masked(written, shown):
    assert mask_text(f"to={written}&x=1") == f"to={shown}&x=1"


@pytest.mark.parametrize(
    "text",
    [
        f"posted receipt SBI00012345 for account {ACCOUNT}: Rs 1,234.50",
        f"accounts {ACCOUNT} {account_number.make(5, 99999999)} 25 {ACCOUNT}",
        f"bill 2611{ACCOUNT} due 2026-11-20 10:00:00",
        "payable 98765.43 after 15 days; 3 of 12 partitions",
        "postgres://postgres@127.0.0.1:5432/urja",
        "order ord_7Hf9 amount 500.00 UTR 612345678901 status 200",
        "bill run 2026-10 took 9876 ms for 43210 consumers",
    ],
)
def test_what_is_not_personal_data_stays_readable(text):
    expected = text.replace("612345678901", "XXXX-XXXX-8901")  # a 12-digit UTR reads like an Aadhaar
    assert mask_text(text) == expected


def _capture(logger_name):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    return stream, lambda: logger.removeHandler(handler)


def test_records_of_any_logger_and_handler_are_masked():
    """Not only the root console handler: a library's own handler (gunicorn's access log here) and
    tracebacks too."""
    stream, done = _capture("gunicorn.access")
    try:
        access = logging.getLogger("gunicorn.access")
        access.propagate = False
        access.setLevel(logging.INFO)
        access.info(
            '%(h)s "%(r)s" %(s)s', {"h": "10.0.0.1", "r": "GET /staff/?q=98765+43210 HTTP/1.1", "s": "200"}
        )
        try:
            raise ValueError("no consumer with mobile +91 98765 43210 or e-mail ravi@example.com")
        except ValueError:
            access.exception("lookup of %s failed", "9876543210")
    finally:
        access.propagate = True
        done()
    output = stream.getvalue()
    assert "GET /staff/?q=XXXXXX3210 HTTP/1.1" in output
    assert "lookup of XXXXXX3210 failed" in output and "ValueError: no consumer" in output
    assert "98765" not in output and "ravi@" not in output and "r***@example.com" in output


@pytest.mark.django_db(transaction=True)
def test_the_runserver_request_log_of_a_console_search_has_no_mobile(client):
    """A real request through the development server's request handler, logged by `django.server`."""
    user = UserFactory(username="clerk")
    client.force_login(user)
    session_cookie = client.cookies["sessionid"].value

    class LoggingServerThread(LiveServerThread):
        def _create_server(self, connections_override=None):
            return self.server_class(
                (self.host, self.port),
                WSGIRequestHandler,
                allow_reuse_address=False,
                connections_override=connections_override,
            )

    connections_override = {
        conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in connections_override.values():
        conn.inc_thread_sharing()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ServerFormatter("[{server_time}] {message}", style="{"))
    server_log = logging.getLogger("django.server")
    server_log.addHandler(handler)
    server = LoggingServerThread("127.0.0.1", _StaticFilesHandler, connections_override=connections_override)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        if server.error:
            raise server.error
        for query in ("98765+43210", "%2B91-9876543210", "ravi.kumar%40example.com"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{server.port}/staff/?q={query}",
                headers={"Cookie": f"sessionid={session_cookie}"},
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own test server
                assert response.status == 200
                assert "clerk" in response.read().decode()
    finally:
        server.terminate()
        server_log.removeHandler(handler)
        for conn in connections_override.values():
            conn.dec_thread_sharing()
    output = stream.getvalue()
    assert output.count("GET /staff/?q=") == 3, output
    assert "XXXXXX3210" in output and "r***@example.com" in output
    assert "98765" not in output and "9876543210" not in output and "ravi.kumar" not in output
