"""`urja dbroles APP_ROLE [--print]`: give the application's PostgreSQL role what it needs and no more.

Run as the owner role (the one that runs `urja migrate` and so owns the tables), after every migrate.
The app role may read and write ordinary tables, but only read and append the ledger: it cannot UPDATE,
DELETE or TRUNCATE ledger entries, and, owning nothing, cannot DROP or ALTER the table or DISABLE its
append-only trigger. docs/operations/README.md shows the whole set-up."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from urja.ledger.models import LedgerEntry

#: Tables the app role may only read and append to.
APPEND_ONLY_MODELS = [LedgerEntry]
#: Tables the app role may only read (Django's record of applied migrations is the owner's).
READ_ONLY_TABLES = ["django_migrations"]

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(app_role: str, schema: str) -> list[str]:
    qn = connection.ops.quote_name
    role, schema = qn(app_role), qn(schema)
    append_only = [qn(model._meta.db_table) for model in APPEND_ONLY_MODELS]
    read_only = [qn(name) for name in READ_ONLY_TABLES]
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        # From a known state each time, so running it again after a migration gives the same result.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        *(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {role}" for table in read_only),
        *(f"REVOKE UPDATE, DELETE ON {table} FROM {role}" for table in append_only),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        # Tables a later migration creates are usable before this command runs again.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


class Command(BaseCommand):
    help = (
        "Grant the application's PostgreSQL role SELECT/INSERT/UPDATE/DELETE on ordinary tables and only "
        "SELECT/INSERT on the ledger. Run as the role that owns the tables, after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("app_role", help="the role the web and worker processes connect as")
        parser.add_argument(
            "--print", action="store_true", dest="print_only", help="print the SQL, run nothing"
        )

    def handle(self, *args, app_role: str, print_only: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("urja dbroles is for PostgreSQL; SQLite has no roles.")
        if not _ROLE_NAME.match(app_role):
            raise CommandError("A role name has lower-case letters, digits and underscores only.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema()")
            owner, schema = cursor.fetchone()
            statements = grant_statements(app_role, schema)
            if print_only:
                self.stdout.write(";\n".join(statements) + ";")
                return
            self._check_roles(cursor, owner=owner, app_role=app_role)
            with transaction.atomic():
                for sql in statements:
                    cursor.execute(sql)
        tables = ", ".join(model._meta.db_table for model in APPEND_ONLY_MODELS)
        self.stdout.write(
            self.style.SUCCESS(
                f"{app_role} may read and write the tables of schema {schema} owned by {owner}, "
                f"and only read and append to {tables}."
            )
        )

    def _check_roles(self, cursor, *, owner: str, app_role: str) -> None:
        if app_role == owner:
            raise CommandError("The app role must not be the owner: run this as the owner role.")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [app_role])
        row = cursor.fetchone()
        if row is None:
            raise CommandError(f"No role {app_role}: create it first (docs/operations/README.md).")
        if row[0]:
            raise CommandError(f"{app_role} is a superuser: nothing can be refused to it.")
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app_role, owner])
        if cursor.fetchone()[0]:
            raise CommandError(f"{app_role} is a member of {owner} and so has its rights over every table.")
