"""The app's database role cannot rewrite the ledger: not by UPDATE, DELETE or TRUNCATE, and, owning
nothing, not by disabling the append-only trigger or dropping the table. It still does its daily work."""

import datetime
import io
import os
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from urja.customers import services as customer_services
from urja.ledger.choices import EntryType
from urja.ledger.models import LedgerEntry
from urja.ledger.services import entry_post

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

REFUSED = [
    "UPDATE ledger_ledgerentry SET amount = 0",
    "DELETE FROM ledger_ledgerentry",
    "TRUNCATE ledger_ledgerentry",
    "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ledger_entry_append_only",
    "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ALL",
    "DROP TRIGGER ledger_entry_append_only ON ledger_ledgerentry",
    "DROP TABLE ledger_ledgerentry CASCADE",
    "ALTER TABLE ledger_ledgerentry OWNER TO CURRENT_USER",
    "SET session_replication_role = replica",
    "CREATE TABLE ledger_copy (id int)",
    "DELETE FROM django_migrations",
]


@pytest.fixture
def app_role():
    """A role created inside the test's transaction (so it goes when the test does), granted by the
    command exactly as in production."""
    name = f"urja_test_app_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN")
    call_command("dbroles", name, stdout=io.StringIO())
    return name


def post(consumer, amount):
    return entry_post(
        consumer=consumer,
        entry_type=EntryType.BILL,
        amount=Decimal(amount),
        entry_date=datetime.date(2026, 11, 5),
        description="bill",
    )


def test_the_app_role_appends_and_reads_but_cannot_rewrite_the_ledger(two_subdivisions, app_role):
    consumer = two_subdivisions["consumer_a"]
    first = post(consumer, "100.00")
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {app_role}")
        try:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
            # The daily work: post to the ledger, read it, change a consumer (history written too).
            second = post(consumer, "50.00")
            assert LedgerEntry.objects.filter(consumer=consumer).count() == 2
            customer_services.consumer_update(consumer=consumer, village_town="Malihabad", reason="survey")
            for sql in REFUSED:
                with (
                    pytest.raises(DatabaseError, match="permission denied|must be owner"),
                    transaction.atomic(),
                ):
                    cursor.execute(sql)
        finally:
            cursor.execute("RESET ROLE")
    assert {e.pk: e.amount for e in LedgerEntry.objects.filter(consumer=consumer)} == {
        first.pk: Decimal("100.00"),
        second.pk: Decimal("50.00"),
    }


def test_running_it_again_after_a_migration_is_harmless(app_role):
    call_command("dbroles", app_role, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = 'ledger_ledgerentry' ORDER BY 1",
            [app_role],
        )
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]


def test_print_shows_the_sql_and_grants_nothing(app_role):
    out = io.StringIO()
    call_command("dbroles", "urja_nobody", "--print", stdout=out)
    assert 'REVOKE UPDATE, DELETE ON "ledger_ledgerentry" FROM "urja_nobody"' in out.getvalue()


@pytest.mark.parametrize(
    ("role", "message"),
    [("postgres", "owner"), ("Robert'); DROP", "lower-case"), ("urja_missing_role", "No role")],
)
def test_refuses_a_role_that_could_not_be_held_back(role, message):
    with pytest.raises(CommandError, match=message):
        call_command("dbroles", role, stdout=io.StringIO())


def test_refuses_a_member_of_the_owner_role():
    name = f"urja_test_member_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(f"CREATE ROLE {name} NOLOGIN SUPERUSER")
    with pytest.raises(CommandError, match="superuser"):
        call_command("dbroles", name, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER ROLE {name} NOSUPERUSER")
        cursor.execute(f"GRANT {owner} TO {name}")
    with pytest.raises(CommandError, match="member of"):
        call_command("dbroles", name, stdout=io.StringIO())
