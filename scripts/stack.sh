#!/usr/bin/env bash
# The production stack on this machine, started and smoke-tested (docs/operations/deployment.md):
# gunicorn, a Celery worker for the billing queue and one for the side-effect queue, and Celery beat,
# on RabbitMQ, against PostgreSQL, with production settings and the two database roles (the app role
# owns nothing; the ledger is append-only to it).
#
#   scripts/stack.sh            set up, start, smoke-test, stop (exit 0 when every check passed)
#   scripts/stack.sh --serve    the same, then keep it running until Ctrl-C
#
# Needs: PostgreSQL on 127.0.0.1:5432 (a superuser `postgres` by trust or PGPASSWORD), RabbitMQ on
# 127.0.0.1:5672 (guest/guest), `make venv` done. It uses the database `urja_stack` (dropped and
# created afresh) and the roles `urja_owner` and `urja_app` (created when missing), and writes its logs,
# static files and beat schedule under .stack/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
STACK=${STACK_DIR:-$ROOT/.stack}
PORT=${STACK_PORT:-8077}
DB=${STACK_DB:-urja_stack}
PGHOST=127.0.0.1
CONSUMERS=${STACK_CONSUMERS:-600}
SERVE=0
[ "${1:-}" = "--serve" ] && SERVE=1

