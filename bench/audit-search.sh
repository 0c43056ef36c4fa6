#!/usr/bin/env bash
# Seeds a million audit records into an in-memory H2 or an embedded PostgreSQL 15 and prints p50/p99 of audit log
# searches (no filter, by actor, client, type, a time range, a deep page). Not part of `mvn verify`.
#
#   bench/audit-search.sh                 # h2, 1,000,000 rows, 500 runs per query
#   bench/audit-search.sh postgres 1000000 500
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA:-java}"
MVN_OFFLINE="${MVN_OFFLINE:--o}"
mvn $MVN_OFFLINE -q -B test-compile
mvn $MVN_OFFLINE -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec "$JAVA" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
	io.gatehouse.audit.AuditSearchBenchmark "${1:-h2}" "${2:-1000000}" "${3:-500}"
