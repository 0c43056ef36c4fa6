#!/usr/bin/env bash
# bench/lib/report.sh OUT: prints bench/compare.sh's tables (Markdown) from the files of one run in OUT
# (results.tsv, metrics.txt, limits.txt, peer-*-table.txt). It can be run again on an old OUT.
set -euo pipefail
OUT=${1:?usage: report.sh OUT}
[ -f "$OUT/results.tsv" ] || { echo "no $OUT/results.tsv" >&2; exit 1; }

declare -A RPS P50 P99 REQ ERR VALID NOTE LB LA M L
ORDER=()
while IFS=$'\t' read -r sys wl rps p50 p99 req err valid note lb la; do
  k="$sys:$wl"; ORDER+=("$k")
  [ "$note" = - ] && note=""
  RPS[$k]=$rps P50[$k]=$p50 P99[$k]=$p99 REQ[$k]=$req ERR[$k]=$err VALID[$k]=$valid NOTE[$k]=$note LB[$k]=$lb LA[$k]=$la
done <"$OUT/results.tsv"
while IFS= read -r line; do [ -n "$line" ] && M[${line%%=*}]=${line#*=}; done <"$OUT/metrics.txt"
if [ -f "$OUT/limits.txt" ]; then
  while read -r _ name value _; do L[${name#name=}]=${value#value=}; done <"$OUT/limits.txt"
fi
# the peers' own notes (start-up, RSS) from their table.txt
peer_note() { # FILE REGEX: the first value captured by the sed regex
  [ -f "$1" ] && sed -nE "s/$2/\1/p" "$1" | head -1 || true
}
KC_TABLE="$OUT/peer-keycloak-table.txt"
OIDCP_TABLE="$OUT/peer-oidcp-table.txt"
M[kc_ready_s]=$(peer_note "$KC_TABLE" '^startup: .*startup_to_http_s=([0-9.]+).*')
M[kc_first_token_s]=$(peer_note "$KC_TABLE" '^startup: .*startup_to_first_token_s=([0-9.]+).*')
M[kc_rss_after_mib]=$(peer_note "$KC_TABLE" '^rss_mib: .*after_load=([0-9]+).*')
M[oidcp_rss_jwt_mib]=$(peer_note "$OIDCP_TABLE" '^rss_mib after load \(jwt server\): ([0-9]+).*')
M[oidcp_rss_opaque_mib]=$(peer_note "$OIDCP_TABLE" '^rss_mib after load \(opaque server\): ([0-9]+).*')

# fmt N: 1,234 for 100 and more, 12.3 below, 1.23 below 10
fmt() {
  case ${1:-} in ''|-|'?') echo "–"; return ;; esac
  awk -v n="$1" 'BEGIN{
    if (n >= 100) { s = sprintf("%d", n + 0.5); o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }; print s o }
    else if (n >= 10) printf "%.1f\n", n; else printf "%.2f\n", n }'
}
have() { [ -n "${RPS[$1]:-}" ]; }
ok() { have "$1" && [ "${VALID[$1]}" = 1 ]; }
# rate KEY [p99]: the cell of one run
rate() {
  local k=$1
  if ! have "$k"; then echo "not run"; return; fi
  if [ "${VALID[$k]}" != 1 ]; then echo "INVALID ($(fmt "${RPS[$k]}")/s, ${ERR[$k]} errors)"; return; fi
  if [ "${2:-}" = p99 ]; then echo "$(fmt "${RPS[$k]}")/s, p99 $(fmt "${P99[$k]}") ms"; else echo "$(fmt "${RPS[$k]}")/s"; fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2fx\n", a / b }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN{ exit !(a != "" && b != "" && a + 0 >= b + 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN{ exit !(a != "" && b != "" && a + 0 <= b + 0) }'; }
yesno() { if "$@"; then echo yes; else echo no; fi; }

declare -A PEER_NAME=(
  [oidcp:cc-jwt]="oidc-provider, JWT" [oidcp:cc-opaque]="oidc-provider, opaque" [oidcp:introspect-opaque]="oidc-provider, opaque token"
  [keycloak:cc]="Keycloak" [keycloak:password]="Keycloak, Argon2" [keycloak:refresh]="Keycloak"
  [keycloak:introspect]="Keycloak" [keycloak:introspect-user]="Keycloak, user token"
  [keycloak:admin]="Keycloak, 10,000 clients" [keycloak-100k:admin]="Keycloak, 100,000 clients"
)
# best KEY...: the valid peer run with the most requests/s; sets BEST (key) and BEST_RPS
best() {
  BEST="" BEST_RPS=""
  local k
  for k in "$@"; do
    ok "$k" || continue
    if [ -z "$BEST" ] || ge "${RPS[$k]}" "$BEST_RPS"; then BEST=$k BEST_RPS=${RPS[$k]}; fi
  done
}
best_cell() { if [ -n "$BEST" ]; then echo "$(fmt "$BEST_RPS")/s (${PEER_NAME[$BEST]:-$BEST})"; else echo "–"; fi; }

lim() { fmt "${L[$1]:-}"; }
SIGN="sign RS256 $(lim RS256-sign-jdk) (ACCP $(lim RS256-sign-accp)), ES256 $(lim ES256-sign-jdk) (ACCP $(lim ES256-sign-accp))"
VERIFY="verify RS256 $(lim RS256-verify-jdk) (ACCP $(lim RS256-verify-accp)), ES256 $(lim ES256-verify-jdk) (ACCP $(lim ES256-verify-accp))"
HELLO="bare Tomcat $(lim hello-rps)/s"
H2C="H2 commits/s $(lim h2-insert-1) (WRITE_DELAY=0: $(lim h2-wd0-insert-1), 8 threads $(lim h2-wd0-insert-8))"
PGC="PostgreSQL commits/s $(lim pg-insert-1) (8 threads $(lim pg-insert-8))"

echo "## Side by side"
echo
echo "Run of ${M[started_at]:-?}, ${M[elapsed_min]:-?} min; ${M[machine]:-?}; wrk ${M[wrk]:-?}."
echo "Load average (1, 5, 15 min) before: ${M[load_before]:-?}; after: ${M[load_after]:-?}."
echo "Gatehouse: ${M[gatehouse_jar]:-?}, ${M[gatehouse_java]:-?}, JAVA_OPTS ${M[gatehouse_java_opts]:-?}."
echo "Ratio = Gatehouse / best peer (for seconds and MiB, lower is better). INVALID = a run with errors: no figure."
echo
echo "| workload | Gatehouse (H2) | Gatehouse (PostgreSQL) | best peer | ratio | goal | met | physical limit (this run) |"
echo "|---|---:|---:|---|---:|---|---|---|"

row() { echo "| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"; }
pg_cell() { # KEY PEER_RPS
  if have "gatehouse-pg:$1"; then
    if ok "gatehouse-pg:$1" && [ -n "$2" ]; then echo "$(rate "gatehouse-pg:$1") ($(ratio "${RPS[gatehouse-pg:$1]}" "$2"))"; else rate "gatehouse-pg:$1"; fi
  else echo "–"; fi
}
gh_ratio() { if ok "gatehouse-h2:$1" && [ -n "$BEST" ]; then ratio "${RPS[gatehouse-h2:$1]}" "$BEST_RPS"; else echo "–"; fi; }
met_ratio() { # KEY GOAL
  if ok "gatehouse-h2:$1" && [ -n "$BEST" ]; then yesno ge "$(awk -v a="${RPS[gatehouse-h2:$1]}" -v b="$BEST_RPS" 'BEGIN{print a / b}')" "$2"; else echo "–"; fi
}

best oidcp:cc-jwt keycloak:cc
row "client credentials, JWT access token" "$(rate gatehouse-h2:cc)" "$(pg_cell cc "$BEST_RPS")" "$(best_cell)" "$(gh_ratio cc)" \
  "≥ 2.0x" "$(met_ratio cc 2.0)" "$SIGN; $HELLO; $H2C; $PGC"
# DPoP beside the plain figure: compared with Gatehouse's own plain client credentials of the same run (no peer runs it)
if ok gatehouse-h2:cc; then BEST=gatehouse-h2:cc BEST_RPS=${RPS[gatehouse-h2:cc]}; else BEST="" BEST_RPS=""; fi
PEER_NAME[gatehouse-h2:cc]="Gatehouse, no proof"
row "client credentials with a DPoP proof (ES256)" "$(rate gatehouse-h2:cc-dpop)" "$(pg_cell cc-dpop "${RPS[gatehouse-pg:cc]:-}")" \
  "$(best_cell)" "$(gh_ratio cc-dpop)" "–" "–" "$VERIFY; $SIGN; $H2C; $PGC"
best oidcp:introspect-opaque keycloak:introspect
row "introspection of an active token" "$(rate gatehouse-h2:introspect)" "$(pg_cell introspect "$BEST_RPS")" "$(best_cell)" \
  "$(gh_ratio introspect)" "≥ 1.5x" "$(met_ratio introspect 1.5)" "$HELLO"
best keycloak:refresh
row "refresh, rotation + reuse detection" "$(rate gatehouse-h2:refresh)" "$(pg_cell refresh "$BEST_RPS")" "$(best_cell)" \
  "$(gh_ratio refresh)" "≥ 2.0x" "$(met_ratio refresh 2.0)" "sign RS256 $(lim RS256-sign-jdk) (ACCP $(lim RS256-sign-accp)); $HELLO; $H2C; $PGC"
best keycloak:password
BC=${L[bcrypt-matches]:-}
BC90=$(awk -v b="$BC" 'BEGIN{ if (b != "") print 0.9 * b }')
if ok gatehouse-h2:password && [ -n "$BC" ]; then PWMET=$(yesno ge "${RPS[gatehouse-h2:password]}" "$BC90"); else PWMET="–"; fi
row "password grant (bcrypt)" "$(rate gatehouse-h2:password)" "–" "$(best_cell)" "$(gh_ratio password)" \
  "≥ 90% of bcrypt ($(fmt "$BC90")/s)" "$PWMET" "bcrypt $(fmt "$BC")/s on 2 threads"
# the API rows: when both orders ran (JWT, PAT, PAT, JWT) and all four are valid, each bearer's mean of its two runs;
# else the single pair (never a mean beside a single run)
API_JWT=api-jwt API_PAT=api-pat API_NOTE=""
if ok gatehouse-h2:api-jwt && ok gatehouse-h2:api-jwt-2 && ok gatehouse-h2:api-pat && ok gatehouse-h2:api-pat-2; then
  for bearer in jwt pat; do
    RPS[gatehouse-h2:api-$bearer-mean]=$(awk -v x="${RPS[gatehouse-h2:api-$bearer]}" -v y="${RPS[gatehouse-h2:api-$bearer-2]}" \
      'BEGIN{print (x + y) / 2}')
    VALID[gatehouse-h2:api-$bearer-mean]=1
  done
  API_JWT=api-jwt-mean API_PAT=api-pat-mean API_NOTE=" (mean of 2 runs, JWT, PAT, PAT, JWT)"
fi
if ok gatehouse-h2:$API_PAT; then BEST=gatehouse-h2:$API_PAT BEST_RPS=${RPS[gatehouse-h2:$API_PAT]}; else BEST="" BEST_RPS=""; fi
PEER_NAME[gatehouse-h2:$API_PAT]="Gatehouse, PAT"
row "REST API read, JWT bearer$API_NOTE" "$(rate gatehouse-h2:$API_JWT)" "–" "$(best_cell)" "$(gh_ratio $API_JWT)" "≥ 0.9x of PAT" \
  "$(met_ratio $API_JWT 0.9)" "$VERIFY; $HELLO"
row "REST API read, PAT bearer$API_NOTE" "$(rate gatehouse-h2:$API_PAT)" "–" "–" "–" "–" "–" "$HELLO"
SMALL=${M[gh_small_clients]:-10000} LARGE=${M[gh_large_clients]:-100000}
for size in "$SMALL" "$LARGE"; do
  label=$(fmt "$size")
  if [ "$size" = "$SMALL" ]; then best keycloak:admin; else best keycloak-100k:admin; [ -n "$BEST" ] || best keycloak:admin; fi
  for kind in search list; do
    k="admin-$kind-$size"
    met=$(met_ratio "$k" 10)
    goal="≥ 10x"
    if [ "$size" = "$LARGE" ]; then
      goal="≥ 10x, p99 ≤ 30 ms"
      if ok "gatehouse-h2:$k" && [ "$met" = yes ]; then met=$(yesno le "${P99[gatehouse-h2:$k]}" 30); fi
    fi
    what="admin search (filter=bench-5)"; [ "$kind" = list ] && what="admin list (first page)"
    row "$what, $label clients" "$(rate "gatehouse-h2:$k" p99)" "–" "$(best_cell)$( [ "$kind" = list ] && [ -n "$BEST" ] && echo ', a search')" \
      "$(gh_ratio "$k")" "$goal" "$met" "$HELLO"
  done
done
secs() { [ -n "${1:-}" ] && echo "$(fmt "$1") s" || echo "–"; }
row "start to ready (Gatehouse: fresh database)" "$(secs "${M[gh_h2_ready_s]:-}")" "$(secs "${M[gh_pg_ready_s]:-}")" \
  "$( [ -n "${M[kc_ready_s]}" ] && echo "$(fmt "${M[kc_ready_s]}") s (Keycloak)" || echo –)" \
  "$(ratio "${M[gh_h2_ready_s]:-}" "${M[kc_ready_s]}")" "–" "–" "bare Tomcat $(secs "${L[hello-start-s]:-}")"
# best start to first token: the quicker peer
FT_PEER="" FT=""
if [ -n "${M[oidcp_first_token_s]:-}" ]; then FT=${M[oidcp_first_token_s]} FT_PEER="oidc-provider"; fi
if [ -n "${M[kc_first_token_s]}" ] && { [ -z "$FT" ] || le "${M[kc_first_token_s]}" "$FT"; }; then FT=${M[kc_first_token_s]} FT_PEER="Keycloak"; fi
row "start to first token (Gatehouse: fresh database)" "$(secs "${M[gh_h2_first_token_s]:-}")" "$(secs "${M[gh_pg_first_token_s]:-}")" \
  "$( [ -n "$FT" ] && echo "$(fmt "$FT") s ($FT_PEER)" || echo –)" "$(ratio "${M[gh_h2_first_token_s]:-}" "$FT")" "≤ 3 s" \
  "$( [ -n "${M[gh_h2_first_token_s]:-}" ] && yesno le "${M[gh_h2_first_token_s]}" 3 || echo –)" "bare Tomcat $(secs "${L[hello-start-s]:-}") to first 200"
# RSS: the largest of the Gatehouse JVMs of the H2 part (the token workloads' JVM, and the admin JVMs)
RSS="" RSS_OF=""
for k in gh_h2_rss_after_mib:"token workloads" gh_h2_rss_admin_small_mib:"admin, $(fmt "$SMALL")" gh_h2_rss_admin_large_mib:"admin, $(fmt "$LARGE")"; do
  v=${M[${k%%:*}]:-}
  if [ -n "$v" ] && [ "$v" != "?" ] && { [ -z "$RSS" ] || ge "$v" "$RSS"; }; then RSS=$v RSS_OF=${k#*:}; fi
done
R_PEER="" R=""
for k in oidcp_rss_jwt_mib:"oidc-provider" oidcp_rss_opaque_mib:"oidc-provider" kc_rss_after_mib:"Keycloak"; do
  v=${M[${k%%:*}]:-}
  if [ -n "$v" ] && { [ -z "$R" ] || le "$v" "$R"; }; then R=$v R_PEER=${k#*:}; fi
done
row "RSS after the benchmark" "$( [ -n "$RSS" ] && echo "$RSS MiB ($RSS_OF JVM)" || echo –)" \
  "$( [ -n "${M[gh_pg_rss_after_mib]:-}" ] && echo "${M[gh_pg_rss_after_mib]} MiB" || echo –)" \
  "$( [ -n "$R" ] && echo "$R MiB ($R_PEER)" || echo –)" "$(ratio "$RSS" "$R")" "≤ 300 MiB" \
  "$( [ -n "$RSS" ] && yesno le "$RSS" 300 || echo –)" "bare Tomcat $(lim hello-rss-mib) MiB after its load"

echo
echo "### Every run"
echo
echo "| system | workload | req/s | p50 ms | p99 ms | requests | errors | note | load before → after |"
echo "|---|---|---:|---:|---:|---:|---:|---|---|"
for k in "${ORDER[@]}"; do
  v="$(fmt "${RPS[$k]}")"; [ "${VALID[$k]}" = 1 ] || v="$v INVALID"
  echo "| ${k%%:*} | ${k#*:} | $v | $(fmt "${P50[$k]}") | $(fmt "${P99[$k]}") | ${REQ[$k]} | ${ERR[$k]} | ${NOTE[$k]:-} | ${LB[$k]} → ${LA[$k]} |"
done

echo
echo "### Physical limits"
echo
echo "| limit | value |"
echo "|---|---:|"
for name in RS256-sign-jdk RS256-verify-jdk ES256-sign-jdk ES256-verify-jdk RS256-sign-accp RS256-verify-accp ES256-sign-accp \
            ES256-verify-accp bcrypt-matches hello-rps hello-start-s hello-rss-mib h2-insert-1 h2-insert-8 h2-wd0-insert-1 \
            h2-wd0-insert-8 pg-insert-1 pg-insert-8; do
  [ -n "${L[$name]:-}" ] || continue
  case $name in
    *-sign-jdk|*-verify-jdk) d="${name%%-*} ${name#*-}; JDK provider, 2 threads, ops/s"; d=${d/-jdk/} ;;
    *-accp) d="${name%%-*} ${name#*-}; Amazon Corretto Crypto Provider, 2 threads, ops/s"; d=${d/-accp/} ;;
    bcrypt-matches) d="bcrypt checks/s (Gatehouse's encoder, strength 10), 2 threads" ;;
    hello-rps) d="bare Tomcat, POST form + Basic, same wrk settings, req/s" ;;
    hello-start-s) d="bare Tomcat, java to first 200, s" ;;
    hello-rss-mib) d="bare Tomcat RSS after its load, MiB (JVM defaults)" ;;
    h2-insert-*) d="H2 file, Gatehouse's URL settings, INSERT+COMMIT rows/s, ${name##*-} thread(s)" ;;
    h2-wd0-insert-*) d="H2 file, WRITE_DELAY=0, INSERT+COMMIT rows/s, ${name##*-} thread(s)" ;;
    pg-insert-*) d="PostgreSQL, synchronous_commit on, INSERT+COMMIT rows/s, ${name##*-} thread(s)" ;;
  esac
  echo "| $d | $(fmt "${L[$name]}") |"
done

echo
echo "### Start-up, memory, seeding, versions"
echo
for k in gh_h2_ready_s gh_h2_first_token_s gh_h2_started_log gh_h2_rss_ready_mib gh_h2_rss_after_mib gh_seed_small \
         gh_h2_ready_small_s gh_h2_rss_admin_small_mib gh_seed_large gh_h2_ready_large_s gh_h2_rss_admin_large_mib gh_h2_data \
         gh_h2_load postgresql gh_pg_ready_s gh_pg_first_token_s gh_pg_rss_after_mib gh_pg_load gh_pg_skipped limits_load \
         oidcp_node oidcp_first_token_s oidcp_load keycloak_load keycloak-100k_load gatehouse_java; do
  [ -n "${M[$k]:-}" ] && echo "- $k: ${M[$k]}"
done
for t in "$OIDCP_TABLE" "$KC_TABLE" "$OUT/peer-keycloak-100k-table.txt"; do
  [ -f "$t" ] || continue
  echo "- $(basename "$t" -table.txt | sed 's/^peer-//') notes:"
  grep -vE '^(workload|[a-z-]+ +([0-9.]+|FAILED) )|^wrk command lines' "$t" | sed 's/^/  - /' || true
done
