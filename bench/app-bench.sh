#!/usr/bin/env bash
# Benchmarks of the app (not tests): throughput/latency of /api/work?cpuMillis=0 with and without the request
# instrumentation, JVM start to /readyz 200, /metrics response time, and RSS under full load, all with the JVM flags
# the Kubernetes manifests use. Prints Markdown rows for docs/BENCHMARKS.md ("App").
#
#   ./mvnw -B -q -pl app -am -DskipTests package && bench/app-bench.sh
#
# Env: DURATION (wrk seconds per run, default 15), ROUNDS (on/off pairs, default 3), CONNECTIONS (default 32),
# STARTS (start-up samples, default 5), PARTS (any of "overhead rss start", default all), EXTRA_JVM_FLAGS (appended,
# e.g. "-XX:SharedArchiveFile=app/target/surge-app.jsa" after bench/app-cds.sh), START_VARIANTS (the start-up
# variants, any of "plain appcds plain25 aot", default all: JDK 17 plain and with an AppCDS archive, JDK 25 (JAVA25,
# default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java) plain and with an AOT cache; each archive is trained here by
# one start that serves a few requests, as the lab and the image do). Needs wrk, curl, python3.
# Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=app/target/surge-app.jar
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
STARTS=${STARTS:-5}
PARTS=${PARTS:-overhead rss start}
START_VARIANTS=${START_VARIANTS:-plain appcds plain25 aot}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
want() { [[ " $PARTS " == *" $1 "* ]]; }
# The manifests' JAVA_TOOL_OPTIONS, with the 512Mi container limit emulated by MaxRAM.
JVM_FLAGS=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError)
# shellcheck disable=SC2206 # word splitting wanted: a list of flags
[ -z "${EXTRA_JVM_FLAGS:-}" ] || JVM_FLAGS+=(${EXTRA_JVM_FLAGS})

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "app-bench: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "app-bench: $JAR is missing; run ./mvnw -B -q -pl app -am -DskipTests package" >&2; exit 1; }

