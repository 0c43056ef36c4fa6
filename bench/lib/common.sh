# bench/lib/common.sh: helpers shared by bench/compare.sh and bench/limits/run.sh (source it; bash only).
#
# Needs: BENCH (the bench/ directory), OUT (results directory), THREADS, CONNS, WARMUP, DURATION, WRK_TIMEOUT.
# The wrk runner follows ../shared/peers/bench-lib.sh exactly (same wrk options, same wrk-oauth.lua, same validity
# rule: any non-2xx, bad body or socket error makes a run INVALID), so Gatehouse and the peers are measured alike. It
# also records the request count and the load average around each run, in $OUT/results.tsv.

LUA="$BENCH/wrk-oauth.lua"
RESULTS="$OUT/results.tsv"

log() { printf '[compare %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN{printf "%.2f", a-b}'; }   # seconds since $1
load1() { cut -d' ' -f1 /proc/loadavg; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
basic() { printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"; }
rss_mib() { local k; k=$(ps -o rss= -p "$1" 2>/dev/null | tr -d ' '); [ -n "$k" ] && awk -v k="$k" 'BEGIN{printf "%.0f", k/1024}' || echo "?"; }
need() { local t; for t in "$@"; do command -v "$t" >/dev/null || die "missing tool: $t (apt-get install $t)"; done; }

# port_free PORT: fails when something already listens on 127.0.0.1:PORT (a server left over, or another user's)
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "port $1 on 127.0.0.1 is taken: stop what listens there or choose another port (see the script's header)"
  fi
}

# cpu_ticks PID: user + system clock ticks of the process so far (empty without a live PID)
cpu_ticks() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" || true; }

# record SYSTEM WORKLOAD RPS P50 P99 REQUESTS ERRORS VALID NOTE LOAD_BEFORE LOAD_AFTER: one row of $RESULTS
# (an empty field is written as "-": read splits on tabs and would merge two of them)
record() {
  local f out=()
  for f in "$@"; do out+=("${f:--}"); done
  local IFS=$'\t'
  printf '%s\n' "${out[*]}" >>"$RESULTS"
}

# gh_prewarm NAME URL: $WARMUP s of the request that the WRK_* variables describe, recorded nowhere (its output goes
# to $OUT/wrk/prewarm-NAME.txt): for requests measured one after the other in one JVM, so that the first measured
# does not pay the JIT for code they share
gh_prewarm() {
  mkdir -p "$OUT/wrk"
  echo "wrk -t$THREADS -c$CONNS -d${WARMUP}s $2   # pre-warm $1, not recorded" >>"$OUT/commands.txt"
  WRK_THREADS="$THREADS" wrk -t"$THREADS" -c"$CONNS" --timeout "${WRK_TIMEOUT}s" -s "$LUA" -d"${WARMUP}s" "$2" \
    >"$OUT/wrk/prewarm-$1.txt" 2>&1 || true
  log "pre-warm $1: $(grep '^RESULT' "$OUT/wrk/prewarm-$1.txt" | cut -d' ' -f2-4)"
}

# gh_wrk SYSTEM NAME URL [HOOK]: a warm-up run of $WARMUP s, then a measured run of $DURATION s, like run_wrk in
# ../shared/peers/bench-lib.sh. WRK_* variables (see wrk-oauth.lua) describe the request; WRK_SCRIPT runs another
# script with the same RESULT line (wrk-dpop.lua, whose pool_used_up also makes a run INVALID). HOOK (a function name) runs
# before each of the two runs with PHASE=warmup or PHASE=measured (e.g. for a fresh bearer or a new pool of
# single-use values). Sets LAST_REQUESTS, LAST_RPS, LAST_VALID, LAST_WARMUP_REQUESTS, LAST_WARMUP_ERRORS. A note in
# RUN_NOTE (set by the hook) goes into the row.
gh_wrk() {
  local system=$1 name=$2 url=$3 hook=${4:-} r f lb la
  local common=(-t"$THREADS" -c"$CONNS" --timeout "${WRK_TIMEOUT}s" --latency -s "${WRK_SCRIPT:-$LUA}")
  local prefix="$OUT/wrk/$system-$name"
  mkdir -p "$OUT/wrk"
  export WRK_THREADS="$THREADS"
  RUN_NOTE=""
  if [ -n "$hook" ]; then PHASE=warmup "$hook"; fi
  printf '# %s %s: WRK_METHOD=%s WRK_BODY=%.70s WRK_AUTH=%.12s... WRK_POOL=%s WRK_EXPECT=%s\n' "$system" "$name" \
    "${WRK_METHOD:-POST}" "$(sed -E 's/(password=)[^&]*/\1***/' <<<"${WRK_BODY:-}")" "${WRK_AUTH:-}" "${WRK_POOL:-}" \
    "${WRK_EXPECT:-}" >>"$OUT/commands.txt"
  echo "wrk ${common[*]} -d${WARMUP}s $url   # warm-up" >>"$OUT/commands.txt"
  wrk "${common[@]}" -d"${WARMUP}s" "$url" >"$prefix.warmup.txt" 2>&1 || true
  r=$(grep '^RESULT' "$prefix.warmup.txt" || echo "RESULT missing")
  log "$system $name warm-up: ${r#RESULT }"
  local -A w=()
  for f in ${r#RESULT }; do w[${f%%=*}]=${f#*=}; done
  LAST_WARMUP_REQUESTS=${w[requests]:-0}
  LAST_WARMUP_ERRORS=$(( ${w[non2xx]:-0} + ${w[bad_body]:-0} + ${w[connect]:-0} + ${w[read]:-0} + ${w[write]:-0} + ${w[timeout]:-0} ))
  if [ -n "$hook" ]; then PHASE=measured "$hook"; fi
  echo "wrk ${common[*]} -d${DURATION}s $url   # measured" >>"$OUT/commands.txt"
  lb=$(loadavg)
  local cpu0; cpu0=$(cpu_ticks "${GH_PID:-}")
  wrk "${common[@]}" -d"${DURATION}s" "$url" >"$prefix.txt" 2>&1 || true
  local cpu1; cpu1=$(cpu_ticks "${GH_PID:-}")
  la=$(loadavg)
  r=$(grep '^RESULT' "$prefix.txt" || true)
  LAST_VALID=0 LAST_REQUESTS=0 LAST_RPS=0
  if [ -z "$r" ]; then
    log "$system $name: FAILED, no wrk result (see $prefix.txt)"
    record "$system" "$name" - - - - - 0 "FAILED: no wrk result${RUN_NOTE:+; $RUN_NOTE}" "$lb" "$la"
    return 0
  fi
  local -A kv=()
  for f in ${r#RESULT }; do kv[${f%%=*}]=${f#*=}; done
  local bad=$(( ${kv[non2xx]} + ${kv[bad_body]} ))
  local sock=$(( ${kv[connect]} + ${kv[read]} + ${kv[write]} + ${kv[timeout]} ))
  local note="$RUN_NOTE"
  # the server's CPU per answer (user + system time of its process over the measured run): other work on the cores
  # stretches wall time and rates, far less the CPU a request costs
  if [ -n "$cpu0" ] && [ -n "$cpu1" ] && [ "${kv[requests]}" -gt 0 ]; then
    note+="${note:+; }cpu_ms_per_request=$(awk -v a="$cpu0" -v b="$cpu1" -v n="${kv[requests]}" -v hz="$(getconf CLK_TCK)" \
      'BEGIN{printf "%.3f", (b-a)*1000/hz/n}')"
  fi
  [ "${kv[bad_body]}" -gt 0 ] && note+="${note:+; }bad_body=${kv[bad_body]}"
  [ "$sock" -gt 0 ] && note+="${note:+; }sockerr=$sock(c${kv[connect]}/r${kv[read]}/w${kv[write]}/t${kv[timeout]})"
  [ "${kv[requests]}" = 0 ] && note+="${note:+; }no answer within the run"
  # a pool of single-use values (wrk-dpop.lua) that ran out: the requests past it were replays
  [ "${kv[pool_used_up]:-0}" -gt 0 ] && note+="${note:+; }pool used up (${kv[pool_used_up]} requests past it)"
  if [ "$bad" -gt 0 ] || [ "$sock" -gt 0 ] || [ "${kv[requests]}" = 0 ] || [ "${kv[pool_used_up]:-0}" -gt 0 ]; then note+="${note:+; }INVALID"; else LAST_VALID=1; fi
  LAST_REQUESTS=${kv[requests]} LAST_RPS=${kv[rps]}
  record "$system" "$name" "${kv[rps]}" "${kv[p50_ms]}" "${kv[p99_ms]}" "${kv[requests]}" "$((bad + sock))" \
    "$LAST_VALID" "$note" "$lb" "$la"
  log "$system $name: ${kv[rps]} req/s, p50 ${kv[p50_ms]} ms, p99 ${kv[p99_ms]} ms, errors $((bad + sock))${note:+ ($note)}"
}

# ---- a private PostgreSQL cluster (PostgreSQL refuses to run as root: as root it runs as the postgres user) ----
PG_BIN="${PG_BIN:-$( [ -x /usr/lib/postgresql/15/bin/pg_ctl ] && echo /usr/lib/postgresql/15/bin || (pg_config --bindir 2>/dev/null || true))}"
PG_DIR=""
pg_available() { [ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/initdb" ]; }
pg_as() { # runs a PostgreSQL binary as the cluster's owner
  if [ "$(id -u)" = 0 ]; then
    local u=postgres; id postgres >/dev/null 2>&1 || u=nobody
    (cd / && runuser -u "$u" -- "$@")
  else
    (cd / && "$@")
  fi
}
# pg_start PORT: initdb + start in a fresh 1777 temp directory; defaults otherwise (fsync and synchronous_commit on)
pg_start() {
  local port=$1
  pg_available || die "PostgreSQL binaries not found (PG_BIN=$PG_BIN): apt-get install postgresql, or set PG_BIN"
  port_free "$port"
  PG_DIR=$(mktemp -d /tmp/gatehouse-bench-pg.XXXXXX)
  chmod 1777 "$PG_DIR"
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C >"$OUT/pg-initdb.log" 2>&1 \
    || { cat "$OUT/pg-initdb.log" >&2; die "initdb failed"; }
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=100" start >>"$OUT/pg-initdb.log" 2>&1 \
    || { cat "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
  PG_VERSION=$(pg_as "$PG_BIN/postgres" --version)
  log "PostgreSQL up on 127.0.0.1:$port ($PG_VERSION, data in $PG_DIR; synchronous_commit=$(pg_sql "$port" postgres 'show synchronous_commit'))"
}
pg_sql() { pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -d "$2" -Atqc "$3"; }
pg_stop() {
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
  PG_DIR=""
}

# ---- the jars of the server under test, for the single-file programs (Tomcat, H2, PostgreSQL, Spring Security) ----
# gatehouse_libs JAR: extracts BOOT-INF/lib of the jar into $OUT/lib once and prints a class path with all of them
gatehouse_libs() {
  if [ ! -d "$OUT/lib" ]; then
    mkdir -p "$OUT/lib"
    unzip -q -o -j "$1" 'BOOT-INF/lib/*.jar' -d "$OUT/lib" || die "cannot read the libraries of $1"
  fi
  echo "$OUT/lib/*"
}
