"""Locust users for `bench/load/run_load.py` (headless, bounded, loopback only). Which user classes run
is chosen by the runner (one scenario at a time); what they fetch comes from the JSON file the runner
prepares (LOAD_FIXTURE): sample accounts, the partner's key, portal and staff session cookies."""

import itertools
import json
import os
import random
import uuid

from locust import FastHttpUser, HttpUser, constant, task

with open(os.environ["LOAD_FIXTURE"], encoding="utf-8") as _file:
    FIXTURE = json.load(_file)
ACCOUNTS = FIXTURE["accounts"]
_counter = itertools.count()


def _expect(response, status: int, text: str) -> None:
    """A request counts as served only with the page or answer asked for: a redirect to the login page
    or an error page is a failure, whatever its status code."""
    body = response.text or ""
    if response.status_code != status:
        response.failure(f"status {response.status_code}")
    elif text not in body:
        response.failure(f"{text!r} not in the response")
    else:
        response.success()


class PartnerBillFetch(FastHttpUser):
    """A bank's or BBPS agent's bill fetch: GET /api/v1/biller/bills?account=… with its API key."""

    wait_time = constant(0)

    @task
    def fetch(self):
        account = random.choice(ACCOUNTS)
        with self.client.get(
            f"/api/v1/biller/bills?account={account}",
            headers={"X-API-Key": FIXTURE["partner_key"]},
            name="partner bill fetch",
            catch_response=True,
        ) as response:
            _expect(response, 200, f'"account": "{account}"')


class PartnerPayment(FastHttpUser):
    """A partner posting payments, each with its own reference (a new posting every time)."""

    wait_time = constant(0)

    @task
    def pay(self):
        account = random.choice(ACCOUNTS)
        body = {
            "account": account,
            "amount": "10.00",
            "reference": f"LOAD-{uuid.uuid4().hex[:20]}",
            "channel": "BBPS",
            "paid_at": FIXTURE["paid_at"],
        }
        with self.client.post(
            "/api/v1/biller/payments",
            data=json.dumps(body),
            headers={"X-API-Key": FIXTURE["partner_key"], "Content-Type": "application/json"},
            name="partner payment",
            catch_response=True,
        ) as response:
            _expect(response, 201, f'"reference": "{body["reference"]}"')


class PortalBillPage(HttpUser):  # requests' cookie handling (a session cookie set up front)
    """A consumer signed in to the portal, opening their account page (latest bill, history)."""

    wait_time = constant(0)

    def on_start(self):
        sessions = FIXTURE["portal_sessions"]
        self.session, self.account_number = sessions[next(_counter) % len(sessions)]

    @task
    def account(self):
        with self.client.get(
            "/account/",
            headers={"Cookie": f"sessionid={self.session}"},
            name="portal account page",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _expect(response, 200, self.account_number)


class StaffConsumerPage(HttpUser):
    """An officer opening consumers' pages (any consumer of the discom)."""

    wait_time = constant(0)

    def on_start(self):
        self.client.cookies.set("sessionid", FIXTURE["staff_session"])

    @task
    def consumer(self):
        account = random.choice(FIXTURE["staff_accounts"])
        with self.client.get(
            f"/staff/consumers/{account}/",
            name="staff consumer page",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            _expect(response, 200, account)