WORK=$(mktemp -d)
: >"$WORK/on"; : >"$WORK/off"
APP_PID=
cleanup() { [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE # exit, so the EXIT trap stops the app

# start_app EXTRA_FLAGS... : starts the jar, sets APP_PID, PORT, METRICS_PORT from the start-up line.
start_app() {
  java "${JVM_FLAGS[@]}" -jar "$JAR" --host 127.0.0.1 --port 0 --metrics-port 0 --drain-delay 0ms "$@" \
    >"$WORK/out" 2>"$WORK/err" &
  APP_PID=$!
  for _ in $(seq 1 300); do
    if grep -q '^surge-app started' "$WORK/out"; then break; fi
    sleep 0.05
  done
  local line; line=$(grep '^surge-app started' "$WORK/out") || { cat "$WORK/err" >&2; exit 1; }
  PORT=$(sed -E 's/.* port=([0-9]+) .*/\1/' <<<"$line")
  METRICS_PORT=$(sed -E 's/.*metrics-port=([0-9]+) .*/\1/' <<<"$line")
}

stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=; }

# cpu_ticks PID : user+system CPU of a process in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk_run URL SECONDS : prints "req_per_s p50_ms p99_ms socket_errors app_cpu_us_per_request"
# CPU per request is the steadier overhead figure on a shared machine: other sessions' load moves throughput a lot
# but moves the app's own CPU time per request much less.
wrk_run() {
  local before after
  before=$(cpu_ticks "$APP_PID")
  wrk -t2 -c"$CONNECTIONS" -d"$2"s --latency "$1" >"$WORK/wrk"
  after=$(cpu_ticks "$APP_PID")
  python3 - "$WORK/wrk" "$((after - before))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + re.escape(label) + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
if re.search(r"Non-2xx or 3xx responses: (\d+)", text):
    sys.exit("wrk saw error responses:\n" + text)
# Socket timeouts can happen when the shared machine stalls; they are counted, not hidden.
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = sum(map(int, sock.groups())) if sock else 0
requests = int(re.search(r"(\d+) requests in", text).group(1))
cpu_us = int(sys.argv[2]) / int(sys.argv[3]) * 1e6 / requests
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {errors} {cpu_us:.1f}")
PY
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# 1. Instrumentation overhead: alternate metrics on/off so drift from other load on the machine hits both.
if want overhead; then
echo "== /api/work?cpuMillis=0, ${ROUNDS} rounds of ${DURATION}s each, metrics on vs off (${CONNECTIONS} connections)" >&2
for round in $(seq 1 "$ROUNDS"); do
  for mode in on off; do
    if [ "$mode" = on ]; then start_app; else start_app --metrics=false; fi
    wrk_run "http://127.0.0.1:$PORT/api/work?cpuMillis=0" 5 >/dev/null # warm-up (JIT)
    result=$(wrk_run "http://127.0.0.1:$PORT/api/work?cpuMillis=0" "$DURATION")
    echo "round $round metrics=$mode: $result (req/s p50_ms p99_ms socket_errors app_cpu_us/req)" >&2
    echo "$result" >>"$WORK/$mode"
    stop_app
  done
done
fi

# 2. RSS at full load and /metrics response time, metrics on.
peak_kib=0; metrics_times=; metrics_bytes=0
if want rss; then
echo "== RSS under full load and /metrics time" >&2
start_app
wrk_run "http://127.0.0.1:$PORT/api/work?cpuMillis=0" 5 >/dev/null
( wrk -t2 -c"$CONNECTIONS" -d"$DURATION"s "http://127.0.0.1:$PORT/api/work?cpuMillis=0" >/dev/null ) &
WRK_PID=$!
peak_kib=0
while kill -0 "$WRK_PID" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$APP_PID/status")
  [ "$rss" -gt "$peak_kib" ] && peak_kib=$rss
  sleep 0.2
done
wait "$WRK_PID"
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/api/work?cpuMillis=1"; done
metrics_times=$(for _ in $(seq 1 50); do
  curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$METRICS_PORT/metrics"
done | sort -n)
metrics_bytes=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics" | wc -c)
stop_app
fi

# 3. JVM start to /readyz 200, per start-up variant; also the process's CPU seconds at that moment.
# train JAVA FLAG: one training start (a few requests of each kind, a scrape, SIGTERM) that writes the archive.
train() {
  local java=$1 flag=$2 out="$WORK/train.out"
  "$java" "$flag" "${JVM_FLAGS[@]}" -jar "$JAR" --host 127.0.0.1 --port 0 --metrics-port 0 --drain-delay 0ms \
    >"$out" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do grep -q '^surge-app started' "$out" && break; sleep 0.05; done
  local line; line=$(grep '^surge-app started' "$out") || { cat "$out" >&2; kill "$pid"; exit 1; }
  local port mport; port=$(sed -E 's/.* port=([0-9]+) .*/\1/' <<<"$line"); mport=$(sed -E 's/.*metrics-port=([0-9]+) .*/\1/' <<<"$line")
  for _ in $(seq 1 20); do
    for path in /readyz /healthz / "/api/work?cpuMillis=1" "/api/work?cpuMillis=0" /status/503 /nope; do
      curl -s -o /dev/null "http://127.0.0.1:$port$path" || true
    done
    curl -s -o /dev/null "http://127.0.0.1:$mport/metrics"
  done
  kill -TERM "$pid"; wait "$pid" || true
}
# start_samples JAVA FLAGS...: STARTS lines of "wall_seconds cpu_seconds", sorted by wall time.
start_samples() {
  local java=$1; shift
  for _ in $(seq 1 "$STARTS"); do
    python3 - "$java" "$JAR" "$(getconf CLK_TCK)" "${JVM_FLAGS[@]}" "$@" <<'PY'
import re, subprocess, sys, time, urllib.request
java, jar, tck, flags = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
t0 = time.monotonic()
p = subprocess.Popen([java, *flags, "-jar", jar, "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0",
                      "--drain-delay", "0ms"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = int(re.search(r" port=(\d+)", p.stdout.readline()).group(1))
while True:
    try:
        if urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz").status == 200:
            break
    except Exception:
        time.sleep(0.005)
wall = time.monotonic() - t0
stat = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
cpu = (int(stat[11]) + int(stat[12])) / tck
print(f"{wall:.3f} {cpu:.2f}")
p.terminate()
p.wait()
PY
  done | sort -n
}
: >"$WORK/starts"
if want start; then
for variant in $START_VARIANTS; do
  case $variant in
    plain) java=java; flags=() ;;
    appcds) train java "-XX:ArchiveClassesAtExit=$WORK/app.jsa"; java=java; flags=("-XX:SharedArchiveFile=$WORK/app.jsa") ;;
    plain25) java=$JAVA25; flags=() ;;
    aot) train "$JAVA25" "-XX:AOTCacheOutput=$WORK/app.aot"; java=$JAVA25; flags=("-XX:AOTCache=$WORK/app.aot") ;;
    *) echo "app-bench: unknown start-up variant $variant (plain appcds plain25 aot)" >&2; exit 2 ;;
  esac
  echo "== JVM start to /readyz 200, ${STARTS} starts, $variant ($("$java" -XX:+UseSerialGC -version 2>&1 | head -1))" >&2
  samples=$(start_samples "$java" "${flags[@]}")
  while IFS= read -r sample; do echo "  $variant: $sample"; done <<<"$samples" >&2
  echo "$variant $(echo "$samples" | awk '{print $1}' | tr '\n' ',') $(echo "$samples" | awk '{print $2}' | tr '\n' ',')" >>"$WORK/starts"