rm -rf "$STACK" && mkdir -p "$STACK"
pids=()
stop() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
say() { printf '== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*"; for f in "$STACK"/*.log; do echo "--- $f"; tail -n 30 "$f"; done; exit 1; }

psql_admin() { psql -h "$PGHOST" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

say "PostgreSQL: database $DB, roles urja_owner (schema) and urja_app (the processes)"
psql_admin -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
for role in urja_owner urja_app; do
  psql_admin -d postgres -c "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role LOGIN; END IF; END\$\$"
done
psql_admin -d postgres -c "CREATE DATABASE $DB OWNER urja_owner"
psql_admin -d "$DB" -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO urja_owner; CREATE EXTENSION IF NOT EXISTS pg_trgm"
OWNER_URL="postgres://urja_owner@$PGHOST:5432/$DB"
APP_URL="postgres://urja_app@$PGHOST:5432/$DB"

say "schema and demo data as the owner ($CONSUMERS consumers, six months billed; dev settings: the demo refuses production)"
DATABASE_URL=$OWNER_URL DJANGO_SETTINGS_MODULE=urja.settings.dev "$BIN/urja" migrate -v 0
DATABASE_URL=$OWNER_URL DJANGO_SETTINGS_MODULE=urja.settings.dev "$BIN/urja" demo --consumers "$CONSUMERS" \
  --host 127.0.0.1 --port "$PORT" > "$STACK/demo.log" 2>&1 || fail "urja demo"
DATABASE_URL=$OWNER_URL DJANGO_SETTINGS_MODULE=urja.settings.dev "$BIN/urja" dbroles urja_app > "$STACK/dbroles.log"
KEY=$(DATABASE_URL=$OWNER_URL DJANGO_SETTINGS_MODULE=urja.settings.dev "$BIN/urja" partner create "Stack smoke bank" \
  | tail -n 1)
[ -n "$KEY" ] || fail "no partner key printed"

# Production settings, as a deployment sets them (.env.example lists them all).
export DJANGO_SETTINGS_MODULE=urja.settings.production
export DATABASE_URL=$APP_URL
export SECRET_KEY
SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=0   # TLS ends at nginx in front (docs/operations/deployment.md); none on loopback
export CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672//
export URJA_DB_POOL_MAX=4
export URJA_HEALTH_TOKEN
URJA_HEALTH_TOKEN=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(24))')
export STATIC_ROOT=$STACK/static
export URJA_RUN_STALE_AFTER_MINUTES=30

say "static files"
"$BIN/urja" collectstatic --noinput -v 0 || fail "collectstatic"
"$BIN/urja" check --deploy --fail-level ERROR > "$STACK/check.log" 2>&1 || fail "check --deploy"

say "start: gunicorn on :$PORT, worker -Q billing, worker -Q celery, beat"
"$BIN/gunicorn" urja.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --worker-class gthread --timeout 60 --access-logfile "$STACK/access.log" > "$STACK/gunicorn.log" 2>&1 &
pids+=($!)
"$BIN/celery" -A urja.celery_app worker -Q billing -c 2 -n billing@%h --loglevel INFO > "$STACK/worker-billing.log" 2>&1 &
pids+=($!)
"$BIN/celery" -A urja.celery_app worker -Q celery -c 1 -n effects@%h --loglevel INFO > "$STACK/worker-effects.log" 2>&1 &
pids+=($!)
"$BIN/celery" -A urja.celery_app beat --schedule "$STACK/beat-schedule" --loglevel INFO > "$STACK/beat.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null 2>&1 && break; sleep 1; done

say "smoke tests"
check() { # name, then a command that must succeed
  local name=$1; shift
  if "$@" > "$STACK/check-$name.out" 2>&1; then echo "  ok    $name"; else echo "  FAIL  $name"; cat "$STACK/check-$name.out"; fail "$name"; fi
}
base="http://127.0.0.1:$PORT"
check health curl -fs "$base/healthz"
check health-detail bash -c "curl -fs -H 'X-Urja-Health-Token: $URJA_HEALTH_TOKEN' '$base/healthz' | grep -q '\"broker\": {\"status\": \"ok\"'"
check portal-hindi bash -c "curl -fs -H 'Accept-Language: hi' '$base/' | grep -q 'lang=\"hi\"'"
check staff-login bash -c "curl -fs '$base/staff/login/' | grep -q 'csrfmiddlewaretoken'"
check static bash -c "css=\$(curl -fs '$base/staff/login/' | grep -Eo '/static/[^\"]+\\.css' | head -1); [ -n \"\$css\" ] && curl -fsI \"$base\$css\" | grep -qi 'cache-control: max-age'"
ACCOUNT=$(psql_admin -d "$DB" -c "SELECT account_number FROM customers_consumer c WHERE EXISTS (SELECT 1 FROM billing_bill b WHERE b.consumer_id = c.id AND b.status = 'issued') ORDER BY id LIMIT 1")
check partner-bill-fetch bash -c "curl -fs -H 'X-API-Key: $KEY' '$base/api/v1/biller/bills?account=$ACCOUNT' | grep -q '\"account\": \"$ACCOUNT\"'"
check partner-needs-key bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' '$base/api/v1/biller/bills?account=$ACCOUNT')\" = 401 ]"
# A bill run through the broker: the month the demo billed last, run again — its partitions are billed
# by the billing worker, and every account is found billed already (one bill per account per period).
MONTH=$(psql_admin -d "$DB" -c "SELECT MAX(period) FROM billing_bill")
BILLS_BEFORE=$(psql_admin -d "$DB" -c "SELECT COUNT(*) FROM billing_bill")
check billrun-via-broker timeout 180 "$BIN/urja" billrun --cycle "$MONTH" --verbosity 0
check billing-worker-took-it grep -q "bill_partition_task.*received" "$STACK/worker-billing.log"
check no-second-bill bash -c "[ \"\$(psql -h $PGHOST -U postgres -qAt -d $DB -c 'SELECT COUNT(*) FROM billing_bill')\" = '$BILLS_BEFORE' ]"
check app-cannot-rewrite-ledger bash -c "! psql -h $PGHOST -U urja_app -qAt -d $DB -c 'UPDATE ledger_ledgerentry SET amount = 0 WHERE id = (SELECT MIN(id) FROM ledger_ledgerentry)'"
# Beat sends an interval task once its interval has passed since start: the outbox sweep, after 60 s.
for _ in $(seq 1 100); do grep -q "Sending due task" "$STACK/beat.log" && break; sleep 1; done
check beat-sends grep -q "Sending due task" "$STACK/beat.log"
for _ in $(seq 1 30); do grep -q "received" "$STACK/worker-effects.log" && break; sleep 1; done
check effects-worker-runs-beat-tasks grep -q "received" "$STACK/worker-effects.log"
check gunicorn-served grep -q '"GET /healthz' "$STACK/access.log"
echo "all smoke tests passed (logs under .stack/)"

if [ "$SERVE" = 1 ]; then
  echo "Urja runs on $base (production settings; logins as printed in .stack/demo.log). Ctrl-C stops it."
  wait
fi
