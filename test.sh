#!/usr/bin/env bash
# Runs every test of Gatehouse, on a fresh Debian machine with a JDK 17+ and Maven 3.8+:
#   1. installs Debian's chromium and chromium-driver when they are missing (the browser tests drive them);
#   2. runs `mvn -B verify` (unit, MockMvc, H2 and embedded-PostgreSQL persistence, process and browser tests);
#   3. checks the reports: every concrete *Tests class under src/test ran at least one test, and no test anywhere was
#      skipped, so a test that silently did not run fails the command.
# Extra arguments go to Maven (for example `./test.sh -o` to stay offline).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "==> The browser tests need Chromium and ChromeDriver at /usr/bin/chromium and /usr/bin/chromedriver;" \
      "install them (Debian: apt-get install chromium chromium-driver) and run this again." >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> Installing ${missing[*]} for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
echo "==> $(/usr/bin/chromium --version 2>/dev/null); $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"

# Reports from an earlier run must not count as this run's.
rm -rf target/surefire-reports target/failsafe-reports

echo "==> mvn -B verify $*"
mvn -B verify "$@"

echo "==> Checking that every test class ran and nothing was skipped"
python3 - <<'PY'
import glob
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

expected = set()
for path in pathlib.Path("src/test/java").rglob("*Tests.java"):
    source = path.read_text(encoding="utf-8")
    if re.search(r"\babstract\s+class\b", source):
        continue
    expected.add(".".join(path.relative_to("src/test/java").with_suffix("").parts))

ran = {}
problems = []
for report in glob.glob("target/surefire-reports/TEST-*.xml") + glob.glob("target/failsafe-reports/TEST-*.xml"):
    suite = ET.parse(report).getroot()
    name = suite.get("name")
    tests, skipped = int(suite.get("tests", "0")), int(suite.get("skipped", "0"))
    failed = int(suite.get("failures", "0")) + int(suite.get("errors", "0"))
    ran[name] = ran.get(name, 0) + tests
    if skipped:
        problems.append(f"{name}: {skipped} of {tests} tests skipped")
    if failed:
        problems.append(f"{name}: {failed} of {tests} tests failed")

for name in sorted(expected):
    if ran.get(name, 0) == 0:
        problems.append(f"{name}: no test ran")

if problems:
    print("==> FAILED:")
    for problem in problems:
        print("    " + problem)
    sys.exit(1)

browser = sorted(name.rsplit(".", 1)[-1] for name in ran if name.endswith("BrowserTests"))
print(f"==> PASSED: {sum(ran.values())} tests in {len(ran)} classes ({len(expected)} expected), none skipped; "
      f"browser tests in Chromium: {', '.join(browser)}.")
PY
