#!/usr/bin/env bash
# Signs and verifies an RFC 9068 access token with Nimbus JOSE (the library Spring's authorization server uses), on one
# thread, for RS256 (RSA 2048 and 3072), PS256 and ES256, plus the JDK's Ed25519 for comparison, and prints
# operations per second per core. Not part of `mvn verify`.
#
#   bench/jwt-algorithms.sh                    # the default java; WARMUP=3 SECONDS_PER_OP=5 (seconds per operation)
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/jwt-algorithms.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA:-java}"
MVN_OFFLINE="${MVN_OFFLINE:--o}"
mvn $MVN_OFFLINE -q -B test-compile
mvn $MVN_OFFLINE -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec "$JAVA" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
	io.gatehouse.signing.JwtAlgorithmBenchmark "${WARMUP:-3}" "${SECONDS_PER_OP:-5}"
