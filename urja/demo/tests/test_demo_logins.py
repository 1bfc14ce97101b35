"""What `urja demo` prints at the end: the pages, one login per role and a consumer to try the portal."""

from io import StringIO

import pytest

from urja.demo.management.commands.demo import Command
from urja.portal.tests.test_account_pages import make_bill
from urja.testing import ConsumerFactory


@pytest.mark.django_db
def test_the_portal_and_a_consumer_to_log_in_as_are_printed(two_subdivisions):
    silent = ConsumerFactory(office=two_subdivisions["dc_a"], mobile="")
    make_bill(silent)
    consumer = ConsumerFactory(office=two_subdivisions["dc_a"], mobile="9812345678")
    make_bill(consumer)
    out = StringIO()
    command = Command(stdout=out)
    command.print_logins("127.0.0.1", 8000)
    text = out.getvalue()
    assert "Consumer portal: http://127.0.0.1:8000/" in text and "/demo/outbox/" in text
    assert "Field app     : http://127.0.0.1:8000/field/" in text and "/field/supervisor/" in text
    assert "Command centre: http://127.0.0.1:8000/staff/ucc/" in text and "/staff/revenue/" in text
    assert f"account {consumer.account_number} or mobile 9812345678" in text
    assert f"/pay/start/?account={consumer.account_number}" in text
