#!/usr/bin/env bash
# bench/compare.sh: Gatehouse side by side with node-oidc-provider 9 and Keycloak 26, in one run, with the same wrk
# settings (default: wrk -t2 -c32, 10 s warm-up + 15 s measured, everything on 127.0.0.1, the load generator on the
# same cores), and the machine's physical limits next to each figure. Prints ONE table:
#
#   workload | Gatehouse | Gatehouse on PostgreSQL | best peer | ratio | goal | met | physical limit
#
# then the details: every Gatehouse run, every peer run, the limits, start-up, memory, seeding, load averages.
# A run with any non-2xx answer, unexpected body or socket error is INVALID (shown as such, never as a figure).
#
# What it runs, one after the other (WORKLOADS, default all of them, in this order):
#   limits      bench/limits/run.sh: signatures/s (JDK and Amazon Corretto Crypto Provider), a bare Tomcat under the
#               same wrk settings, INSERT+COMMIT loops on H2 and PostgreSQL, bcrypt checks/s
#   Gatehouse on a fresh embedded H2 file database (the jar's default URL, in a temporary directory):
#     (always)  start to ready (first 200 of GET /login) and to the first token: the script signs in as the admin,
#               creates a client-credentials client through POST /api/1.0/auth-clients and asks for a token at once
#     cc        POST /oauth/token grant_type=client_credentials (JWT access token, RS256 unless configured)
#     cc-dpop   the same with a DPoP proof on every request (RFC 9449: ES256, its own jti, iat when it was made, htm
#               POST, htu the token endpoint), so every token is DPoP-bound ("token_type":"DPoP" checked); wrk cannot
#               sign, so bench/lib/DPoPProofPool.java makes a pool just before the warm-up and again before the
#               measured run (3x the warm-up's rate, REFRESH_POOL-like: DPOP_POOL sets the size), each proof sent
#               once by bench/wrk-dpop.lua; a run whose pool ran out is INVALID. Runs on H2 and, with pg, on PostgreSQL
#     introspect POST /oauth/introspect of an active client-credentials token, by its own client ("active":true)
#     refresh   POST /oauth/token grant_type=refresh_token with rotation and reuse detection: every request presents
#               a different single-use refresh token (one per grant, each from its own code exchange), from a pool
#               made just before the run and sized at 3x the warm-up's rate (a cold JIT's warm-up ran at half the
#               measured rate); a run whose pool ran out says so (INVALID)
#     password  POST /oauth/token grant_type=password (bcrypt on every request, by design)
#     api       GET /api/1.0/auth-clients?per_page=10 with a JWT bearer (api-jwt) and a personal access token (api-pat),
#               after a pre-warm of both (WARMUP s each, not recorded: the first measured paid the JIT for both), then
#               both again in the other order (api-pat-2, api-jwt-2); the table's rows are the mean of each pair
#     admin     GET /api/1.0/auth-clients?filter=bench-5&per_page=25 (Keycloak's clientId=bench-5 search) and the
#               unfiltered first page, with 10,000 and with 100,000 clients, as the admin with a JWT bearer; the
#               clients are copies of one the server created, INSERTed by SQL into the stopped H2 file
#               (bench/lib/SeedClients.java); the seeding time and the restart time are reported; both requests
#               pre-warmed (WARMUP s each, not recorded) before either is measured
#   pg          cc, cc-dpop, introspect and refresh again with Gatehouse on a private PostgreSQL 15 cluster (initdb in a temp
#               directory, run as the postgres user when the script runs as root; defaults, synchronous_commit on)
#   oidcp       ../shared/peers/bench-oidcp.sh (cc-jwt, cc-opaque, introspect-opaque), then its start to first token
#   keycloak    ../shared/peers/bench-keycloak.sh (cc, password, refresh, introspect, introspect-user, admin with
#               10,000 clients, start-up, RSS), then keycloak-stop.sh; KC_ADMIN_100K=1 also runs its admin workload
#               with 100,000 clients (creating 90,000 more through its partialImport: many minutes, once)
#
#   bench/compare.sh                                   # everything (about 20-30 minutes)
#   ONLY=gatehouse bench/compare.sh                    # limits + Gatehouse; ONLY=peers: the peers only
#   WORKLOADS="cc introspect" bench/compare.sh
#   JAVA_OPTS="-Xmx256m -XX:+UseSerialGC" bench/compare.sh
#
# Env: ONLY (all|gatehouse|peers) WORKLOADS  THREADS (2) CONNS (32) WARMUP (10) DURATION (15) WRK_TIMEOUT (10)
#      JAVA (java) JAVA_OPTS (none: the JVM's defaults) for the Gatehouse JVM; GATEHOUSE_JAR (target/gatehouse.jar,
#      built with `mvn -q -B -DskipTests package` when missing); MVN (mvn)
#      LAUNCHER: start Gatehouse with this command instead of `$JAVA $JAVA_OPTS -jar $GATEHOUSE_JAR`, e.g.
#      LAUNCHER=bin/gatehouse (the recommended settings; it gets GATEHOUSE_JAR and JAVA, and must exec java)
#      PEERS_SRC (../shared/peers from the repository root) PEERS (/tmp/peers: the peers' working directory)
#      GH_PORT (18190) PG_PORT (18432) HELLO_PORT (18199) OIDCP_START_PORT (18183) KC_PORT (18180) OIDCP_PORT (18181)
#      OIDCP_PORT2 (18182): the last three are passed to the peer scripts
#      CC_SECRETS (1): active secrets of the client-credentials client (the extra ones added with keep_current_for;
#      the requests authenticate with the newest)
#      SMALL_CLIENTS (10000) LARGE_CLIENTS (100000) REFRESH_POOL (sized from the warm-up) CODE_BATCH (2000)
#      QUIET_LOAD (1.5) QUIET_WAIT (0 s): wait up to QUIET_WAIT s for the 1-minute load average to fall below
#      QUIET_LOAD before starting; OUT (/tmp/gatehouse-compare/<date-time>): all results, logs and wrk outputs
#
# Needs: wrk, curl, jq, openssl, unzip, a JDK 17+ (javac too, for the limits), Maven; node + npm for oidc-provider,
# a JDK 21+ under /usr/lib/jvm for Keycloak, PostgreSQL 15 binaries (Debian: postgresql) for the PostgreSQL rows.
# Downloads (once): the oidc-provider npm packages, Keycloak 26.7.3 from Maven Central (by the shared setup script),
# Amazon Corretto Crypto Provider from Maven Central. Stops every server it started, also on failure or Ctrl-C.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
ONLY="${ONLY:-all}"
THREADS="${THREADS:-2}" CONNS="${CONNS:-32}" WARMUP="${WARMUP:-10}" DURATION="${DURATION:-15}" WRK_TIMEOUT="${WRK_TIMEOUT:-10}"
export THREADS CONNS WARMUP DURATION WRK_TIMEOUT
JAVA="${JAVA:-java}" JAVA_OPTS="${JAVA_OPTS:-}" MVN="${MVN:-mvn}"
GATEHOUSE_JAR="${GATEHOUSE_JAR:-$ROOT/target/gatehouse.jar}"
# ports of their own, away from the defaults of bench/oauth.sh, bench/console-list.sh and the peer scripts (18080-18082),
# which others may be using on a shared machine
GH_PORT="${GH_PORT:-18190}" PG_PORT="${PG_PORT:-18432}" HELLO_PORT="${HELLO_PORT:-18199}" OIDCP_START_PORT="${OIDCP_START_PORT:-18183}"
export KC_PORT="${KC_PORT:-18180}" OIDCP_PORT="${OIDCP_PORT:-18181}" OIDCP_PORT2="${OIDCP_PORT2:-18182}"
SMALL_CLIENTS="${SMALL_CLIENTS:-10000}" LARGE_CLIENTS="${LARGE_CLIENTS:-100000}" CODE_BATCH="${CODE_BATCH:-2000}"
QUIET_LOAD="${QUIET_LOAD:-1.5}" QUIET_WAIT="${QUIET_WAIT:-0}" KC_ADMIN_100K="${KC_ADMIN_100K:-0}"
export PEERS="${PEERS:-/tmp/peers}"
OUT="${OUT:-/tmp/gatehouse-compare/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
# shellcheck source=lib/common.sh
. "$BENCH/lib/common.sh"
: >"$RESULTS"; : >"$OUT/metrics.txt"; : >"$OUT/commands.txt"

