#!/usr/bin/env bash
# Benchmark: start-up time and memory.
#
# Each run starts Gatehouse on a fresh embedded H2 database in a temporary directory (127.0.0.1 only) with a known
# admin, and measures from the moment the start command is run:
#
#   ready          the first answer of GET /login (the HTTP connector is up and the context is refreshed)
#   first token    the first 200 from POST /oauth/token: after "ready" the admin signs in through the login form,
#                  creates a client-credentials client through POST /api/1.0/auth-clients, and asks for a token
#   CPU used       the CPU time (user + system, all threads) the server used until the first token: other work on
#                  the machine stretches the wall-clock figures, much less this one
#   RSS start      the server's resident set right after the first token
#   RSS load       (LOAD > 0) after LOAD of client-credentials requests with wrk -t2 -c32 (LOAD_CONNECTIONS)
#   tokens/s       (LOAD > 0) wrk's requests/s over LOAD, after LOAD_WARMUP (5 s) of the same requests
#   CPU/token      (LOAD > 0) the server's CPU time over LOAD divided by the requests: what a token costs, which other
#                  work on the machine changes much less than tokens/s
#   threads        (LOAD > 0) the server's threads after the load
#
# RUNS runs (default 3) are made one after the other, each on its own fresh database, and the median of each figure
# is printed. The start command is the script's arguments (default: java -jar target/gatehouse.jar; the JVM flags in
# JAVA_OPTS are added there); the server's settings are passed as environment variables, so any launcher works that
# ends by exec'ing java (the PID measured for RSS is the launched process).
#
#   bench/startup.sh                                      # plain java -jar, 3 runs, no load
#   LOAD=20s bench/startup.sh bin/gatehouse               # the launcher with its recommended flags, and a load
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/startup.sh bin/gatehouse
#   JAVA_OPTS="-Xmx128m -XX:+UseSerialGC" bench/startup.sh
#   THREAD_CPU=1 RUNS=1 bench/startup.sh bin/gatehouse  # also where the CPU time went, per kind of thread
#   LOAD=20s AFTER_LOAD='jcmd $PID VM.native_memory summary' JAVA_OPTS=-XX:NativeMemoryTracking=summary \
#     bench/startup.sh bin/gatehouse                    # a command run with the server's PID after the load
#
# DB_URL (with SPRING_DATASOURCE_USERNAME/PASSWORD in the environment) runs on another database, e.g. PostgreSQL:
# an empty one for the first run's figures to be those of a fresh start (later runs find the admin and schema).
#
# Needs curl and jq, and wrk when LOAD is set (apt-get install curl jq wrk); installs nothing itself; builds the jar
# if it is missing; always stops the server it started.
set -euo pipefail

RUNS=${RUNS:-3}
PORT=${PORT:-18082}
LOAD=${LOAD:-}
LOAD_WARMUP=${LOAD_WARMUP:-5s}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}
JAVA=${JAVA:-java}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/target/gatehouse.jar"
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/gatehouse-startup-bench.XXXXXX)
ADMIN=bench
ADMIN_PASSWORD=bench-admin-password-$$
SERVER_PID=

