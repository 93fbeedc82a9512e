#!/usr/bin/env bash
# Cost of the app's per-request instrumentation in isolation (the app's own Metrics class, no HTTP), to put the
# end-to-end overhead figures of app-bench.sh in proportion on a noisy machine. Not a test.
#
#   ./mvnw -B -q -pl app -am -DskipTests package && bench/app-microbench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=app/target/surge-app.jar
[ -f "$JAR" ] || { echo "app-microbench: $JAR is missing; run ./mvnw -B -q -pl app -am -DskipTests package" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
javac -d "$OUT" -cp "$JAR" bench/app-microbench/InstrumentationCost.java
for threads in 1 2; do
  java -XX:MaxRAM=512m -XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -cp "$JAR:$OUT" InstrumentationCost "$threads" 5000000
done
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
