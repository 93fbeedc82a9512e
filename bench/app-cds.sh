#!/usr/bin/env bash
# Builds an AppCDS archive of the app's classes (app/target/surge-app.jsa), the way the container image does: one
# training start that serves a few requests, then SIGTERM, with -XX:ArchiveClassesAtExit. Starting with
# -XX:SharedArchiveFile=app/target/surge-app.jsa then maps those classes instead of loading and verifying them.
#
#   ./mvnw -B -q -pl app -am -DskipTests package && bench/app-cds.sh
#   EXTRA_JVM_FLAGS=-XX:SharedArchiveFile=app/target/surge-app.jsa PARTS=start STARTS=7 bench/app-bench.sh
#
# The archive only fits the JVM that wrote it (same build); with another JVM the flag is ignored with a warning.
# Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=app/target/surge-app.jar
ARCHIVE=app/target/surge-app.jsa
[ -f "$JAR" ] || { echo "app-cds: $JAR is missing; run ./mvnw -B -q -pl app -am -DskipTests package" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rm -f "$ARCHIVE"
java -XX:ArchiveClassesAtExit="$ARCHIVE" -XX:MaxRAM=512m -XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC \
  -jar "$JAR" --host 127.0.0.1 --port 0 --metrics-port 0 --drain-delay 0ms >"$out" 2>&1 &
pid=$!
for _ in $(seq 1 300); do grep -q '^surge-app started' "$out" && break; sleep 0.05; done
line=$(grep '^surge-app started' "$out") || { cat "$out" >&2; kill "$pid"; exit 1; }
port=$(sed -E 's/.* port=([0-9]+) .*/\1/' <<<"$line")
mport=$(sed -E 's/.*metrics-port=([0-9]+) .*/\1/' <<<"$line")
for path in /readyz /healthz / "/api/work?cpuMillis=1" /delay/1 /status/503 /nope; do
  curl -s -o /dev/null "http://127.0.0.1:$port$path" || true
done
curl -s -o /dev/null "http://127.0.0.1:$mport/metrics"
kill -TERM "$pid"
wait "$pid" || true
ls -l "$ARCHIVE"