case $ONLY in
  all) DEFAULT="limits cc cc-dpop introspect refresh password api admin pg oidcp keycloak" ;;
  gatehouse) DEFAULT="limits cc cc-dpop introspect refresh password api admin pg" ;;
  peers) DEFAULT="oidcp keycloak" ;;
  *) die "ONLY must be all, gatehouse or peers (got $ONLY)" ;;
esac
WORKLOADS="${WORKLOADS:-$DEFAULT}"
for w in $WORKLOADS; do
  case $w in limits|cc|cc-dpop|introspect|refresh|password|api|admin|pg|oidcp|keycloak) ;;
    *) die "unknown workload $w (limits cc cc-dpop introspect refresh password api admin pg oidcp keycloak)" ;; esac
done
want() { [[ " $WORKLOADS " == *" $1 "* ]]; }
want_h2() { local w; for w in cc cc-dpop introspect refresh password api admin; do want "$w" && return 0; done; return 1; }

# metric KEY VALUE: one figure that is not a wrk run (start-up seconds, RSS, seeding time)
metric() { echo "$1=$2" >>"$OUT/metrics.txt"; log "$1 = $2"; }

# ---- the peers' scripts ----
if [ -z "${PEERS_SRC:-}" ]; then
  PEERS_SRC="$ROOT/../shared/peers"
  if [ ! -f "$PEERS_SRC/bench-lib.sh" ]; then   # a git worktree elsewhere: next to the main checkout instead
    common=$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    [ -n "$common" ] && PEERS_SRC="$(dirname "$common")/../shared/peers"
  fi
fi
if want oidcp || want keycloak; then
  [ -f "$PEERS_SRC/bench-lib.sh" ] || die "no peer scripts in PEERS_SRC=$PEERS_SRC (set PEERS_SRC to the shared peers directory)"
  PEERS_SRC=$(cd "$PEERS_SRC" && pwd)
fi

need wrk curl jq openssl unzip
if want_h2 || want pg || want limits; then need "$JAVA"; fi
# every port this run listens on, checked up front: a server left over (or someone else's) would be measured instead
want_h2 || want pg && port_free "$GH_PORT"
want pg || want limits && port_free "$PG_PORT"
want limits && port_free "$HELLO_PORT"
want oidcp && port_free "$OIDCP_START_PORT" && port_free "$OIDCP_PORT" && port_free "$OIDCP_PORT2"
want keycloak && { [ -f "$PEERS/kc-java.pid" ] || port_free "$KC_PORT"; }

# ---- servers we start, always stopped on the way out ----
GH_PID="" NODE_PID="" KC_OURS=0
stop_pid() { # PID: TERM, wait up to 30 s, then KILL
  local p=$1 i
  kill -0 "$p" 2>/dev/null || return 0
  kill -TERM "$p" 2>/dev/null || true
  for i in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  set +e   # stop everything, whatever fails on the way
  [ -n "$GH_PID" ] && stop_pid "$GH_PID"
  [ -n "$NODE_PID" ] && stop_pid "$NODE_PID"
  [ "$KC_OURS" = 1 ] && bash "$PEERS_SRC/keycloak-stop.sh" >>"$OUT/keycloak-stop.log" 2>&1
  pg_stop
  [ "$rc" = 0 ] || log "stopped with status $rc; everything so far is in $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- build and prepare ----
if want_h2 || want pg || want limits; then
  if [ ! -f "$GATEHOUSE_JAR" ]; then
    log "building $GATEHOUSE_JAR (mvn -q -B -DskipTests package)"
    (cd "$ROOT" && "$MVN" -q -B -DskipTests package) >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "the build failed"; }
  fi
  LIBS=$(gatehouse_libs "$GATEHOUSE_JAR")
  JAVAC="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac"
  [ -x "$JAVAC" ] || die "no javac beside $JAVA: a JDK is needed"
  mkdir -p "$OUT/bench-classes"
  if [ -n "${LAUNCHER:-}" ]; then
    # the launcher's one-off work (extracting the jar, the training run) is not part of a start
    log "preparing the launcher ($LAUNCHER --prepare)"
    GATEHOUSE_JAR="$GATEHOUSE_JAR" JAVA="$JAVA" "$LAUNCHER" --prepare >"$OUT/launcher-prepare.log" 2>&1 \
      || { tail -20 "$OUT/launcher-prepare.log" >&2; die "$LAUNCHER --prepare failed"; }
  fi
  "$JAVAC" -nowarn -d "$OUT/bench-classes" -cp "$LIBS" "$BENCH/lib/SeedClients.java" "$BENCH/lib/DPoPProofPool.java" \
    || die "javac SeedClients DPoPProofPool failed"