done
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load average before: $LOAD_BEFORE, after: $LOAD_AFTER"
python3 - "$WORK/on" "$WORK/off" "$peak_kib" "$metrics_bytes" "$DURATION" "$CONNECTIONS" <<PY
import statistics, sys
on = [list(map(float, l.split())) for l in open(sys.argv[1])]
off = [list(map(float, l.split())) for l in open(sys.argv[2])]
peak_mib = int(sys.argv[3]) / 1024
metrics_bytes = int(sys.argv[4])
metrics_ms = [float(x) * 1000 for x in """$metrics_times""".split()]
starts = [l.split() for l in open("$WORK/starts") if l.strip()]
med = lambda rows, i: statistics.median(r[i] for r in rows)
print("| what | figure | goal |")
print("|---|---|---|")
if on and off:
    overhead = (med(off, 0) - med(on, 0)) / med(off, 0) * 100
    cpu_overhead = (med(on, 4) - med(off, 4)) / med(off, 4) * 100
    print(f"| /api/work?cpuMillis=0, metrics on (median of {len(on)} × {sys.argv[5]}s, {sys.argv[6]} conns) | "
          f"{med(on,0):.0f} req/s, p50 {med(on,1):.2f} ms, p99 {med(on,2):.2f} ms, app CPU {med(on,4):.1f} µs/req | |")
    print(f"| same, --metrics=false | {med(off,0):.0f} req/s, p50 {med(off,1):.2f} ms, p99 {med(off,2):.2f} ms, app CPU {med(off,4):.1f} µs/req | |")
    print(f"| instrumentation overhead (app CPU per request) | {cpu_overhead:.1f} % (on: {', '.join(f'{r[4]:.1f}' for r in on)}; off: {', '.join(f'{r[4]:.1f}' for r in off)} µs) | ≤ 3 % |")
    print(f"| instrumentation overhead (throughput) | {overhead:.1f} % (runs on: {', '.join(f'{r[0]:.0f}' for r in on)}; off: {', '.join(f'{r[0]:.0f}' for r in off)}) | ≤ 3 % |")
for variant, walls, cpus in starts:
    w = [float(x) for x in walls.strip(",").split(",")]
    c = [float(x) for x in cpus.strip(",").split(",")]
    print(f"| JVM start → /readyz 200, {variant} (median of {len(w)}; min–max) | {statistics.median(w):.2f} s "
          f"({min(w):.2f}–{max(w):.2f}); CPU at ready {statistics.median(c):.2f} s | ≤ 0.3 s |")
if metrics_ms:
    print(f"| /metrics response ({metrics_bytes} bytes; median / p95 of {len(metrics_ms)}) | {statistics.median(metrics_ms):.1f} ms / {metrics_ms[int(len(metrics_ms)*0.95)-1]:.1f} ms | |")
    print(f"| peak RSS under full load (manifest JVM flags) | {peak_mib:.0f} MiB | ≤ 200 MiB |")
PY
