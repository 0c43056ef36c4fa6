#!/usr/bin/env bash
# bench/limits/run.sh: what this machine can do at best, for the last column of bench/compare.sh's table.
#
#   signatures   RS256 and ES256 signs and verifies per second on $LIMIT_THREADS threads (default 2 = both cores),
#                with the JDK's providers and with Amazon Corretto Crypto Provider $ACCP_VERSION (fetched once with
#                `mvn dependency:copy` into $BENCH_CACHE)                                      Signatures.java
#   bcrypt       password checks per second on 2 threads, Gatehouse's own encoder (bcrypt, strength 10)  BcryptLoop.java
#   hello        a bare embedded Tomcat (the version in Gatehouse's jar) answering one servlet, under the same wrk
#                settings as every workload; also its start-to-first-200 and its RSS after the load  TomcatHello.java
#   inserts      INSERT + COMMIT per row, 1 and 8 threads: H2 file with Gatehouse's URL settings, the same with
#                WRITE_DELAY=0 (the durable-commit setting), PostgreSQL (synchronous_commit on)  InsertLoop.java
#
# The Java programs are single files (each also runs as `java -cp <jars> File.java`), compiled here once with javac
# against the libraries of Gatehouse's own jar, so the versions are the server's. Prints LIMIT lines and writes them to $OUT/limits.txt.
#
#   bench/limits/run.sh                         # all; LIMITS="signatures bcrypt hello inserts"
#   LIMITS=signatures LIMIT_SECONDS=10 bench/limits/run.sh
#
# Env: OUT (a new /tmp/gatehouse-limits.* directory) GATEHOUSE_JAR (target/gatehouse.jar, built if missing)
#      JAVA (java) THREADS (2) CONNS (32) WARMUP (10) DURATION (15) WRK_TIMEOUT (10)   wrk settings, for hello
#      LIMIT_THREADS (2) LIMIT_WARMUP (2) LIMIT_SECONDS (5)       per operation of the Java programs
#      HELLO_PORT (18199) PG_PORT (18432) PG_EXTERNAL (0; 1 = a PostgreSQL of ours already listens on PG_PORT)
#      ACCP_VERSION (2.5.0) BENCH_CACHE (/tmp/gatehouse-bench-cache) MVN (mvn)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(dirname "$BENCH")
OUT="${OUT:-$(mktemp -d /tmp/gatehouse-limits.XXXXXX)}"
mkdir -p "$OUT"
THREADS="${THREADS:-2}" CONNS="${CONNS:-32}" WARMUP="${WARMUP:-10}" DURATION="${DURATION:-15}" WRK_TIMEOUT="${WRK_TIMEOUT:-10}"
LIMITS="${LIMITS:-signatures bcrypt hello inserts}"
LIMIT_THREADS="${LIMIT_THREADS:-2}" LIMIT_WARMUP="${LIMIT_WARMUP:-2}" LIMIT_SECONDS="${LIMIT_SECONDS:-5}"
HELLO_PORT="${HELLO_PORT:-18199}" PG_PORT="${PG_PORT:-18432}" PG_EXTERNAL="${PG_EXTERNAL:-0}"
ACCP_VERSION="${ACCP_VERSION:-2.5.0}" BENCH_CACHE="${BENCH_CACHE:-/tmp/gatehouse-bench-cache}" MVN="${MVN:-mvn}"
JAVA="${JAVA:-java}"
GATEHOUSE_JAR="${GATEHOUSE_JAR:-$ROOT/target/gatehouse.jar}"
# shellcheck source=../lib/common.sh
. "$BENCH/lib/common.sh"
need wrk curl unzip "$JAVA"
if [ ! -f "$GATEHOUSE_JAR" ]; then
  log "building $GATEHOUSE_JAR (mvn -q -B -DskipTests package)"
  (cd "$ROOT" && "$MVN" -q -B -DskipTests package) || die "the build failed"
