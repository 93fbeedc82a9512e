#!/usr/bin/env bash
# The lab's Service (TCP balancer) vs going straight to one pod: the loadgen drives GET /api/work?cpuMillis=0 at a
# constant RATE through each path in alternating rounds and prints the median (p50) and p99 latency, uncorrected
# (from the actual send, so a stalled sender does not blur the hop) and corrected, per round, as Markdown rows for
# docs/BENCHMARKS.md ("Lab"). The difference of the p50s is what the balancer adds.
#
#   ./mvnw -B -q -DskipTests package && nice bench/lab-balancer-bench.sh
#
# Env: RATE (req/s, default 1000), DURATION (seconds per round, default 20), ROUNDS (pairs, default 3),
# CONNECTIONS (default 32). Needs python3. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

APP=app/target/surge-app.jar
LAB=lab/target/surge-lab.jar
LOADGEN=loadgen/target/surge-loadgen.jar
RATE=${RATE:-1000}
DURATION=${DURATION:-20}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
for f in "$APP" "$LAB" "$LOADGEN"; do
  [ -f "$f" ] || { echo "lab-balancer-bench: $f is missing; run ./mvnw -B -q -DskipTests package" >&2; exit 1; }
done

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# wait_line FILE PATTERN : waits up to 60 s for a line, prints it
wait_line() {
  for _ in $(seq 1 1200); do
    if grep -q "$2" "$1"; then grep "$2" "$1" | head -1; return; fi
    sleep 0.05
  done
  echo "lab-balancer-bench: no '$2' in $1:" >&2; cat "$1" >&2; exit 1
}

java -XX:MaxRAM=512m -XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -jar "$APP" --host 127.0.0.1 --port 0 \
  --metrics-port 0 --drain-delay 0ms >"$WORK/app.out" 2>&1 &
PIDS+=($!)
POD_PORT=$(wait_line "$WORK/app.out" '^surge-app started' | sed -E 's/.* port=([0-9]+) .*/\1/')
java -jar "$LAB" service --to "127.0.0.1:$POD_PORT" >"$WORK/svc.out" 2>&1 &
PIDS+=($!)
SVC_PORT=$(wait_line "$WORK/svc.out" '^surge-lab service port=' | sed -E 's/.*port=([0-9]+)/\1/')

# run NAME PORT : one round, prints a Markdown row
run() {
  java -jar "$LOADGEN" run --url "http://127.0.0.1:$2/api/work?cpuMillis=0" --rate "$RATE" --duration "${DURATION}s" \
    --connections "$CONNECTIONS" --progress off --out "$WORK/r.json" >/dev/null
  python3 - "$1" "$WORK/r.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))["summary"]
u, c = s["latencyMillis"]["uncorrected"], s["latencyMillis"]["corrected"]
print(f"| {sys.argv[1]} | {s['achievedRate']:.0f} | {u['p50']:.3f} | {u['p99']:.3f} | {c['p50']:.3f} | {s['errors']} |")
PY
}

echo "| path | achieved req/s | p50 ms (uncorrected) | p99 ms (uncorrected) | p50 ms (corrected) | errors |"
echo "|---|---|---|---|---|---|"
run "warm-up (direct)" "$POD_PORT" >/dev/null
for _ in $(seq 1 "$ROUNDS"); do
  run "direct to the pod" "$POD_PORT"
  run "through the lab's Service" "$SVC_PORT"
done
