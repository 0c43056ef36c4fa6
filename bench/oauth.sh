#!/usr/bin/env bash
# Benchmark: the OAuth 2.0 endpoints and bearer tokens on the REST API.
#
# Builds the jar if it is missing, starts it on a fresh embedded H2 database in a temporary directory (127.0.0.1
# only), and seeds everything through the server's own endpoints: the admin signs in, creates a user, a password-grant
# client, an authorization-code client and (once the server knows the grant) a client-credentials client through
# /api/1.0, and a personal access token through /api/1.0/users/{id}/tokens. Then it drives load with wrk and prints
# requests/s with p50 and p99 for each scenario:
#
#   client credentials   POST /oauth/token grant_type=client_credentials (skipped while the server refuses the grant)
#   API create           POST /api/1.0/auth-clients with a personal access token: one client (and audit record) each
#   password grant       POST /oauth/token grant_type=password: dominated by the deliberate bcrypt hash
#   refresh              POST /oauth/token grant_type=refresh_token: each token is used once (rotation)
#   code exchange        POST /oauth/token grant_type=authorization_code with PKCE: each code is used once
#   introspection        POST /oauth/introspect with an access token
#   API read, JWT        GET /api/1.0/auth-clients with an access token (JWT)
#   API read, PAT        GET /api/1.0/auth-clients with a personal access token
#
# Single-use values (codes, refresh tokens) are generated before their scenario through the real endpoints (the
# authorization endpoint with the signed-in user's remembered consent, then the token endpoint) and fed to wrk one
# per request by bench/oauth-form.lua. Such a scenario ends when the duration is over or its values are used up,
# whichever comes first. wrk divides by the whole duration either way, so the script says when the values ran out
# (the figure is then a lower bound: raise SINGLE_USE). Codes live GATEHOUSE_TOKENS_AUTHORIZATION_CODE_TTL,
# which this run sets to its maximum (10 minutes) so the pre-generated codes do not expire before they are used.
#
#   bench/oauth.sh                                  # 15 s per scenario, 2 threads, 8 connections, 8,000 single-use values
#   DURATION=30s CONNECTIONS=16 SINGLE_USE=20000 bench/oauth.sh
#   JAR=/tmp/other-build/gatehouse.jar bench/oauth.sh   # another build, to compare two versions on one machine
#   WRITES_ONLY=1 bench/oauth.sh                    # only the write scenarios: client credentials and API create
#
# The database is an H2 file, so the write scenarios include committing to it; the size of its files after the run
# is printed at the end.
#
# Needs wrk, curl, jq and openssl (apt-get install wrk curl jq openssl); installs nothing itself.
set -euo pipefail

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
SINGLE_USE=${SINGLE_USE:-8000}
WRITES_ONLY=${WRITES_ONLY:-}
PORT=${PORT:-18081}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LUA="$ROOT/bench/oauth-form.lua"
WORK=$(mktemp -d /tmp/gatehouse-oauth-bench.XXXXXX)
JAR=${JAR:-$ROOT/target/gatehouse.jar}
BASE="http://127.0.0.1:$PORT"
ADMIN_PASSWORD=bench-admin-password-$$
USER_PASSWORD=bench-user-password-$$
REDIRECT="http://127.0.0.1:9/callback"
REDIRECT_ENCODED="http%3A%2F%2F127.0.0.1%3A9%2Fcallback"
SERVER_PID=
SUMMARY="$WORK/summary"

cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in wrk curl jq openssl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 1; }
done
[ -f "$JAR" ] || [ "$JAR" != "$ROOT/target/gatehouse.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
[ -f "$JAR" ] || { echo "no jar at $JAR" >&2; exit 1; }

DB_URL="jdbc:h2:file:$WORK/data/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"

echo "== starting the server on $BASE (fresh H2 database in $WORK)"
(cd "$WORK" && exec java -Xmx1g -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --management.server.port=0 \
    --spring.datasource.url="$DB_URL" --gatehouse.admin.username=bench --gatehouse.admin.password="$ADMIN_PASSWORD" \
    --gatehouse.tokens.authorization-code-ttl=10m >"$WORK/server.log" 2>&1) &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$BASE/login" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server stopped:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$BASE/login" || { echo "server did not start; log:" >&2; cat "$WORK/server.log" >&2; exit 1; }

echo "== signing in as the admin"
COOKIES="$WORK/cookies"
CSRF=$(curl -s -c "$COOKIES" -b "$COOKIES" "$BASE/login" | grep -oP 'name="_csrf" value="\K[^"]+')
curl -s -o /dev/null -c "$COOKIES" -b "$COOKIES" --data-urlencode "username=bench" \
  --data-urlencode "password=$ADMIN_PASSWORD" --data-urlencode "_csrf=$CSRF" "$BASE/login"
curl -s -o /dev/null -c "$COOKIES" -b "$COOKIES" "$BASE/api/1.0/auth-clients"
XSRF=$(awk '$6 == "XSRF-TOKEN" { print $7 }' "$COOKIES")
SESSION=$(awk '$6 == "JSESSIONID" { print $7 }' "$COOKIES")
[ -n "$XSRF" ] || { echo "sign-in failed (no XSRF-TOKEN cookie)" >&2; exit 1; }

# api METHOD PATH [JSON]: a REST call with the admin's session; prints the body, fails on a non-2xx answer
api() {
  local method=$1 path=$2 body=${3:-} out status
  out="$WORK/api-response"
  status=$(curl -s -o "$out" -w '%{http_code}' -b "$COOKIES" -c "$COOKIES" -X "$method" -H "X-XSRF-TOKEN: $XSRF" \
    -H 'Content-Type: application/json' ${body:+--data "$body"} "$BASE$path")
  if [ "${status:0:1}" != 2 ]; then
    echo "$method $path answered $status: $(cat "$out")" >&2
    return 1
  fi
  cat "$out"
}

basic() { printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"; }

echo "== seeding through the REST API"
USER_ID=$(api POST /api/1.0/users "{\"username\":\"bench-user\",\"password\":\"$USER_PASSWORD\",\"firstname\":\"Bench\",
  \"lastname\":\"User\",\"email\":\"bench-user@example.com\",\"permissions\":[\"view-auth_clients\"]}" | jq -r .id)
PASSWORD_CLIENT=$(api POST /api/1.0/auth-clients '{"name":"Bench password client","types":["password_client"]}')
PASSWORD_AUTH=$(basic "$(jq -r .id <<<"$PASSWORD_CLIENT")" "$(jq -r .secret <<<"$PASSWORD_CLIENT")")
CODE_CLIENT=$(api POST /api/1.0/auth-clients \
  "{\"name\":\"Bench code client\",\"types\":[\"authorization_code_grant\"],\"redirect_uris\":[\"$REDIRECT\"]}")
CODE_CLIENT_ID=$(jq -r .id <<<"$CODE_CLIENT")
CODE_AUTH=$(basic "$CODE_CLIENT_ID" "$(jq -r .secret <<<"$CODE_CLIENT")")
if CC_CLIENT=$(api POST /api/1.0/auth-clients '{"name":"Bench service","types":["client_credentials"]}' 2>"$WORK/cc-error"); then
  CC_AUTH=$(basic "$(jq -r .id <<<"$CC_CLIENT")" "$(jq -r .secret <<<"$CC_CLIENT")")
  echo "   clients: password grant, authorization code, client credentials"
else
  # the scenario below then asks with the password client, and is skipped on its refusal
  echo "   clients: password grant, authorization code (no client-credentials client: $(cat "$WORK/cc-error"))"
  CC_AUTH=$PASSWORD_AUTH
fi
ADMIN_ID=$(api GET "/api/1.0/users?filter=bench&per_page=100" | jq -r '.data[] | select(.username == "bench") | .id')
PAT=$(api POST "/api/1.0/users/$ADMIN_ID/tokens" '{"name":"Bench","scopes":["api"],"expires_in_days":1}' | jq -r .token)
echo "   user bench-user (id $USER_ID, view-auth_clients); a personal access token for the admin (id $ADMIN_ID)"

# password grant through curl: the JWT for the introspection and API scenarios
JWT=$(curl -s -H "Authorization: $PASSWORD_AUTH" --data-urlencode grant_type=password --data-urlencode username=bench-user \
  --data-urlencode "password=$USER_PASSWORD" --data-urlencode scope=api "$BASE/oauth/token" | jq -r .access_token)
[ "$JWT" != null ] || { echo "the password grant failed" >&2; exit 1; }

# PKCE (RFC 7636, S256): one verifier serves every pre-generated code
VERIFIER=bench-verifier-$(openssl rand -hex 24)
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | base64 -w0 | tr '+/' '-_' | tr -d '=')
AUTHORIZE="$BASE/oauth/authorize?response_type=code&client_id=$CODE_CLIENT_ID&redirect_uri=$REDIRECT_ENCODED&scope=api&code_challenge=$CHALLENGE&code_challenge_method=S256"

echo "== consenting once for the code client (the consent is remembered)"
CONSENT=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$COOKIES" "$AUTHORIZE&state=s")
STATE=$(grep -oP '[?&]state=\K[^&]+' <<<"$CONSENT") || { echo "no consent page: $CONSENT" >&2; exit 1; }
FIRST=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$COOKIES" --data "client_id=$CODE_CLIENT_ID&state=$STATE&scope=api" \
  "$BASE/oauth/authorize")
grep -q 'code=' <<<"$FIRST" || { echo "consent did not give a code: $FIRST" >&2; exit 1; }

# curl_parts NAME: runs the curl configs $WORK/NAME.0 .. NAME.3 side by side (4 kept-alive connections) and
# prints their outputs, each written out per transfer by the config
curl_parts() {
  local name=$1 part
  for part in 0 1 2 3; do
    curl -K "$WORK/$name.$part" >"$WORK/$name.out.$part" &
  done
  wait
  cat "$WORK/$name".out.*
}

# codes N FILE: N authorization codes from the authorization endpoint, for the signed-in admin's remembered consent
codes() {
  local n=$1 file=$2 i
  rm -f "$WORK"/authorize.*
  for i in $(seq 1 "$n"); do
    [ -s "$WORK/authorize.$((i % 4))" ] && echo next >>"$WORK/authorize.$((i % 4))"
    printf 'url = "%s&state=%s"\noutput = "/dev/null"\ncookie = "%s"\nsilent\nwrite-out = "%%{redirect_url}\\n"\n' \
      "$AUTHORIZE" "$i" "JSESSIONID=$SESSION" >>"$WORK/authorize.$((i % 4))"
  done
  curl_parts authorize | grep -oP '[?&]code=\K[^&]+' >"$file"
  [ "$(wc -l <"$file")" -eq "$n" ] || { echo "asked for $n codes, got $(wc -l <"$file")" >&2; exit 1; }
}

# refresh_tokens N FILE: N refresh tokens, each from its own code exchange (so each is the live one of its grant)
refresh_tokens() {
  local n=$1 file=$2 i=0 code
  codes "$n" "$WORK/codes-for-refresh"
  rm -f "$WORK"/exchange.*
  while read -r code; do
    i=$((i + 1))
    [ -s "$WORK/exchange.$((i % 4))" ] && echo next >>"$WORK/exchange.$((i % 4))"
    printf 'url = "%s/oauth/token"\nheader = "Authorization: %s"\ndata = "grant_type=authorization_code&code=%s&redirect_uri=%s&code_verifier=%s"\nsilent\nwrite-out = "\\n"\n' \
      "$BASE" "$CODE_AUTH" "$code" "$REDIRECT_ENCODED" "$VERIFIER" >>"$WORK/exchange.$((i % 4))"
  done <"$WORK/codes-for-refresh"
  curl_parts exchange | jq -r '.refresh_token // empty' >"$file"
  [ "$(wc -l <"$file")" -eq "$n" ] || { echo "asked for $n refresh tokens, got $(wc -l <"$file")" >&2; exit 1; }
}

# run TITLE NOTE wrk-arguments...: runs wrk, prints its figures, adds a row to the summary
run() {
  local title=$1 note=$2 out="$WORK/wrk.out"
  shift 2
  echo
  echo "-- $title"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$out"
  grep -E 'requests in|Requests/sec|^ +(50|75|90|99)%|Non-2xx|Socket errors' "$out"
  local rps p50 p99 total seconds errors
  rps=$(awk '/Requests\/sec/ { printf "%\047.0f", $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  total=$(awk '/requests in/ { print $1 }' "$out")
  seconds=$(grep -oP 'requests in \K[0-9.]+[a-z]+' "$out")
  errors=$(awk '/Non-2xx/ { print $NF }' "$out")
  # wrk always divides by the full duration: a scenario whose single-use values ran out measured the supply
  if [ -n "${TOKEN_FILE:-}" ] && [ "$total" -ge $(( $(wc -l <"$TOKEN_FILE") - CONNECTIONS )) ]; then
    echo "   the $(wc -l <"$TOKEN_FILE") values ran out before $DURATION: requests/s is a lower bound; raise SINGLE_USE"
    note="$note; RAN OUT, a lower bound"
  fi
  printf '| %s | %s | %s | %s | %s in %s | %s | %s |\n' "$title" "$rps" "$p50" "$p99" "$total" "$seconds" "${errors:-0}" "$note" >>"$SUMMARY"
}

# status_of AUTH BODY: the token endpoint's answer to one request, as "HTTP-status error-code"
status_of() {
  curl -s -o "$WORK/probe" -w '%{http_code}' -H "Authorization: $1" --data "$2" "$BASE/oauth/token"
  printf ' %s' "$(jq -r '.error // "none"' "$WORK/probe" 2>/dev/null || echo "?")"
}

echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), \
$(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); wrk on the same cores"
echo "Load average before the run: $(cut -d" " -f1-3 /proc/loadavg) (other work on the machine slows every figure)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, at most $DURATION per scenario; $SINGLE_USE single-use values"
printf '| scenario | requests/s | p50 | p99 | requests | non-2xx | note |\n|---|---:|---:|---:|---:|---:|---|\n' >"$SUMMARY"

echo "== warming up the JIT (password grant and API read, 5 s each)"
BODY="grant_type=password&username=bench-user&password=$USER_PASSWORD&scope=api" AUTH=$PASSWORD_AUTH \
  wrk -t1 -c2 -d5s -s "$LUA" "$BASE/oauth/token" >/dev/null
wrk -t1 -c2 -d5s -H "Authorization: Bearer $JWT" "$BASE/api/1.0/auth-clients" >/dev/null

CC_PROBE=$(status_of "$CC_AUTH" "grant_type=client_credentials")
case "$CC_PROBE" in
  200*)
    BODY="grant_type=client_credentials" AUTH=$CC_AUTH THREADS=$THREADS run "client credentials" "" \
      -s "$LUA" "$BASE/oauth/token" ;;
  *)
    echo
    echo "-- client credentials: SKIPPED, the server answers $CC_PROBE (the grant is not available yet)"
    echo "| client credentials | – | – | – | – | – | skipped: the server answered $CC_PROBE |" >>"$SUMMARY" ;;
