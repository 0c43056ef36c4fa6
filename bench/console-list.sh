#!/usr/bin/env bash
# Benchmark: the Auth Clients list (console page and REST API) with 100,000 clients.
#
# Builds the jar if it is missing, starts it on a fresh embedded H2 database, seeds the clients in one SQL statement
# (through H2's own shell, while the server is stopped), starts the server again, signs in and drives load with wrk.
# Prints requests/s and latency percentiles for each scenario. Everything runs on 127.0.0.1 and stops by itself.
#
#   bench/console-list.sh                 # 100,000 clients, 20 s per scenario, 8 connections
#   CLIENTS=20000 DURATION=10s CONNECTIONS=4 bench/console-list.sh
set -euo pipefail

CLIENTS=${CLIENTS:-100000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
JAR="$ROOT/target/gatehouse.jar"
PASSWORD=bench-password-$$
SERVER_PID=

cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)

DB_URL="jdbc:h2:file:$WORK/data/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"

start_server() {
  (cd "$WORK" && exec java -Xmx1g -jar "$JAR" --server.port="$PORT" --management.server.port=0 --spring.datasource.url="$DB_URL" \
      --gatehouse.admin.username=bench --gatehouse.admin.password="$PASSWORD" >"$WORK/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/login" && return 0
    sleep 0.5
  done
  echo "server did not start; see $WORK/server.log" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

echo "== starting once to create the schema"
start_server
stop_server

echo "== seeding $CLIENTS auth clients"
H2_JAR=$(cd "$WORK" && unzip -Z1 "$JAR" | grep -E 'BOOT-INF/lib/h2-.*\.jar$' | head -1)
(cd "$WORK" && unzip -q -o "$JAR" "$H2_JAR")
java -cp "$WORK/$H2_JAR" org.h2.tools.Shell -url "$DB_URL" -user sa -sql "
  insert into auth_client (id, name, name_key, authorization_code, password_grant, personal_access,
                           redirect_uris, revoked, version, created_at, updated_at)
  select 'bench-' || x, 'Bench client ' || x, 'bench client ' || x, true, mod(x, 2) = 0, false,
         'https://app' || x || '.example.com/callback', false, 1,
         dateadd('SECOND', x, timestamp with time zone '2026-01-01 00:00:00+00'),
         dateadd('SECOND', x, timestamp with time zone '2026-01-01 00:00:00+00')
  from (select \"X\" as x from system_range(1, $CLIENTS)) r;" >/dev/null
# SYSTEM_RANGE's column is "X" in capitals, which an unquoted x does not match under DATABASE_TO_LOWER=TRUE; and the
# H2 shell reports a failed statement without failing, so count what arrived
SEEDED=$(java -cp "$WORK/$H2_JAR" org.h2.tools.Shell -url "$DB_URL" -user sa \
  -sql "select count(*) as seeded from auth_client where id like 'bench-%'" | grep -oE '^[0-9]+$' || true)
[ "$SEEDED" = "$CLIENTS" ] || { echo "seeding failed: $SEEDED of $CLIENTS clients in the database" >&2; exit 1; }

echo "== starting the server"
start_server

echo "== signing in"
JAR_COOKIES="$WORK/cookies"
CSRF=$(curl -s -c "$JAR_COOKIES" -b "$JAR_COOKIES" "http://127.0.0.1:$PORT/login" | grep -oP 'name="_csrf" value="\K[^"]+')
curl -s -o /dev/null -c "$JAR_COOKIES" -b "$JAR_COOKIES" --data-urlencode "username=bench" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$CSRF" "http://127.0.0.1:$PORT/login"
SESSION=$(awk '$6 == "JSESSIONID" { print $7 }' "$JAR_COOKIES")
[ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }

run() {
  local title=$1 path=$2
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: JSESSIONID=$SESSION" "http://127.0.0.1:$PORT$path")
  [ "$status" = 200 ] || { echo "$title: $path answered $status" >&2; exit 1; }
  echo
  echo "-- $title  ($path)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: JSESSIONID=$SESSION" \
      "http://127.0.0.1:$PORT$path" | grep -E 'Requests/sec|^ +(50|75|90|99)%|Latency +[0-9]|Non-2xx'
}

echo "== warming up"
for path in /admin/auth-clients /api/1.0/auth-clients; do
  wrk -t1 -c2 -d10s -H "Cookie: JSESSIONID=$SESSION" "http://127.0.0.1:$PORT$path" >/dev/null
done

echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "Clients: $CLIENTS; wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per scenario"
run "console list, first page by name" "/admin/auth-clients"
run "console list, page 5,000 by created" "/admin/auth-clients?order_by=created_at&order_direction=desc&page=5000"
run "API list, first page by name" "/api/1.0/auth-clients"
run "API list, page 2,000 by name, 50 per page" "/api/1.0/auth-clients?page=2000&per_page=50"
run "API search by redirect URL" "/api/1.0/auth-clients?filter=app4242.example"