fi
LIBS=$(gatehouse_libs "$GATEHOUSE_JAR")
HERE="$BENCH/limits"
# compiled once, so that no figure (the hello's start-up above all) includes compiling its source
CLASSES="$OUT/limits-classes"
mkdir -p "$CLASSES"
JAVAC="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac"
[ -x "$JAVAC" ] || die "no javac beside $JAVA: the limits need a JDK"
"$JAVAC" -nowarn -d "$CLASSES" -cp "$LIBS" "$HERE"/*.java 2>>"$OUT/limits.log" || die "javac failed (see $OUT/limits.log)"
CP="$CLASSES:$LIBS"
LIMITS_FILE="$OUT/limits.txt"
HELLO_PID="" OWN_PG=0
cleanup() {
  if [ -n "$HELLO_PID" ]; then kill "$HELLO_PID" 2>/dev/null || true; wait "$HELLO_PID" 2>/dev/null || true; fi
  if [ "$OWN_PG" = 1 ]; then pg_stop; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

limit() { # NAME VALUE [NOTE]: one LIMIT line
  echo "LIMIT name=$1 value=$2${3:+ note=$3}" | tee -a "$LIMITS_FILE"
}
java_limit() { # runs a single-file program; its LIMIT lines go to $LIMITS_FILE
  "$JAVA" "$@" 2>>"$OUT/limits.log" | tee -a "$LIMITS_FILE" || die "$* failed (see $OUT/limits.log)"
}

accp_jar() {
  local arch classifier jar
  arch=$(uname -m)
  case $arch in x86_64) classifier=linux-x86_64 ;; aarch64) classifier=linux-aarch64 ;; *) return 1 ;; esac
  jar="$BENCH_CACHE/AmazonCorrettoCryptoProvider-$ACCP_VERSION-$classifier.jar"
  if [ ! -s "$jar" ]; then
    mkdir -p "$BENCH_CACHE"
    log "fetching Amazon Corretto Crypto Provider $ACCP_VERSION ($classifier) with mvn dependency:copy"
    (cd "$BENCH_CACHE" && "$MVN" -q -B dependency:copy \
      -Dartifact="software.amazon.cryptools:AmazonCorrettoCryptoProvider:$ACCP_VERSION:jar:$classifier" \
      -DoutputDirectory="$BENCH_CACHE") >>"$OUT/limits.log" 2>&1 || return 1
  fi
  echo "$jar"
}

for l in $LIMITS; do
  case $l in
    signatures)
      log "signatures: JDK providers, $LIMIT_THREADS threads"
      java_limit -cp "$CLASSES" Signatures jdk "$LIMIT_THREADS" "$LIMIT_WARMUP" "$LIMIT_SECONDS"
      if ACCP=$(accp_jar); then
        log "signatures: Amazon Corretto Crypto Provider $ACCP_VERSION"
        java_limit -cp "$CLASSES:$ACCP" Signatures accp "$LIMIT_THREADS" "$LIMIT_WARMUP" "$LIMIT_SECONDS"
      else
        log "Amazon Corretto Crypto Provider unavailable for $(uname -m) (see $OUT/limits.log): JDK figures only"
      fi ;;
    bcrypt)
      log "bcrypt: $LIMIT_THREADS threads"
      java_limit -cp "$CP" BcryptLoop "$LIMIT_THREADS" "$LIMIT_WARMUP" "$((LIMIT_SECONDS * 2))" ;;
    hello)
      port_free "$HELLO_PORT"
      t0=$(now)
      "$JAVA" -cp "$CP" TomcatHello "$HELLO_PORT" >"$OUT/hello.log" 2>&1 &
      HELLO_PID=$!
      until curl -s -o /dev/null "http://127.0.0.1:$HELLO_PORT/"; do
        kill -0 "$HELLO_PID" 2>/dev/null || { cat "$OUT/hello.log" >&2; die "the Tomcat hello did not start"; }
        awk -v e="$(since "$t0")" 'BEGIN{exit !(e > 120)}' && die "the Tomcat hello did not answer within 120 s"
        sleep 0.05
      done
      limit hello-start-s "$(since "$t0")" "java-to-first-200"
      # the client-credentials request's shape: a form POST with HTTP Basic
      unset WRK_POOL
      WRK_METHOD=POST WRK_BODY="grant_type=client_credentials" WRK_AUTH="$(basic hello hello-secret)" \
        WRK_EXPECT='"hello"' gh_wrk limit hello "http://127.0.0.1:$HELLO_PORT/oauth/token"
      limit hello-rps "$LAST_RPS" "$( [ "$LAST_VALID" = 1 ] && echo valid || echo INVALID)"
      limit hello-rss-mib "$(rss_mib "$HELLO_PID")"
      kill "$HELLO_PID"; wait "$HELLO_PID" 2>/dev/null || true; HELLO_PID="" ;;
    inserts)
      H2_DIR=$(mktemp -d "$OUT/h2-limits.XXXXXX")
      H2_SETTINGS="MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
      for t in 1 8; do
        log "inserts: H2 file, Gatehouse's settings, $t threads"
        java_limit -cp "$CP" InsertLoop "h2-insert-$t" "jdbc:h2:file:$H2_DIR/default$t;$H2_SETTINGS" sa "" \
          "$t" "$LIMIT_WARMUP" "$LIMIT_SECONDS"
        log "inserts: H2 file, WRITE_DELAY=0, $t threads"
        java_limit -cp "$CP" InsertLoop "h2-wd0-insert-$t" \
          "jdbc:h2:file:$H2_DIR/wd0-$t;$H2_SETTINGS;WRITE_DELAY=0" sa "" "$t" "$LIMIT_WARMUP" "$LIMIT_SECONDS"
      done
      rm -rf "$H2_DIR"
      if [ "$PG_EXTERNAL" != 1 ]; then
        if pg_available; then pg_start "$PG_PORT"; OWN_PG=1; else log "no PostgreSQL binaries: no PostgreSQL insert limit"; continue; fi
      fi
      pg_sql "$PG_PORT" postgres "drop database if exists limits" >/dev/null 2>&1
      pg_sql "$PG_PORT" postgres "create database limits" >/dev/null
      for t in 1 8; do
        log "inserts: PostgreSQL, synchronous_commit on, $t threads"
        java_limit -cp "$CP" InsertLoop "pg-insert-$t" "jdbc:postgresql://127.0.0.1:$PG_PORT/limits" postgres "" \
          "$t" "$LIMIT_WARMUP" "$LIMIT_SECONDS"
      done
      pg_sql "$PG_PORT" postgres "drop database limits" >/dev/null
      if [ "$OWN_PG" = 1 ]; then pg_stop; OWN_PG=0; fi ;;
    *) die "unknown limit $l (signatures bcrypt hello inserts)" ;;
  esac
done
log "limits written to $LIMITS_FILE"
