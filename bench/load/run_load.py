"""The web tier under load: gunicorn with production settings against a PostgreSQL benchmark database
(the one `urja bench billing --consumers 1000000` leaves: a million consumers with a year of bills),
driven by locust, headless, bounded and on loopback only, one scenario at a time:

    .venv/bin/pip install -c requirements/lock.txt -e '.[bench]'     # locust (make load does it)
    .venv/bin/python bench/load/run_load.py [--pg URL] [--users 40] [--seconds 30]

Scenarios: a partner's bill fetch, a partner's payment posting, the portal account (bill) page of a
signed-in consumer, the staff consumer page of an officer. Prints, per scenario, requests per second,
median and 95th percentile latency and failures, and saves them to bench/results/load-<date>-<users>-users.json.
Locust runs on the same 2 cores as gunicorn and PostgreSQL here, so the rates are what the three
together reach on one small machine. Timings are noisy: compare runs on one machine, never assert."""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCENARIOS = {
    "partner bill fetch": "PartnerBillFetch",
    "partner payment": "PartnerPayment",
    "portal account page": "PortalBillPage",
    "staff consumer page": "StaffConsumerPage",
}
TARGETS = {"partner bill fetch": {"rps": 300, "p95_ms": 200}}


def prepare(sample: int) -> dict:
    """Sample accounts with an issued bill, a partner's key, portal and staff sessions."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urja.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from urja.api.models import Partner
    from urja.api.services import partner_create, partner_rotate_key
    from urja.common import clock
    from urja.org.choices import OfficeLevel, Role
    from urja.org.models import Office, User
    from urja.portal import session as portal_session

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.id, c.account_number, c.mobile, c.office_id FROM customers_consumer c
               TABLESAMPLE SYSTEM (5) REPEATABLE (7)
               WHERE EXISTS (SELECT 1 FROM billing_bill b WHERE b.consumer_id = c.id AND b.status = 'issued')
               LIMIT %s""",
            [sample],
        )
        rows = cursor.fetchall()
    if not rows:
        raise SystemExit("no billed consumers: run `urja bench billing --consumers N` on this database first")
    partner = Partner.objects.filter(name="Load test bank").first()
    key = partner_rotate_key(partner=partner) if partner else partner_create(name="Load test bank")[1]
    portal = []
    # A portal session proves the account's registered mobile (accounts without one cannot sign in).
    for cid, account, mobile, _office in [row for row in rows if row[2]][:200]:
        store = SessionStore()
        store[portal_session.SESSION_MOBILE] = mobile
        store[portal_session.SESSION_ACCOUNTS] = [cid]
        store[portal_session.SESSION_CURRENT] = cid
        store.create()
        portal.append([store.session_key, account])
    first_office = Office.objects.get(pk=rows[0][3])  # the officer's discom: the first sampled account's
    discom = Office.objects.get(level=OfficeLevel.DISCOM, path=first_office.path.split("/")[0] + "/")
    officer, _ = User.objects.update_or_create(
        username="load_officer", defaults={"role": Role.MANAGEMENT, "office": discom, "is_staff": True}
    )
    officer.set_password(secrets.token_urlsafe(16))
    officer.save()
    store = SessionStore()
    store[SESSION_KEY] = str(officer.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    store.create()
    in_discom = list(Office.objects.filter(path__startswith=discom.path).values_list("id", flat=True))
    staff_accounts = [account for _cid, account, _m, office in rows if office in set(in_discom)]
    return {
        "accounts": [account for _cid, account, _m, _o in rows],
        "partner_key": key,
        "paid_at": (clock.localtime() - datetime.timedelta(hours=1)).isoformat(timespec="seconds"),
        "portal_sessions": portal,
        "staff_session": store.session_key,
        "staff_accounts": staff_accounts or [rows[0][1]],
    }


def serve(port: int, workers: int, threads: int, env: dict, log) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "urja.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
            "--timeout", "60", "--log-level", "warning",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True,
    )  # fmt: skip
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(1)
    proc.kill()
    raise SystemExit(f"gunicorn did not come up: see {log.name}")


def run_scenario(name: str, port: int, users: int, seconds: int, fixture: Path, out: Path) -> dict:
    prefix = out / name.replace(" ", "_")
    subprocess.run(
        [
            str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), SCENARIOS[name],
            "--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
            "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--only-summary",
            "--stop-timeout", "5", "--loglevel", "WARNING",
        ],
        env={**os.environ, "LOAD_FIXTURE": str(fixture)}, check=False, capture_output=True, text=True,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    row = rows[name]
    result = {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "median_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "users": users,
        "seconds": seconds,
    }
    if name in TARGETS:
        target = TARGETS[name]
        result["target"] = target
        result["met"] = result["rps"] >= target["rps"] and result["p95_ms"] < target["p95_ms"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/urja_bench_billing")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--only", choices=list(SCENARIOS), action="append")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.pg
    # Sessions are signed with SECRET_KEY: the fixture's and the server's must be the same key.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    fixture_data = prepare(sample=5000)
    work = Path(tempfile.mkdtemp(prefix="urja-load-"))
    fixture = work / "fixture.json"
    fixture.write_text(json.dumps(fixture_data))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "urja.settings.production",
        "DATABASE_URL": args.pg,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "URJA_DB_POOL_MAX": str(args.threads),
    }
    env.pop("CELERY_BROKER_URL", None)
    # Production serves hashed static files from STATIC_ROOT (the manifest): collect them first.
    env["STATIC_ROOT"] = str(work / "static")
    subprocess.run([str(BIN / "urja"), "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    log = open(work / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
    server = serve(args.port, args.workers, args.threads, env, log)
    results: dict = {
        "date": datetime.date.today().isoformat(),
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "database": args.pg.rsplit("/", 1)[-1],
        "users": args.users,
        "seconds": args.seconds,
        "scenarios": {},
    }
    try:
        for name in args.only or list(SCENARIOS):
            result = run_scenario(name, args.port, args.users, args.seconds, fixture, work)
            results["scenarios"][name] = result
            print(
                f"{name:22s} {result['rps']:7.1f} req/s  median {result['median_ms']:.0f} ms  "
                f"p95 {result['p95_ms']:.0f} ms  failures {result['failures']}/{result['requests']}"
                + (f"  target {'met' if result['met'] else 'NOT met'}" if "met" in result else ""),
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    out = ROOT / "bench" / "results" / f"load-{results['date']}-{args.users}-users.json"
    if out.exists() and args.only:  # a run of some scenarios keeps the others measured that day
        earlier = json.loads(out.read_text())
        results["scenarios"] = {**earlier.get("scenarios", {}), **results["scenarios"]}
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"saved {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