fi
if want oidcp; then
  need node npm
  if [ ! -d "$PEERS/oidcp/node_modules/oidc-provider" ] || ! cmp -s "$PEERS_SRC/oidcp/server.mjs" "$PEERS/oidcp/server.mjs" \
     || ! cmp -s "$PEERS_SRC/oidcp/package.json" "$PEERS/oidcp/package.json"; then
    log "preparing oidc-provider in $PEERS/oidcp (copy + npm install)"
    mkdir -p "$PEERS/oidcp"; chmod -R u+w "$PEERS/oidcp"
    cp "$PEERS_SRC/oidcp/server.mjs" "$PEERS_SRC/oidcp/package.json" "$PEERS/oidcp/"
    chmod u+w "$PEERS/oidcp"/*
    (cd "$PEERS/oidcp" && npm install --no-audit --no-fund) >"$OUT/npm.log" 2>&1 || { tail -20 "$OUT/npm.log" >&2; die "npm install failed"; }
  fi
fi
KC_VERSION="${KC_VERSION:-26.7.3}"
if want keycloak; then
  need mvn
  KC_HOME="$PEERS/keycloak-$KC_VERSION"
  if [ ! -f "$PEERS/.compare-kc-provisioned" ] || [ ! -x "$KC_HOME/bin/kc.sh" ]; then
    # once: download, build, provision; stopped again so that the measured start finds the realm in place
    log "preparing Keycloak $KC_VERSION with keycloak-setup.sh (download, build and provisioning, once)"
    KC_OURS=1
    bash "$PEERS_SRC/keycloak-setup.sh" >"$OUT/keycloak-prepare.log" 2>&1 || { tail -30 "$OUT/keycloak-prepare.log" >&2; die "keycloak-setup.sh failed"; }
    bash "$PEERS_SRC/keycloak-stop.sh" >>"$OUT/keycloak-prepare.log" 2>&1
    KC_OURS=0
    date -Is >"$PEERS/.compare-kc-provisioned"
  fi
fi

# ---- a quiet machine ----
waited=0
while awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN{exit !(l > q)}' && [ "$waited" -lt "$QUIET_WAIT" ]; do
  [ "$waited" = 0 ] && log "load average $(loadavg): waiting up to ${QUIET_WAIT}s for it to fall below $QUIET_LOAD"
  sleep 15; waited=$((waited + 15))
done
metric load_before "$(loadavg)"
metric started_at "$(date -Is)"
metric machine "$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
metric wrk "$(wrk -v 2>&1 | head -1 | awk '{print $2}') -t$THREADS -c$CONNS, ${WARMUP}s warm-up + ${DURATION}s measured, timeout ${WRK_TIMEOUT}s"
if want_h2 || want pg || want limits; then
  metric gatehouse_java "$("$JAVA" -version 2>&1 | head -2 | tail -1)"
  if [ -n "${LAUNCHER:-}" ]; then
    launcher_flags="its recommended flags"
    [ -z "${GATEHOUSE_JAVA_OPTS+set}" ] || launcher_flags="GATEHOUSE_JAVA_OPTS instead of its memory flags: $GATEHOUSE_JAVA_OPTS"
    metric gatehouse_java_opts "the launcher $LAUNCHER and $launcher_flags${JAVA_OPTS:+, plus $JAVA_OPTS}"
  else
    metric gatehouse_java_opts "${JAVA_OPTS:-(none: the JVM defaults)}"
  fi
  # the commit the jar was built from (git.properties, written by the build), which may differ from the checkout's
  jar_commit=$(unzip -p "$GATEHOUSE_JAR" BOOT-INF/classes/git.properties 2>/dev/null \
    | sed -n 's/^git.commit.id.abbrev=//p' | head -1) || true
  metric gatehouse_jar "$GATEHOUSE_JAR (built $(date -r "$GATEHOUSE_JAR" +%FT%T) from ${jar_commit:-an unknown commit}; repository at $(git -C "$ROOT" log -1 --format='%h %cs' 2>/dev/null || echo '?'))"
fi
T_ALL=$(now)

# ---- limits ----
if want limits; then
  log "== limits (bench/limits/run.sh)"
  lb=$(loadavg)
  OUT="$OUT" JAVA="$JAVA" GATEHOUSE_JAR="$GATEHOUSE_JAR" HELLO_PORT="$HELLO_PORT" PG_PORT="$PG_PORT" MVN="$MVN" \
    "$BENCH/limits/run.sh" >"$OUT/limits-run.log" 2>&1 || { tail -20 "$OUT/limits-run.log" >&2; die "the limits failed"; }
  metric limits_load "$lb -> $(loadavg)"
fi

# =====================================================================================================================
# Gatehouse
# =====================================================================================================================
BASE="http://127.0.0.1:$GH_PORT"
REDIRECT="http://127.0.0.1:9/callback"
REDIRECT_ENCODED="http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
ADMIN=bench-admin
ADMIN_PASSWORD=$(openssl rand -hex 16)
USER_PASSWORD=$(openssl rand -hex 16)
VERIFIER=bench-verifier-$(openssl rand -hex 24)
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | base64 -w0 | tr '+/' '-_' | tr -d '=')
GH_LOG=""

# the start command: the launcher (made absolute, as gh_start runs it in another directory), or java -jar
if [ -n "${LAUNCHER:-}" ]; then
  [[ $LAUNCHER == /* ]] || LAUNCHER="$PWD/$LAUNCHER"
  GH_COMMAND=("$LAUNCHER")
else
  # shellcheck disable=SC2206 # JAVA_OPTS is a list of options
  GH_COMMAND=("$JAVA" $JAVA_OPTS -jar "$GATEHOUSE_JAR")
fi
# gh_start NAME DIR [VAR=value...]: java -jar in DIR (so the default H2 URL's ./data is DIR/data), 127.0.0.1 only
gh_start() {
  local name=$1 dir=$2; shift 2
  port_free "$GH_PORT"
  mkdir -p "$dir"
  GH_LOG="$OUT/gatehouse-$name.log"
  GH_T0=$(now)
  (cd "$dir" && exec env -u SPRING_DATASOURCE_URL -u SPRING_DATASOURCE_USERNAME -u SPRING_DATASOURCE_PASSWORD \
      SERVER_PORT="$GH_PORT" SERVER_ADDRESS=127.0.0.1 MANAGEMENT_SERVER_PORT="${GH_MANAGEMENT_PORT:-18196}" \
      GATEHOUSE_ADMIN_USERNAME="$ADMIN" \
      GATEHOUSE_ADMIN_PASSWORD="$ADMIN_PASSWORD" GATEHOUSE_JAR="$GATEHOUSE_JAR" JAVA="$JAVA" "$@" "${GH_COMMAND[@]}") \
      >"$GH_LOG" 2>&1 &
  GH_PID=$!
}
# gh_ready: waits for the first 200 of GET /login; sets GH_READY (seconds since gh_start)
gh_ready() {
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/login")" = 200 ]; do
    kill -0 "$GH_PID" 2>/dev/null || { tail -40 "$GH_LOG" >&2; die "Gatehouse stopped during start-up (log $GH_LOG)"; }
    awk -v e="$(since "$GH_T0")" 'BEGIN{exit !(e > 300)}' && { tail -40 "$GH_LOG" >&2; die "Gatehouse not ready after 300 s"; }
    sleep 0.05
  done
  GH_READY=$(since "$GH_T0")
}
gh_stop() { [ -n "$GH_PID" ] && stop_pid "$GH_PID"; GH_PID=""; }

# signin USER PASSWORD JAR: a console session in the cookie jar, with its XSRF-TOKEN
signin() {
  local csrf
  rm -f "$3"
  csrf=$(curl -s -c "$3" -b "$3" "$BASE/login" | grep -oP 'name="_csrf" value="\K[^"]+') || die "no login form at $BASE/login"
  curl -s -o /dev/null -c "$3" -b "$3" --data-urlencode "username=$1" --data-urlencode "password=$2" \
    --data-urlencode "_csrf=$csrf" "$BASE/login"
  # the session's own CSRF token (renewed at sign-in) comes with the next answer
  curl -s -o /dev/null -c "$3" -b "$3" "$BASE/api/1.0/auth-clients?per_page=1"
  grep -q XSRF-TOKEN "$3" || die "signing in as $1 failed (no XSRF-TOKEN cookie)"
}
# api JAR METHOD PATH [JSON]: a REST call with that session; prints the body, fails on a non-2xx answer
api() {
  local jar=$1 method=$2 path=$3 body=${4:-} status xsrf
  xsrf=$(awk '$6 == "XSRF-TOKEN" { print $7 }' "$jar")
  status=$(curl -s -o "$OUT/api-response" -w '%{http_code}' -b "$jar" -c "$jar" -X "$method" -H "X-XSRF-TOKEN: $xsrf" \
    -H 'Content-Type: application/json' ${body:+--data "$body"} "$BASE$path")
  [ "${status:0:1}" = 2 ] || die "$method $path answered $status: $(head -c 500 "$OUT/api-response")"
  cat "$OUT/api-response"
}
session_of() { awk '$6 == "JSESSIONID" { print $7 }' "$1"; }
client() { # JAR JSON -> "id secret"
  api "$1" POST /api/1.0/auth-clients "$2" | jq -r '.id + " " + .secret'
}
token_status() { curl -s -o "$OUT/token-response" -w '%{http_code}' -H "Authorization: $1" --data "$2" "$BASE/oauth/token"; }
password_token() { # USER PASSWORD -> an access token (JWT) from the password grant
  local s
  s=$(curl -s -o "$OUT/token-response" -w '%{http_code}' -H "Authorization: $PASSWORD_AUTH" --data-urlencode grant_type=password \
    --data-urlencode "username=$1" --data-urlencode "password=$2" --data-urlencode scope=api "$BASE/oauth/token")
  [ "$s" = 200 ] || die "password grant for $1 answered $s: $(head -c 300 "$OUT/token-response")"
  jq -r .access_token "$OUT/token-response"
}
cc_token() {
  [ "$(token_status "$CC_AUTH" grant_type=client_credentials)" = 200 ] || die "client credentials failed: $(head -c 300 "$OUT/token-response")"
  jq -r .access_token "$OUT/token-response"
}

# first_token: from a just-started server to its first client-credentials token, as fast as a script can; sets
# CC_ID, CC_AUTH and the metrics <prefix>_ready_s, <prefix>_first_token_s
first_token() {
  local prefix=$1 id secret code r
  gh_ready
  signin "$ADMIN" "$ADMIN_PASSWORD" "$OUT/admin.cookies"
  r=$(client "$OUT/admin.cookies" '{"name":"Bench service","types":["client_credentials"]}')
  read -r id secret <<<"$r"
  local extra
  for ((extra = 1; extra < ${CC_SECRETS:-1}; extra++)); do
    secret=$(api "$OUT/admin.cookies" POST "/api/1.0/auth-clients/$id/secrets" '{"keep_current_for":86400}' | jq -r .secret)
  done
  CC_ID=$id CC_AUTH=$(basic "$id" "$secret")
  until code=$(token_status "$CC_AUTH" grant_type=client_credentials) && [ "$code" = 200 ]; do
    awk -v e="$(since "$GH_T0")" 'BEGIN{exit !(e > 300)}' && die "no token within 300 s (last answer $code)"
    sleep 0.02
  done
  local t; t=$(since "$GH_T0")
  metric "${prefix}_ready_s" "$GH_READY"
  metric "${prefix}_first_token_s" "$t"
  metric "${prefix}_started_log" "$(grep -oE 'Started [A-Za-z]+ in [0-9.]+ seconds[^)]*\)' "$GH_LOG" | head -1 || true)"
}

# seed_oauth JAR: the code client and its remembered consent (for refresh tokens), the password client, a user
seed_oauth() {
  local jar=$1 id secret consent state first r
  r=$(client "$jar" "{\"name\":\"Bench code client\",\"types\":[\"authorization_code_grant\"],\"redirect_uris\":[\"$REDIRECT\"]}")
  read -r id secret <<<"$r"
  CODE_ID=$id CODE_AUTH=$(basic "$id" "$secret")
  r=$(client "$jar" '{"name":"Bench password client","types":["password_client"]}')
  read -r id secret <<<"$r"
  PASSWORD_AUTH=$(basic "$id" "$secret")
  AUTHORIZE="$BASE/oauth/authorize?response_type=code&client_id=$CODE_ID&redirect_uri=$REDIRECT_ENCODED&scope=api&code_challenge=$CHALLENGE&code_challenge_method=S256"
  consent=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" "$AUTHORIZE&state=s")
  state=$(grep -oP '[?&]state=\K[^&]+' <<<"$consent") || die "no consent page for the code client: $consent"
  first=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" --data "client_id=$CODE_ID&state=$state&scope=api" "$BASE/oauth/authorize")
  grep -q 'code=' <<<"$first" || die "the consent gave no code: $first"
  SESSION=$(session_of "$jar")
}

# parallel_curl NAME: runs the curl configs $OUT/pool/NAME.0..NAME.(P-1) side by side (kept-alive connections)
# and prints their outputs one after the other
POOL_PARTS=6
parallel_curl() {
  local name=$1 p pids=()
  for ((p = 0; p < POOL_PARTS; p++)); do
    [ -s "$OUT/pool/$name.$p" ] || continue
    curl -K "$OUT/pool/$name.$p" >"$OUT/pool/$name.out.$p" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  cat "$OUT/pool/$name".out.*
  rm -f "$OUT/pool/$name".*
}
# refresh_pool N FILE: N refresh tokens, each the live one of its own grant (authorization code + exchange), made
# in batches of CODE_BATCH so no code outlives its 60 s
refresh_pool() {
  local n=$1 file=$2 made=0 b i code t0 f
  t0=$(now)
  mkdir -p "$OUT/pool"; : >"$file"
  while [ "$made" -lt "$n" ]; do
    b=$(( n - made < CODE_BATCH ? n - made : CODE_BATCH ))
    for ((i = 0; i < b; i++)); do
      f="$OUT/pool/authorize.$((i % POOL_PARTS))"
      [ -s "$f" ] && echo next >>"$f"
      printf 'url = "%s&state=%d"\noutput = "/dev/null"\ncookie = "JSESSIONID=%s"\nsilent\nwrite-out = "%%{redirect_url}\\n"\n' \
        "$AUTHORIZE" "$i" "$SESSION" >>"$f"
    done
    parallel_curl authorize | grep -oP '[?&]code=\K[^&]+' >"$OUT/pool/codes" || true
    [ "$(wc -l <"$OUT/pool/codes")" -eq "$b" ] || die "asked for $b authorization codes, got $(wc -l <"$OUT/pool/codes")"
    i=0
    while read -r code; do
      f="$OUT/pool/exchange.$((i % POOL_PARTS))"
      [ -s "$f" ] && echo next >>"$f"
      printf 'url = "%s/oauth/token"\nheader = "Authorization: %s"\ndata = "grant_type=authorization_code&code=%s&redirect_uri=%s&code_verifier=%s"\nsilent\nwrite-out = "\\n"\n' \
        "$BASE" "$CODE_AUTH" "$code" "$REDIRECT_ENCODED" "$VERIFIER" >>"$f"
      i=$((i + 1))
    done <"$OUT/pool/codes"
    parallel_curl exchange | jq -r '.refresh_token // empty' >>"$file"
    made=$((made + b))
    [ "$(wc -l <"$file")" -eq "$made" ] || die "asked for $made refresh tokens, got $(wc -l <"$file")"
  done
  POOL_SECONDS=$(since "$t0")
}

# the refresh workload's hook: a new pool before each run, sized so the run cannot use it up
hook_refresh() {
  local n est
  if [ "$PHASE" = warmup ]; then
    est=${CC_RPS:-1000}
    # client credentials' rate is only a hint (refresh was faster on PostgreSQL): twice that, at least 3,000
    n=${REFRESH_POOL:-$(awk -v r="$est" -v d="$WARMUP" 'BEGIN{n = int(r * d * 2); print (n < 3000 ? 3000 : n)}')}
  else
    # the warm-up's good answers per second; if it used up its pool, its rate says little: take more. The warm-up
    # starts on a cold JIT, so the measured run goes faster: on PostgreSQL 1,608/s against a warm-up of 865/s, which
    # used up a pool of 1.8x. Three times the warm-up's rate leaves room for that, at about 2.4 s of pool making
    # per 1,000 tokens (REFRESH_POOL sets the size outright)
    est=$(awk -v q="$LAST_WARMUP_REQUESTS" -v e="$LAST_WARMUP_ERRORS" -v d="$WARMUP" -v p="$WARMUP_POOL" -v c="${CC_RPS:-0}" \
      'BEGIN{r = (q - e) / d; if (q >= p) { r = 2 * r; if (c > r) r = c }; print r}')
    n=${REFRESH_POOL:-$(awk -v r="$est" -v d="$DURATION" -v c="$CONNS" 'BEGIN{n = int(r * d * 3) + 2 * c; print (n < 1000 ? 1000 : n)}')}
  fi
  refresh_pool "$n" "$OUT/refresh-$PHASE.txt"
  [ "$PHASE" = warmup ] && WARMUP_POOL=$n
  export WRK_POOL="$OUT/refresh-$PHASE.txt"
  RUN_NOTE="pool of $n single-use refresh tokens (made in ${POOL_SECONDS}s)"
  log "refresh $PHASE: $RUN_NOTE"
}
# the cc-dpop workload's hook: a new pool of DPoP proofs before each run, made just before it (the server accepts a
# proof for 25 s after its iat), sized so the run cannot use it up; wrk-dpop.lua sends each proof once
hook_cc_dpop() {
  local n est r
  if [ "$PHASE" = warmup ]; then
    # twice the plain client credentials' rate (a proof only adds work), at least 3,000
    n=${DPOP_POOL:-$(awk -v r="${CC_RPS:-1000}" -v d="$WARMUP" 'BEGIN{n = int(r * d * 2); print (n < 3000 ? 3000 : n)}')}
  else
    # the warm-up's good answers per second, three times over: it starts on a cold JIT (see hook_refresh)
    est=$(awk -v q="$LAST_WARMUP_REQUESTS" -v e="$LAST_WARMUP_ERRORS" -v d="$WARMUP" -v c="${CC_RPS:-0}" \
      'BEGIN{r = (q - e) / d; if (c > r) r = c; print r}')
    n=${DPOP_POOL:-$(awk -v r="$est" -v d="$DURATION" -v c="$CONNS" 'BEGIN{n = int(r * d * 3) + 2 * c; print (n < 1000 ? 1000 : n)}')}
  fi
  r=$("$JAVA" -cp "$OUT/bench-classes:$LIBS" DPoPProofPool "$BASE/oauth/token" "$n" "$OUT/dpop-$PHASE.txt") \
    || die "making $n DPoP proofs failed"
  export WRK_DPOP_POOL="$OUT/dpop-$PHASE.txt"
  RUN_NOTE="pool of $n DPoP proofs (made in $(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$r")s)"
  log "cc-dpop $PHASE: $RUN_NOTE"
}
hook_introspect() { export WRK_BODY="token=$(cc_token)"; }
hook_user_jwt() { export WRK_AUTH="Bearer $(password_token bench-user "$USER_PASSWORD")"; }
hook_admin_jwt() { export WRK_AUTH="Bearer $(password_token "$ADMIN" "$ADMIN_PASSWORD")"; }

reset_wrk() { unset WRK_METHOD WRK_BODY WRK_AUTH WRK_POOL WRK_EXPECT WRK_SCRIPT WRK_DPOP_POOL; export WRK_METHOD=POST; }

# token_workloads SYSTEM: cc, introspect and refresh (those selected) against the running server
token_workloads() {
  local system=$1
  CC_RPS=""
  if [ "$system" = gatehouse-pg ] && ! want cc && ! want cc-dpop && ! want introspect && ! want refresh; then
    local WORKLOADS="cc cc-dpop introspect refresh"   # "pg" alone: all the token workloads on PostgreSQL
  fi
  if want cc; then
    reset_wrk; export WRK_AUTH="$CC_AUTH" WRK_BODY="grant_type=client_credentials"
    gh_wrk "$system" cc "$BASE/oauth/token"
    [ "$LAST_VALID" = 1 ] && CC_RPS=$LAST_RPS
  fi
  if want cc-dpop; then
    reset_wrk; export WRK_SCRIPT="$BENCH/wrk-dpop.lua" WRK_AUTH="$CC_AUTH" WRK_BODY="grant_type=client_credentials" \
      WRK_EXPECT='"token_type":"DPoP"'
    gh_wrk "$system" cc-dpop "$BASE/oauth/token" hook_cc_dpop
    rm -f "$OUT"/dpop-*.txt
  fi
  if want introspect; then
    reset_wrk; export WRK_AUTH="$CC_AUTH" WRK_EXPECT='"active":true'
    gh_wrk "$system" introspect "$BASE/oauth/introspect" hook_introspect
  fi
  if want refresh; then
    reset_wrk; export WRK_AUTH="$CODE_AUTH" WRK_BODY="grant_type=refresh_token&refresh_token={TOKEN}"
    gh_wrk "$system" refresh "$BASE/oauth/token" hook_refresh
    rm -f "$OUT"/refresh-*.txt
  fi
}

# seed_clients DIR FROM TO: copies of the template client, by SQL into the stopped H2 file database in DIR
H2_URL=$(unzip -p "$GATEHOUSE_JAR" BOOT-INF/classes/application.properties 2>/dev/null \
  | sed -n 's/^spring\.datasource\.url=//p' | sed -E 's/^\$\{[A-Za-z_]+:(.*)\}$/\1/' || true)
seed_clients() {
  local dir=$1 from=$2 to=$3 r
  [[ "$H2_URL" == jdbc:h2:* ]] || die "cannot tell the jar's default H2 URL (spring.datasource.url=$H2_URL)"
  r=$(cd "$dir" && "$JAVA" -cp "$OUT/bench-classes:$LIBS" SeedClients "$H2_URL" "$TEMPLATE_ID" "$from" "$to") \
    || die "seeding clients $from..$to failed"
  SEED_SECONDS=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$r")
}

admin_workloads() { # CLIENTS
  local n=$1 suffix=$1 count
  hook_admin_jwt
  count=$(curl -s -H "Authorization: $WRK_AUTH" "$BASE/api/1.0/auth-clients?filter=bench-5&per_page=25" | jq '.data | length')
  [ "$count" = 25 ] || die "the admin search for bench-5 returned $count clients, not 25"
  count=$(curl -s -H "Authorization: $WRK_AUTH" "$BASE/api/1.0/auth-clients?filter=bench-$n&per_page=25" | jq '.data | length')
  [ "$count" -ge 1 ] || die "client bench-$n is not listed: the seeding did not take"
  # a fresh JVM: warm both requests before measuring either (see the api workload)
  reset_wrk; export WRK_METHOD=GET; hook_admin_jwt
  gh_prewarm "admin-search-$suffix" "$BASE/api/1.0/auth-clients?filter=bench-5&per_page=25"
  gh_prewarm "admin-list-$suffix" "$BASE/api/1.0/auth-clients?per_page=25"
  reset_wrk; export WRK_METHOD=GET WRK_EXPECT='"id":"bench-5'
  gh_wrk gatehouse-h2 "admin-search-$suffix" "$BASE/api/1.0/auth-clients?filter=bench-5&per_page=25" hook_admin_jwt
  reset_wrk; export WRK_METHOD=GET WRK_EXPECT='"id":"bench-1'
  gh_wrk gatehouse-h2 "admin-list-$suffix" "$BASE/api/1.0/auth-clients?per_page=25" hook_admin_jwt
}

if want_h2; then
  log "== Gatehouse on a fresh H2 file database"
  r=""
  lb=$(loadavg)
  H2_DIR=$(mktemp -d "$OUT/h2.XXXXXX")
  gh_start h2-tokens "$H2_DIR"
  first_token gh_h2
  log "Gatehouse (H2) ready in ${GH_READY}s, first token at $(sed -n 's/^gh_h2_first_token_s=//p' "$OUT/metrics.txt")s (pid $GH_PID)"
  seed_oauth "$OUT/admin.cookies"
  r=$(client "$OUT/admin.cookies" '{"name":"Bench template","types":["authorization_code_grant"],"redirect_uris":["https://app.example.com/callback"]}')
  read -r TEMPLATE_ID _ <<<"$r"
  USER_ID=$(api "$OUT/admin.cookies" POST /api/1.0/users "{\"username\":\"bench-user\",\"password\":\"$USER_PASSWORD\",
    \"firstname\":\"Bench\",\"lastname\":\"User\",\"email\":\"bench-user@example.com\",\"permissions\":[\"view-auth_clients\"]}" | jq -r .id)
  signin bench-user "$USER_PASSWORD" "$OUT/user.cookies"
  PAT=$(api "$OUT/user.cookies" POST "/api/1.0/users/$USER_ID/tokens" '{"name":"Bench","scopes":["api"],"expires_in_days":1}' | jq -r .token)
  metric gh_h2_rss_ready_mib "$(rss_mib "$GH_PID")"

  token_workloads gatehouse-h2
  if want password; then
    reset_wrk; export WRK_AUTH="$PASSWORD_AUTH" WRK_BODY="grant_type=password&username=bench-user&password=$USER_PASSWORD&scope=api"
    gh_wrk gatehouse-h2 password "$BASE/oauth/token"
  fi
  if want api; then
    # the list's own code (controller, query, JSON) is compiled while the first of the two runs: warm it with both
    # bearers first, so that the JWT run does not pay the JIT for both (measured first, either one cost 4-5x the CPU
    # per request of the other on a busy machine)
    reset_wrk; export WRK_METHOD=GET; hook_user_jwt; gh_prewarm api-jwt "$BASE/api/1.0/auth-clients?per_page=10"
    export WRK_AUTH="Bearer $PAT"; gh_prewarm api-pat "$BASE/api/1.0/auth-clients?per_page=10"
    reset_wrk; export WRK_METHOD=GET WRK_EXPECT='"data"'
    gh_wrk gatehouse-h2 api-jwt "$BASE/api/1.0/auth-clients?per_page=10" hook_user_jwt
    reset_wrk; export WRK_METHOD=GET WRK_EXPECT='"data"' WRK_AUTH="Bearer $PAT"
    gh_wrk gatehouse-h2 api-pat "$BASE/api/1.0/auth-clients?per_page=10"
    # and again in the other order (JWT, PAT, PAT, JWT), so that neither bearer always runs first: the report compares
    # the mean of each pair (five single pairs gave 0.74-1.10x for the same work, whichever ran first)
    gh_wrk gatehouse-h2 api-pat-2 "$BASE/api/1.0/auth-clients?per_page=10"
    reset_wrk; export WRK_METHOD=GET WRK_EXPECT='"data"'
    gh_wrk gatehouse-h2 api-jwt-2 "$BASE/api/1.0/auth-clients?per_page=10" hook_user_jwt
  fi
  metric gh_h2_rss_after_mib "$(rss_mib "$GH_PID")"
  gh_stop

  if want admin; then
    metric gh_small_clients "$SMALL_CLIENTS"; metric gh_large_clients "$LARGE_CLIENTS"
    seed_clients "$H2_DIR" 1 "$SMALL_CLIENTS"
    metric gh_seed_small "$SMALL_CLIENTS clients in ${SEED_SECONDS}s"
    gh_start h2-admin-small "$H2_DIR"; gh_ready
    metric gh_h2_ready_small_s "$GH_READY"
    admin_workloads "$SMALL_CLIENTS"
    metric gh_h2_rss_admin_small_mib "$(rss_mib "$GH_PID")"
    gh_stop
    seed_clients "$H2_DIR" "$((SMALL_CLIENTS + 1))" "$LARGE_CLIENTS"
    metric gh_seed_large "$((LARGE_CLIENTS - SMALL_CLIENTS)) more clients (to $LARGE_CLIENTS) in ${SEED_SECONDS}s"
    # the README's advice for a large catalogue: the launcher's 160 MB heap plus about 550 bytes per client for the
    # search index (without it the index crowds the old generation, or does not fit and searches read the database)
    if [ -n "${LAUNCHER:-}" ]; then
      gh_start h2-admin-large "$H2_DIR" JAVA_OPTS="${JAVA_OPTS:-} -Xmx224m"
    else
      gh_start h2-admin-large "$H2_DIR"
    fi
    gh_ready
    metric gh_h2_ready_large_s "$GH_READY"
    admin_workloads "$LARGE_CLIENTS"
    metric gh_h2_rss_admin_large_mib "$(rss_mib "$GH_PID")"
    gh_stop
  fi
  metric gh_h2_data "$(du -sh "$H2_DIR/data" | cut -f1)"
  rm -rf "$H2_DIR"
  metric gh_h2_load "$lb -> $(loadavg)"
fi

if want pg; then
  if ! pg_available; then
    log "no PostgreSQL binaries (PG_BIN=$PG_BIN): no PostgreSQL rows"
    metric gh_pg_skipped "no PostgreSQL binaries"
  else
    log "== Gatehouse on PostgreSQL"
    lb=$(loadavg)
    pg_start "$PG_PORT"
    metric postgresql "$PG_VERSION"
    pg_sql "$PG_PORT" postgres "create database gatehouse" >/dev/null
    gh_start pg "$OUT/pg-cwd" SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/gatehouse" \
      SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= \
      GATEHOUSE_KEY_ENCRYPTION_KEY="$(openssl rand -base64 32)"
    first_token gh_pg
    seed_oauth "$OUT/admin.cookies"
    token_workloads gatehouse-pg
    metric gh_pg_rss_after_mib "$(rss_mib "$GH_PID")"
    gh_stop
    pg_stop
    metric gh_pg_load "$lb -> $(loadavg)"
  fi
fi

# =====================================================================================================================
# Peers: their own scripts, one after the other; their table.txt is parsed into $RESULTS
# =====================================================================================================================
# peer_results SYSTEM TABLE LOAD_BEFORE LOAD_AFTER
peer_results() {
  local system=$1 table=$2 lb=$3 la=$4
  awk -v s="$system" -v lb="$lb" -v la="$la" 'BEGIN{OFS="\t"}
    $1 == "workload" { next }
    $2 == "FAILED" { $1 = $1; print s, $1, "-", "-", "-", "-", "-", 0, $0, lb, la; next }
    $2 ~ /^[0-9.]+$/ && $3 ~ /ms$/ {
      p50 = $3; sub(/ms$/, "", p50); p99 = $4; sub(/ms$/, "", p99)
      note = ""; for (i = 6; i <= NF; i++) note = note (note == "" ? "" : " ") $i
      valid = (note ~ /INVALID/ || $2 + 0 == 0 ? 0 : 1)
      print s, $1, $2, p50, p99, "-", $5, valid, (note == "" ? "-" : note), lb, la }' "$table" >>"$RESULTS"
}
new_results_dir() { # PATTERN BEFORE-LIST: the results directory a peer script just made
  local d; for d in $(ls -d $1 2>/dev/null); do grep -qxF "$d" <<<"$2" || { echo "$d"; return; }; done
}
run_peer() { # SYSTEM SCRIPT PATTERN [VAR=value...]
  local system=$1 script=$2 pattern=$3 before dir lb la rc=0
  shift 3
  before=$(ls -d $pattern 2>/dev/null || true)
  lb=$(loadavg)
  # compare.sh's WORKLOADS is not the peer's: unset, the peer runs all of its own (a VAR=value given here still counts)
  env -u WORKLOADS "$@" bash "$PEERS_SRC/$script" >"$OUT/peer-$system.log" 2>&1 || rc=$?
  la=$(loadavg)
  dir=$(new_results_dir "$pattern" "$before")
  [ -n "$dir" ] && [ -f "$dir/table.txt" ] || { tail -30 "$OUT/peer-$system.log" >&2; die "$script made no table.txt"; }
  cp "$dir/table.txt" "$OUT/peer-$system-table.txt"
  peer_results "$system" "$dir/table.txt" "$lb" "$la"
  metric "${system}_results" "$dir (exit $rc)"
  metric "${system}_load" "$lb -> $la"
  [ "$rc" = 0 ] || log "$script exited $rc: at least one of its runs is INVALID (see $OUT/peer-$system.log)"
}

if want oidcp; then
  log "== node-oidc-provider (bench-oidcp.sh)"
  run_peer oidcp bench-oidcp.sh "$PEERS/results/oidcp-*" PEERS="$PEERS"
  metric oidcp_node "$(node -v), oidc-provider $(jq -r .version "$PEERS/oidcp/node_modules/oidc-provider/package.json")"
  # start to first token: the shared script does not time it; the same server.mjs, JWT access tokens
  port_free "$OIDCP_START_PORT"
  t0=$(now)
  (cd "$PEERS/oidcp" && PORT=$OIDCP_START_PORT TOKEN_FORMAT=jwt exec node server.mjs) >"$OUT/oidcp-start.log" 2>&1 &
  NODE_PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -u bench:bench-secret -d grant_type=client_credentials \
              "http://127.0.0.1:$OIDCP_START_PORT/token")" = 200 ]; do
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$OUT/oidcp-start.log" >&2; die "oidc-provider stopped during start-up"; }
    awk -v e="$(since "$t0")" 'BEGIN{exit !(e > 60)}' && die "oidc-provider gave no token within 60 s"
    sleep 0.02
  done
  metric oidcp_first_token_s "$(since "$t0")"
  stop_pid "$NODE_PID"; NODE_PID=""
fi

if want keycloak; then
  log "== Keycloak (bench-keycloak.sh, then keycloak-stop.sh)"
  KC_OURS=1
  run_peer keycloak bench-keycloak.sh "$PEERS/results/kc-*" PEERS="$PEERS"
  if [ "$KC_ADMIN_100K" = 1 ]; then
    log "== Keycloak admin search with $LARGE_CLIENTS clients"
    run_peer keycloak-100k bench-keycloak.sh "$PEERS/results/kc-*" PEERS="$PEERS" WORKLOADS=admin \
      N_CLIENTS="$LARGE_CLIENTS" MEASURE_STARTUP=0
  fi
  bash "$PEERS_SRC/keycloak-stop.sh" >"$OUT/keycloak-stop.log" 2>&1 || true
  KC_OURS=0
fi

metric load_after "$(loadavg)"
metric elapsed_min "$(awk -v s="$(since "$T_ALL")" 'BEGIN{printf "%.1f", s / 60}')"

"$BENCH/lib/report.sh" "$OUT" | tee "$OUT/table.md"
log "results: $OUT (table.md, results.tsv, metrics.txt, limits.txt, wrk/, logs)"
