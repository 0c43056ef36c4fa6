#!/usr/bin/env bash
# bench/nodes.sh: two Gatehouse nodes on one PostgreSQL, measured and broken on purpose.
#
#   scale    client credentials and introspection with wrk through ONE node (-c CONNS), then through BOTH (two wrk
#            processes side by side, CONNS/2 connections each, summed), in one run: the scaling factor. On a 2-core
#            machine the load generator, both JVMs and PostgreSQL share the same cores, so expect it flat or below 1.
#   faults   bench/lib/NodesDriver.java keeps WORKERS threads busy on both nodes (4 in 5 requests a token, 1 in 5 a
#            new client through the REST API) and records every 2xx; a probe measures, every 2 s, how long after a
#            revocation on A node B still says the token is active. Under that load, one after the other:
#              after WARM (15 s)  kill -9 node A; B must keep serving
#              after DOWN (15 s)  start A again, same command, no manual step; it must serve again once ready
#              after SETTLE (20 s) restart PostgreSQL in immediate mode (as a crash: no checkpoint, WAL recovery)
#              after SETTLE       terminate node B's LISTEN connection (pg_terminate_backend): B must not serve stale
#              after SETTLE       stop the load
#            then every acknowledged token must introspect as active on both nodes and every acknowledged client must
#            be readable on both; the run fails when any is not. Prints the per-second table (2xx and failures per
#            node, probe delays) and a summary: requests per phase, time to recover, worst probe delay.
#
#   bench/nodes.sh                  # both, about 5 minutes on a quiet machine
#   MODES=faults bench/nodes.sh
#
# Env: MODES ("scale faults") THREADS (2) CONNS (32) WARMUP (10) DURATION (15) WRK_TIMEOUT (10) WORKERS (6)
#      JAVA (java) JAVA_OPTS GATEHOUSE_JAR (target/gatehouse.jar, built when missing) MVN (mvn)
#      PORT_A (18290) PORT_B (18291) PG_PORT (18433) WARM DOWN SETTLE (see above)
#      OUT (/tmp/gatehouse-nodes/<date-time>): results, logs, the records of every acknowledged write
# Needs: wrk, curl, jq, openssl, a JDK 17+, PostgreSQL 15 binaries (apt-get install postgresql; the script runs its own
# throwaway cluster with the defaults: fsync and synchronous_commit on). Stops everything it started, also on failure.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
MODES="${MODES:-scale faults}"
THREADS="${THREADS:-2}" CONNS="${CONNS:-32}" WARMUP="${WARMUP:-10}" DURATION="${DURATION:-15}" WRK_TIMEOUT="${WRK_TIMEOUT:-10}"
export THREADS CONNS WARMUP DURATION WRK_TIMEOUT
JAVA="${JAVA:-java}" JAVA_OPTS="${JAVA_OPTS:-}" MVN="${MVN:-mvn}" WORKERS="${WORKERS:-6}"
GATEHOUSE_JAR="${GATEHOUSE_JAR:-$ROOT/target/gatehouse.jar}"
PORT_A="${PORT_A:-18290}" PORT_B="${PORT_B:-18291}" PG_PORT="${PG_PORT:-18433}"
WARM="${WARM:-15}" DOWN="${DOWN:-15}" SETTLE="${SETTLE:-20}"
OUT="${OUT:-/tmp/gatehouse-nodes/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
chmod 700 "$OUT"   # the run's throwaway credentials are written here
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"
: >"$RESULTS"
want() { [[ " $MODES " == *" $1 "* ]]; }
need wrk curl jq openssl "$JAVA"
port_free "$PORT_A"; port_free "$PORT_B"

ADMIN=bench-admin
ADMIN_PASSWORD=$(openssl rand -hex 16)
KEK=$(openssl rand -base64 32)
DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/gatehouse"
declare -A PID=() T0=()

stop_pid() { # PID: TERM, wait up to 30 s, then KILL
  local p=$1 i
  kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null || true
}
cleanup() {
  local rc=$? n
  set +e
  for n in "${!PID[@]}"; do stop_pid "${PID[$n]}"; done
  pg_stop
  [ "$rc" = 0 ] || log "stopped with status $rc; everything so far is in $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() { [ "$1" = a ] && echo "$PORT_A" || echo "$PORT_B"; }
# node_start a|b: the jar on the shared database, each node with its own port and management port
node_start() {
  local n=$1 port; port=$(port_of "$1")
  mkdir -p "$OUT/node-$n"
  T0[$n]=$(now)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  (cd "$OUT/node-$n" && exec env SERVER_PORT="$port" SERVER_ADDRESS=127.0.0.1 MANAGEMENT_SERVER_PORT=$((port + 100)) \
      SPRING_DATASOURCE_URL="$DB_URL" SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= \
      GATEHOUSE_KEY_ENCRYPTION_KEY="$KEK" GATEHOUSE_ISSUER="http://127.0.0.1:$PORT_A" \
      GATEHOUSE_ADMIN_USERNAME="$ADMIN" GATEHOUSE_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
      "$JAVA" $JAVA_OPTS -jar "$GATEHOUSE_JAR") >>"$OUT/node-$n.log" 2>&1 &
  PID[$n]=$!
}
# node_ready a|b: waits for the first 200 of GET /login; prints the seconds since node_start
node_ready() {
  local n=$1 url; url="http://127.0.0.1:$(port_of "$1")/login"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; do
    kill -0 "${PID[$n]}" 2>/dev/null || { tail -40 "$OUT/node-$n.log" >&2; die "node $n stopped during start-up"; }
    awk -v e="$(since "${T0[$n]}")" 'BEGIN{exit !(e > 300)}' && die "node $n not ready after 300 s"
    sleep 0.1
  done
  since "${T0[$n]}"
}

if [ ! -f "$GATEHOUSE_JAR" ]; then
  log "building $GATEHOUSE_JAR (mvn -q -B -DskipTests package)"
  (cd "$ROOT" && "$MVN" -q -B -DskipTests package) >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "the build failed"; }