if [ $# -gt 0 ]; then
  COMMAND=()
  for arg in "$@"; do
    # each run starts in its own directory: relative paths (bin/gatehouse, target/gatehouse.jar) are made absolute
    if [[ $arg != /* && -e $arg ]]; then arg=$PWD/$arg; fi
    COMMAND+=("$arg")
  done
else
  # shellcheck disable=SC2206 # JAVA_OPTS is a list of flags
  COMMAND=("$JAVA" ${JAVA_OPTS:-} -jar "$JAR")
fi

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in curl jq ${LOAD:+wrk}; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 1; }
done
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)

now_ms() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }
# cpu_ms PID: the CPU time (user + system) the process has used so far; less sensitive to other load than wall time
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
# thread_cpu PID: CPU time per kind of thread (numbers in thread names folded), the largest first
thread_cpu() {
  local hz task
  hz=$(getconf CLK_TCK)
  for task in /proc/"$1"/task/*; do
    # comm may hold spaces: it is the text between the parentheses of stat
    sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\1|\2/' "$task/stat"
  done | awk -F'|' -v hz="$hz" '{ split($2, f, " "); name = $1; gsub(/[0-9]+/, "#", name);
      cpu[name] += (f[11] + f[12]) * 1000 / hz; n[name]++ }
    END { for (k in cpu) printf "%8.0f ms  %3d x %s\n", cpu[k], n[k], k }' | sort -rn | head -12
  echo
}
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
basic() { printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"; }

# one_run N: starts the server, measures, stops it; appends "ready first rss_start rss_load rps" to $WORK/figures
one_run() {
  local n=$1 dir="$WORK/run-$n" started ready first
  mkdir -p "$dir"
  started=$(now_ms)
  (cd "$dir" && SERVER_ADDRESS=127.0.0.1 SERVER_PORT=$PORT MANAGEMENT_SERVER_PORT=${MANAGEMENT_PORT:-0} \
    SPRING_DATASOURCE_URL="${DB_URL:-jdbc:h2:file:$dir/data/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH}" \
    GATEHOUSE_ADMIN_USERNAME=$ADMIN GATEHOUSE_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    exec "${COMMAND[@]}" >"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  until curl -s -o /dev/null "$BASE/login"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server stopped:" >&2; cat "$dir/server.log" >&2; exit 1; }
    [ $(( $(now_ms) - started )) -lt 120000 ] || { echo "not ready after 120 s:" >&2; cat "$dir/server.log" >&2; exit 1; }
    sleep 0.02
  done
  ready=$(now_ms)

  # the admin signs in through the form, as a person would, then creates the client through the REST API
  # (the first admin is created by a runner just after the connector opens: a sign-in that early is retried)
  local cookies="$dir/cookies" csrf xsrf client auth status signed_in= attempt
  for attempt in $(seq 1 100); do
    rm -f "$cookies"
    csrf=$(curl -s -c "$cookies" -b "$cookies" "$BASE/login" | grep -oP 'name="_csrf" value="\K[^"]+')
    signed_in=$(curl -s -o /dev/null -w '%{redirect_url}' -c "$cookies" -b "$cookies" \
      --data-urlencode "username=$ADMIN" --data-urlencode "password=$ADMIN_PASSWORD" --data-urlencode "_csrf=$csrf" \
      "$BASE/login")
    case "$signed_in" in *error*|'') sleep 0.05 ;; *) break ;; esac
  done
  case "$signed_in" in *error*|'') echo "sign-in failed ($signed_in)" >&2; exit 1 ;; esac
  curl -s -o /dev/null -c "$cookies" -b "$cookies" "$BASE/api/1.0/auth-clients"
  xsrf=$(awk '$6 == "XSRF-TOKEN" { print $7 }' "$cookies")
  [ -n "$xsrf" ] || { echo "sign-in failed (no XSRF-TOKEN cookie)" >&2; exit 1; }
  client=$(curl -s -b "$cookies" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    --data "{\"name\":\"Startup bench service $$-$n\",\"types\":[\"client_credentials\"]}" "$BASE/api/1.0/auth-clients")
  auth=$(basic "$(jq -r .id <<<"$client")" "$(jq -r .secret <<<"$client")")
  status=$(curl -s -o "$dir/token" -w '%{http_code}' -H "Authorization: $auth" \
    --data grant_type=client_credentials "$BASE/oauth/token")
  first=$(now_ms)
  [ "$status" = 200 ] || { echo "the token endpoint answered $status: $(cat "$dir/token")" >&2; exit 1; }
  local rss_start rss_load=- rps=- cpu
  rss_start=$(rss_mib "$SERVER_PID")
  cpu=$(cpu_ms "$SERVER_PID")
  [ -z "${THREAD_CPU:-}" ] || thread_cpu "$SERVER_PID" >>"$WORK/thread-cpu"

  local cpu_token=- threads=-
  if [ -n "$LOAD" ]; then
    BODY=grant_type=client_credentials AUTH=$auth wrk -t2 -c"$LOAD_CONNECTIONS" -d"$LOAD_WARMUP" \
      -s "$ROOT/bench/oauth-form.lua" "$BASE/oauth/token" >/dev/null
    local cpu_before requests
    cpu_before=$(cpu_ms "$SERVER_PID")
    BODY=grant_type=client_credentials AUTH=$auth wrk -t2 -c"$LOAD_CONNECTIONS" -d"$LOAD" \
      -s "$ROOT/bench/oauth-form.lua" "$BASE/oauth/token" >"$dir/wrk"
    if grep -q 'Non-2xx' "$dir/wrk"; then
      echo "wrk saw errors:" >&2; cat "$dir/wrk" >&2; exit 1
    fi
    rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$dir/wrk")
    requests=$(awk '/requests in/ { print $1 }' "$dir/wrk")
    cpu_token=$(( ($(cpu_ms "$SERVER_PID") - cpu_before) * 1000 / requests ))
    rss_load=$(rss_mib "$SERVER_PID")
    threads=$(ls "/proc/$SERVER_PID/task" | wc -l)
    [ -z "${AFTER_LOAD:-}" ] || PID=$SERVER_PID bash -c "$AFTER_LOAD" >>"$WORK/after-load" 2>&1
  fi
  stop_server
  local boot migrations
  boot=$(grep -oP 'Started GatehouseApplication in \K[0-9.]+' "$dir/server.log" || echo -)
  migrations=$(grep -oP 'Successfully applied \d+ migrations.*execution time \K[0-9:.]+s' "$dir/server.log" || echo -)
  printf '%6s  %8s s  %10s s  %8s s  %9s MiB  %8s MiB  %8s  %7s us  %7s  (Spring: started in %s s, Flyway: %s)\n' "$n" \
    "$(ms_to_s $((ready - started)))" "$(ms_to_s $((first - started)))" "$(ms_to_s "$cpu")" "$rss_start" "$rss_load" \
    "$rps" "$cpu_token" "$threads" "$boot" "$migrations"
  echo "$((ready - started)) $((first - started)) $rss_start $rss_load $rps $cpu $cpu_token $threads" >>"$WORK/figures"
}

ms_to_s() { printf '%d.%02d' $(( $1 / 1000 )) $(( $1 % 1000 / 10 )); }

# median COLUMN: the median of one column of $WORK/figures ("-" when not measured)
median() {
  awk -v c="$1" '{ print $c }' "$WORK/figures" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average before: \
$(cut -d' ' -f1-3 /proc/loadavg)"
echo "Command: ${COMMAND[*]}"
echo "Java:    $("$JAVA" -version 2>&1 | head -1) (JAVA=$JAVA)"
printf '%6s  %10s  %12s  %10s  %13s  %12s  %8s  %10s  %7s\n' run ready "first token" "CPU used" "RSS start" "RSS load" \
  tokens/s "CPU/token" threads
for n in $(seq 1 "$RUNS"); do
  one_run "$n"
done
rss_load=$(median 4)
printf '%6s  %8s s  %10s s  %8s s  %9s MiB  %8s MiB  %8s  %7s us  %7s\n' median "$(ms_to_s "$(median 1)")" \
  "$(ms_to_s "$(median 2)")" "$(ms_to_s "$(median 6)")" "$(median 3)" "$rss_load" "$(median 5)" "$(median 7)" \
  "$(median 8)"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${AFTER_LOAD:-}" ]; then
  echo "After the load ($AFTER_LOAD), per run:"
  cat "$WORK/after-load"
fi
if [ -n "${THREAD_CPU:-}" ]; then
  echo "CPU time per thread at the first token, per run:"
  cat "$WORK/thread-cpu"
fi
