"""The HTTP gateway against a fake gateway on localhost (never the internet)."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from urja.notifications.models import OutboundMessage
from urja.notifications.providers import HttpGatewayProvider, MaybeSent, NotSent


class FakeGateway(BaseHTTPRequestHandler):
    requests: list = []
    answer = (200, {"id": "GW-77"})
    known: set = set()

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = urllib.parse.parse_qs(self.rfile.read(length).decode())
        FakeGateway.requests.append((dict(self.headers), {k: v[0] for k, v in body.items()}))
        status, payload = FakeGateway.answer
        self._reply(status, payload)

    def do_GET(self):
        ref = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("ref", [""])[0]
        self._reply(200 if ref in FakeGateway.known else 404, {})

    def _reply(self, status, payload):
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    FakeGateway.requests, FakeGateway.answer, FakeGateway.known = [], (200, {"id": "GW-77"}), set()
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def message(**kwargs):
    defaults = dict(
        pk=41,
        to="9876543210",
        template="otp",
        body="उर्जा: 123456",
        sender="URJAEB",
        dlt_template_id="1107000000000000001",
        entity_id="1101000000000000001",
    )
    return OutboundMessage(**{**defaults, **kwargs})


def provider(url, **options):
    return HttpGatewayProvider(
        {
            "URL": f"{url}/send",
            "STATUS_URL": f"{url}/status",
            "AUTH_VALUE": "Bearer s3cret",
            "PARAMS": {
                "to": "mobile",
                "body": "msg",
                "sender": "header",
                "dlt_template_id": "tid",
                "entity_id": "peid",
                "client_ref": "ref",
                "unicode": "unicode",
            },
            "EXTRA": {"route": "transactional"},
            **options,
        }
    )


def test_sends_the_configured_parameters_with_the_auth_header(gateway):
    assert provider(gateway).send(message()) == "GW-77"
    headers, params = FakeGateway.requests[0]
    assert headers["Authorization"] == "Bearer s3cret"
    assert params == {
        "mobile": "9876543210",
        "msg": "उर्जा: 123456",
        "header": "URJAEB",
        "tid": "1107000000000000001",
        "peid": "1101000000000000001",
        "ref": "urja-41",
        "unicode": "1",
        "route": "transactional",
    }


def test_basic_credentials_when_no_auth_header_value(gateway):
    provider(gateway, AUTH_VALUE="", USERNAME="urja", PASSWORD="pw").send(message())
    assert FakeGateway.requests[0][0]["Authorization"] == "Basic dXJqYTpwdw=="


@pytest.mark.parametrize(
    ("status", "error", "retry"),
    [(400, NotSent, False), (503, NotSent, True), (429, NotSent, True), (500, MaybeSent, None)],
)
def test_gateway_answers_map_to_outcomes(gateway, status, error, retry):
    FakeGateway.answer = (status, {})
    with pytest.raises(error) as caught:
        provider(gateway).send(message())
    if retry is not None:
        assert caught.value.retry is retry


def test_unreachable_gateway_is_not_sent_and_retried():
    with pytest.raises(NotSent) as caught:
        provider("http://127.0.0.1:9").send(message())
    assert caught.value.retry


def test_an_sms_without_dlt_registration_is_refused_before_the_gateway(gateway):
    with pytest.raises(NotSent):
        provider(gateway).send(message(dlt_template_id=""))
    assert FakeGateway.requests == []


def test_lookup_by_client_reference(gateway):
    FakeGateway.known = {"urja-41"}
    assert provider(gateway).lookup("urja-41") is True
    assert provider(gateway).lookup("urja-42") is False
    assert provider(gateway, STATUS_URL="").lookup("urja-41") is None
