"""Exit 0 when the PostgreSQL server in the given URL accepts connections, 1 otherwise."""

import sys

import psycopg

url = sys.argv[1]
# Connect to the maintenance database: pytest creates its own test database.
base = url.rsplit("/", 1)[0] + "/postgres"
try:
    with psycopg.connect(base, connect_timeout=3) as conn:
        conn.execute("select 1")
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
sys.exit(0)
