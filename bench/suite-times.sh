#!/usr/bin/env bash
# The whole suite's wall time as CI runs it (the README's test command, ./mvnw -B verify), and where
# it goes: each module's time from Maven's reactor summary, and each integration-test class's time
# from failsafe's reports, slowest first, with the load average before and after.
#
# Usage (from the repository root):
#   bench/suite-times.sh          runs ./mvnw -B verify (log in target/suite-times.log), then prints
#   bench/suite-times.sh LOG      prints the rows of a finished run: its log and the modules' reports
# Exits with the verify's exit code (0 when only printing).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 70

log=${1:-}
status=0
if [[ -z "$log" ]]; then
  mkdir -p target
  log=target/suite-times.log
  echo "before   $(uptime)"
  start=$(date +%s)
  ./mvnw -B verify >"$log" 2>&1
  status=$?
  end=$(date +%s)
  echo "after    $(uptime)"
  echo "verify   exit $status, $((end - start)) s wall ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD))"
fi

echo
echo "| module | time |"
echo "|---|---|"
# "[INFO] surge app .......................................... SUCCESS [01:45 min]"
sed -n 's/^\[INFO\] \(surge[^.]*\) \.*[ ]*\(SUCCESS\|FAILURE\|SKIPPED\) \[ *\(.*\)\]$/| \1 | \3 (\2) |/p' "$log"
sed -n 's/^\[INFO\] Total time: *\(.*\)$/| total | \1 |/p' "$log"

echo
echo "| IT class | tests | time (s) |"
echo "|---|---|---|"
for report in */target/failsafe-reports/TEST-*.xml; do
  [[ -f "$report" ]] || continue
  head=$(grep -m1 -o '<testsuite [^>]*' "$report")
  name=$(sed -n 's/.* name="\([^"]*\)".*/\1/p' <<<"$head")
  time=$(sed -n 's/.* time="\([^"]*\)".*/\1/p' <<<"$head")
  tests=$(sed -n 's/.* tests="\([^"]*\)".*/\1/p' <<<"$head")
  printf '%s\t| %s | %s | %s |\n' "$time" "${name##*.}" "$tests" "$time"
done | sort -t$'\t' -k1,1 -g -r | cut -f2
exit "$status"