esac

BODY='{"name":"Bench {N}","types":["password_client"]}' CONTENT_TYPE=application/json AUTH="Bearer $PAT" \
  THREADS=$THREADS run "API create auth client" "POST /api/1.0/auth-clients, a PAT bearer" -s "$LUA" \
  "$BASE/api/1.0/auth-clients"

if [ -z "$WRITES_ONLY" ]; then
  BODY="grant_type=password&username=bench-user&password=$USER_PASSWORD&scope=api" AUTH=$PASSWORD_AUTH THREADS=$THREADS \
    run "password grant" "bcrypt of the user's password on every request, deliberately slow" -s "$LUA" "$BASE/oauth/token"

  echo
  echo "== generating $SINGLE_USE refresh tokens (code + exchange each)"
  refresh_tokens "$SINGLE_USE" "$WORK/refresh-tokens"
  BODY="grant_type=refresh_token&refresh_token={TOKEN}" AUTH=$CODE_AUTH TOKEN_FILE="$WORK/refresh-tokens" THREADS=$THREADS \
    run "refresh (rotating)" "each of $SINGLE_USE pre-generated tokens used once" -s "$LUA" "$BASE/oauth/token"

  echo
  echo "== generating $SINGLE_USE authorization codes"
  codes "$SINGLE_USE" "$WORK/codes"
  BODY="grant_type=authorization_code&code={TOKEN}&redirect_uri=$REDIRECT_ENCODED&code_verifier=$VERIFIER" \
    AUTH=$CODE_AUTH TOKEN_FILE="$WORK/codes" THREADS=$THREADS \
    run "code exchange (PKCE)" "each of $SINGLE_USE pre-generated codes used once" -s "$LUA" "$BASE/oauth/token"

  BODY="token=$JWT&token_type_hint=access_token" AUTH=$PASSWORD_AUTH THREADS=$THREADS \
    run "introspection" "an access token (JWT)" -s "$LUA" "$BASE/oauth/introspect"

  run "API read, JWT bearer" "GET /api/1.0/auth-clients" -H "Authorization: Bearer $JWT" "$BASE/api/1.0/auth-clients"
  run "API read, PAT bearer" "GET /api/1.0/auth-clients" -H "Authorization: Bearer $PAT" "$BASE/api/1.0/auth-clients"
fi

echo
echo "== summary"
cat "$SUMMARY"
echo
echo "Database files after the run: $(du -ch "$WORK"/data/* | awk 'END { print $1 }') ($(ls "$WORK"/data | tr '\n' ' '))"
