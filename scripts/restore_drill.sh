#!/usr/bin/env bash
# Backup and restore drill (docs/operations/backups.md): dump a database with pg_dump, restore it into
# a new database, and check that the copy is the same — tables, row counts, the ledger's sum and
# per-account balances, the append-only trigger and the app role's grants.
#
#   scripts/restore_drill.sh [SOURCE_DB]      (default urja_stack, as scripts/stack.sh leaves it)
#
# Prints the sizes and times; exit 0 when every check passed. The restored copy (SOURCE_DB_restored)
# and the dump file (under $DRILL_DIR, default /tmp) are removed at the end.
set -euo pipefail
SRC=${1:-urja_stack}
DST=${SRC}_restored
DIR=${DRILL_DIR:-/tmp}
DUMP=$DIR/$SRC.dump
PG=(-h 127.0.0.1 -U postgres)
q() { psql "${PG[@]}" -v ON_ERROR_STOP=1 -qAt -d "$1" -c "$2"; }
trap 'rm -f "$DUMP"; psql "${PG[@]}" -qAt -d postgres -c "DROP DATABASE IF EXISTS $DST WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

q postgres "SELECT 1 FROM pg_database WHERE datname = '$SRC'" | grep -q 1 || { echo "no database $SRC"; exit 2; }
start=$(date +%s.%N)
pg_dump "${PG[@]}" -Fc -Z 6 -d "$SRC" -f "$DUMP"
dumped=$(date +%s.%N)
q postgres "DROP DATABASE IF EXISTS $DST WITH (FORCE)"
owner=$(q postgres "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$SRC'")
q postgres "CREATE DATABASE $DST OWNER $owner"
pg_restore "${PG[@]}" -d "$DST" --exit-on-error -j 2 "$DUMP"
restored=$(date +%s.%N)

echo "source $SRC: $(q postgres "SELECT pg_size_pretty(pg_database_size('$SRC'))"); dump $(du -h "$DUMP" | cut -f1)"
awk -v a="$start" -v b="$dumped" -v c="$restored" 'BEGIN { printf "pg_dump %.1f s, pg_restore %.1f s\n", b - a, c - b }'

fail=0
same() { # label, query: equal on both databases
  local a b
  a=$(q "$SRC" "$2"); b=$(q "$DST" "$2")
  if [ "$a" = "$b" ]; then echo "  ok    $1 ($a)" | cut -c1-120; else echo "  FAIL  $1: $a vs $b"; fail=1; fi
}
same "tables" "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
same "bills" "SELECT COUNT(*) FROM billing_bill"
same "ledger entries" "SELECT COUNT(*) FROM ledger_ledgerentry"
same "ledger sum" "SELECT SUM(amount) FROM ledger_ledgerentry"
same "balances by account" "SELECT md5(string_agg(consumer_id || ':' || total, ',' ORDER BY consumer_id)) FROM (SELECT consumer_id, SUM(amount) total FROM ledger_ledgerentry GROUP BY 1) t"
same "payments" "SELECT COUNT(*) || '/' || COALESCE(SUM(amount), 0) FROM payments_payment"
same "consumers" "SELECT COUNT(*) FROM customers_consumer"
same "migrations" "SELECT COUNT(*) FROM django_migrations"
same "ledger trigger" "SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = 'ledger_ledgerentry'::regclass AND NOT tgisinternal"
same "app role grants on the ledger" "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE table_name = 'ledger_ledgerentry' AND grantee = 'urja_app'"
if psql "${PG[@]}" -qAt -d "$DST" -c "UPDATE ledger_ledgerentry SET amount = amount WHERE id = (SELECT MIN(id) FROM ledger_ledgerentry)" >/dev/null 2>&1; then
  echo "  FAIL  the restored ledger accepted an UPDATE"; fail=1
else
  echo "  ok    the restored ledger refuses an UPDATE"
fi
[ "$fail" = 0 ] && echo "restore drill passed" || { echo "restore drill FAILED"; exit 1; }