fi
JAVAC="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac"
mkdir -p "$OUT/classes"
"$JAVAC" -nowarn -d "$OUT/classes" "$BENCH/lib/NodesDriver.java" || die "javac NodesDriver failed"
driver() { "$JAVA" -cp "$OUT/classes" -Dworkers="$WORKERS" NodesDriver "$@"; }

log "load average before: $(loadavg)"
pg_start "$PG_PORT"
pg_sql "$PG_PORT" postgres "create database gatehouse" >/dev/null
node_start a
log "node a ready in $(node_ready a) s (migrations, first admin, first key)"
node_start b
log "node b ready in $(node_ready b) s"
A="http://127.0.0.1:$PORT_A" B="http://127.0.0.1:$PORT_B"
driver setup "$A" "$ADMIN" "$ADMIN_PASSWORD" "$OUT/state.properties"
LOAD_AUTH=$(basic "$(sed -n 's/^load_id=//p' "$OUT/state.properties")" "$(sed -n 's/^load_secret=//p' "$OUT/state.properties")")

# ---- scale ----
# wrk_pair NAME: the same request through A alone with CONNS connections, then through A and B at once with CONNS/2
# each; records one row per run and a "sum" row
wrk_pair() {
  local name=$1 path=$2 half=$((CONNS / 2)) ra rb
  gh_wrk one-node "$name" "$A$path"
  local save=$CONNS
  CONNS=$half
  local other
  wrk -t1 -c"$half" -d"${WARMUP}s" --timeout "${WRK_TIMEOUT}s" -s "$LUA" "$A$path" >/dev/null 2>&1 & other=$!
  wrk -t1 -c"$half" -d"${WARMUP}s" --timeout "${WRK_TIMEOUT}s" -s "$LUA" "$B$path" >/dev/null 2>&1 || true
  wait "$other" || true
  local lb; lb=$(loadavg)
  wrk -t1 -c"$half" -d"${DURATION}s" --timeout "${WRK_TIMEOUT}s" --latency -s "$LUA" "$A$path" >"$OUT/wrk-$name-a.txt" 2>&1 & other=$!
  wrk -t1 -c"$half" -d"${DURATION}s" --timeout "${WRK_TIMEOUT}s" --latency -s "$LUA" "$B$path" >"$OUT/wrk-$name-b.txt" 2>&1 || true
  wait "$other" || true
  CONNS=$save
  ra=$(grep '^RESULT' "$OUT/wrk-$name-a.txt" || echo "RESULT rps=0")
  rb=$(grep '^RESULT' "$OUT/wrk-$name-b.txt" || echo "RESULT rps=0")
  local -A x=() y=()
  local f
  for f in ${ra#RESULT }; do x[${f%%=*}]=${f#*=}; done
  for f in ${rb#RESULT }; do y[${f%%=*}]=${f#*=}; done
  local errors=$(( ${x[non2xx]:-1} + ${x[bad_body]:-0} + ${x[timeout]:-0} + ${y[non2xx]:-1} + ${y[bad_body]:-0} + ${y[timeout]:-0} ))
  record two-nodes "$name" "$(awk -v a="${x[rps]:-0}" -v b="${y[rps]:-0}" 'BEGIN{printf "%.1f", a + b}')" \
    "${x[p50_ms]:-}/${y[p50_ms]:-}" "${x[p99_ms]:-}/${y[p99_ms]:-}" $(( ${x[requests]:-0} + ${y[requests]:-0} )) \
    "$errors" "$([ "$errors" = 0 ] && echo 1 || echo 0)" "A ${x[rps]:-?} + B ${y[rps]:-?} req/s" "$lb" "$(loadavg)"
  log "two nodes $name: A ${x[rps]:-?} + B ${y[rps]:-?} req/s, errors $errors"
}
if want scale; then
  log "== scale: one node, then two"
  export WRK_METHOD=POST WRK_AUTH="$LOAD_AUTH" WRK_BODY="grant_type=client_credentials" WRK_EXPECT=""
  wrk_pair cc /oauth/token
  TOKEN=$(curl -s -H "Authorization: $LOAD_AUTH" --data grant_type=client_credentials "$A/oauth/token" | jq -r .access_token)
  export WRK_BODY="token=$TOKEN" WRK_EXPECT='"active":true'
  wrk_pair introspect /oauth/introspect
  unset WRK_EXPECT
fi

# ---- faults ----
SUMMARY="$OUT/summary.txt"
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY" >&2; }
if want faults; then
  log "== faults: load on both nodes; kill -9 A after ${WARM} s, start A again ${DOWN} s later, then ${SETTLE} s each: restart PostgreSQL, cut B's LISTEN, stop"
  rm -f "$OUT/stop"
  driver load "$A" "$B" "$OUT/state.properties" "$OUT/stop" "$OUT/records.txt" >"$OUT/timeline.txt" 2>"$OUT/driver.log" &
  DRIVER=$!
  LOAD_T0=$(now)
  mark() { say "t=$(since "$LOAD_T0") $*"; eval "T_$1=$(since "$LOAD_T0")"; }
  sleep "$WARM"
  kill -KILL "${PID[a]}"; wait "${PID[a]}" 2>/dev/null || true
  mark KILL "kill -9 node a (pid ${PID[a]})"
  sleep "$DOWN"
  node_start a
  mark RESTART "node a started again (same command, same database)"
  say "  node a ready after $(node_ready a) s"
  sleep "$SETTLE"
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=100" restart >>"$OUT/pg-restart.log" 2>&1 \
    || die "PostgreSQL did not restart (see $OUT/pg-restart.log)"
  mark PG "PostgreSQL restarted in immediate mode (no checkpoint: crash recovery from the WAL)"
  sleep "$SETTLE"
  cut=$(pg_sql "$PG_PORT" gatehouse "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name like 'gatehouse-change-listener ${PID[b]}@%'")
  mark LISTEN "terminated node b's LISTEN connection ($cut session)"
  sleep "$SETTLE"
  touch "$OUT/stop"
  wait "$DRIVER" || die "the load driver failed (see $OUT/driver.log)"
  cat "$OUT/timeline.txt" >&2
  # recovery: the first second after each fault with 2xx answers again on the node that was hit
  after() { awk -v from="$1" -v col="$2" '{ split($1, t, "="); split($col, v, "="); if (t[2] > from && v[2] > 0) { print t[2] - from; exit } }' "$OUT/timeline.txt"; }
  span() { awk -v from="$1" -v to="$2" -v col="$3" '{ split($1, t, "="); split($col, v, "="); if (t[2] > from && t[2] <= to) s += v[2] } END { print s + 0 }' "$OUT/timeline.txt"; }
  say "node b while a was down: $(span "$T_KILL" "$T_RESTART" 6) ok, $(span "$T_KILL" "$T_RESTART" 7) failed"
  say "node a serving again $(after "$T_RESTART" 3) s after its start began"
  say "after the PostgreSQL restart: a served again within $(after "$T_PG" 3) s, b within $(after "$T_PG" 6) s"
  say "after the LISTEN cut: b served within $(after "$T_LISTEN" 6) s"
  say "probe (revocation on a, seen on b), worst delay: $(grep -oE 'probe_ms=[^ ]+' "$OUT/timeline.txt" | cut -d= -f2 | tr ',' '\n' | grep -v '^-$' | sort -n | tail -1) ms; rounds: $(grep -oE 'probe_ms=[^ ]+' "$OUT/timeline.txt" | cut -d= -f2 | tr ',' '\n' | grep -vc '^-$')"
  grep -q STALE "$OUT/timeline.txt" && say "STALE: node b said a revoked token was active for more than 10 s"
  say "log lines with ERROR: a $(grep -c ' ERROR ' "$OUT/node-a.log" || true), b $(grep -c ' ERROR ' "$OUT/node-b.log" || true)"
  driver verify "$A" "$B" "$OUT/state.properties" "$OUT/records.txt" | tee -a "$SUMMARY" >&2 || VERIFY_FAILED=1
fi

# ---- the table ----
echo
if want scale; then
  printf '%-12s %-11s %12s %14s %14s %8s  %s\n' run workload "requests/s" "p50 ms" "p99 ms" errors note
  while IFS=$'\t' read -r system name rps p50 p99 _ errors _ note lb la; do
    printf '%-12s %-11s %12s %14s %14s %8s  %s (load %s -> %s)\n' "$system" "$name" "$rps" "$p50" "$p99" "$errors" "$note" "$lb" "$la"
  done <"$RESULTS"
  for w in cc introspect; do
    awk -F'\t' -v w="$w" '$2 == w && $1 == "one-node" { one = $3 } $2 == w && $1 == "two-nodes" { two = $3 }
      END { if (one > 0) printf "scaling factor %s: %.2f (two nodes / one node, same machine)\n", w, two / one }' "$RESULTS"
  done
fi
[ -s "$SUMMARY" ] && { echo; cat "$SUMMARY"; }
echo "results in $OUT; load average after: $(loadavg)"
[ -z "${VERIFY_FAILED:-}" ] || die "acknowledged writes were lost (see above)"
