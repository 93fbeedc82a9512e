#!/usr/bin/env bash
# Benchmarks of the app (not tests): the cost of the request instrumentation (metrics on vs --metrics=false),
# JVM start to /readyz 200 per start-up variant, /metrics response time, and RSS under full load, all with the JVM
# flags the Kubernetes manifests use. Prints Markdown rows for docs/BENCHMARKS.md ("App"), each with the load average.
#
#   ./mvnw -B -q -pl app -am -DskipTests package && bench/app-bench.sh
#   PARTS=overhead bench/app-bench.sh    # the instrumentation only (about 10 minutes with the defaults)
#   PARTS=start bench/app-bench.sh       # start-up only
#
# How the overhead part resolves a few percent on a small shared machine:
# - Pinned: the app runs on APP_CPUS (default CPU 0) and the load generator on LOAD_CPUS (default the other CPUs),
#   with taskset, so the two do not trade one core between them from run to run (unpinned, the app's share of the
#   two cores, and with it its CPU per request through the number of requests per wake-up, moved by ±20 % between
#   identical runs). On one CPU nothing is pinned.
# - Both JVMs at once: each round starts one app with metrics and one without, both pinned to the same CPU, warms
#   both up (WARMUP seconds of wrk each, so the JIT has compiled the request path), then alternates SLICES short
#   runs of SLICE seconds between them, ABBA order (on off off on ...): a change in the machine's load hits both
#   within seconds, not one run and not the other. Fresh JVMs every round, because JIT decisions differ per start.
# - The app's own CPU, from /proc/<pid>/stat (user + system, all threads) over each slice, summed per round: CPU per
#   request is the figure other load moves least; throughput is wrk's (the pinned app saturated: 1 CPU).
# - Two loads: saturated (wrk -t2, CONNECTIONS connections, as fast as the app goes) and a fixed rate (h2load
#   --rps, FIXED_RATE req/s over the same connections, well below saturation: the same wake-ups per request in
#   both modes, so the CPU difference is the instrumentation's). FIXED_RATE=0 skips it.
# - ROUNDS rounds; the overhead is the median of the rounds' on/off ratios, every round's figure printed beside it.
#   Also printed: the median over every slice's on/off pair (the two runs seconds apart, so a load change between
#   them is least likely), and the app's user-space CPU per request on vs off (the JVM's own code, where the
#   instrumentation runs; the kernel's network and scheduling share is the same work in both modes), and the CPU
#   per request without the JIT compiler threads' (a JVM still compiling in a slice charges it to that slice).
# - What --metrics=false turns off: the per-request instrumentation only (the request counter and histogram, the work
#   counter and summary, one clock read). Both modes start the metrics HTTP server, the JVM metrics (registered in the
#   background once ready) and the state gauges, and nothing scrapes either during the slices; the in-flight gauge is
#   Jetty's own graceful-stop count in both.
#
# Env: ROUNDS (default 3), SLICES (runs per mode per round and load, default 6), SLICE (seconds, default 5), WARMUP
# (seconds of wrk per JVM before the slices, default 30: with 10 the two JVMs, sharing one CPU, were still compiling
# in the first slices, whose user CPU per request was up to 1.7x the last ones'), CONNECTIONS (default 32),
# FIXED_RATE (default 20000), APP_CPUS / LOAD_CPUS (taskset lists; empty for no pinning), DURATION (the RSS part's
# wrk seconds, default 15), STARTS (start-up samples per variant, default 5), PARTS (any of "overhead rss start",
# default all), EXTRA_JVM_FLAGS (appended), START_VARIANTS (any of "plain appcds plain25 aot", default all: JDK 17
# plain and with an AppCDS archive, JDK 25 (JAVA25, default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java) plain and
# with an AOT cache; each archive is trained here by one start that serves a few requests, as the lab and the image
# do), APP_JAR (default app/target/surge-app.jar), BASELINE_JAR (another build of the app jar, e.g. main's: every
# start-up variant then also runs with it, interleaved, as "<variant>@baseline"). Start-up figures: wall time from
# launching java to the first /readyz 200, the JVM's CPU at that moment, and the main thread's own CPU (its
# schedstat): the critical path, which other load inflates least.
# Needs wrk, h2load, curl, python3, taskset.
# Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${APP_JAR:-app/target/surge-app.jar}
BASELINE_JAR=${BASELINE_JAR:-}
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-3}
SLICES=${SLICES:-6}
SLICE=${SLICE:-5}
WARMUP=${WARMUP:-30}
CONNECTIONS=${CONNECTIONS:-32}
FIXED_RATE=${FIXED_RATE:-20000}
STARTS=${STARTS:-5}
PARTS=${PARTS:-overhead rss start}
START_VARIANTS=${START_VARIANTS:-plain appcds plain25 aot}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
NCPU=$(nproc)
if [ "$NCPU" -ge 2 ]; then
  APP_CPUS=${APP_CPUS-0}
  LOAD_CPUS=${LOAD_CPUS-1-$((NCPU - 1))}
else
  APP_CPUS=${APP_CPUS-}
  LOAD_CPUS=${LOAD_CPUS-}
fi
want() { [[ " $PARTS " == *" $1 "* ]]; }
# The manifests' JAVA_TOOL_OPTIONS, with the 512Mi container limit emulated by MaxRAM.
JVM_FLAGS=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError)
# shellcheck disable=SC2206 # word splitting wanted: a list of flags
[ -z "${EXTRA_JVM_FLAGS:-}" ] || JVM_FLAGS+=(${EXTRA_JVM_FLAGS})

for tool in wrk h2load curl python3 taskset; do
  command -v "$tool" >/dev/null || { echo "app-bench: $tool is missing (./bin/install-test-tools)" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "app-bench: $JAR is missing; run ./mvnw -B -q -pl app -am -DskipTests package" >&2; exit 1; }
[ -z "$BASELINE_JAR" ] || [ -f "$BASELINE_JAR" ] || { echo "app-bench: BASELINE_JAR $BASELINE_JAR is missing" >&2; exit 1; }

WORK=$(mktemp -d)
: >"$WORK/saturated"; : >"$WORK/rate"
declare -A PIDS=() PORTS=() MPORTS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE # exit, so the EXIT trap stops the apps

# pinned CPUS COMMAND... : runs COMMAND on those CPUs (taskset), or anywhere when CPUS is empty.
pinned() {
  local cpus=$1; shift
  if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi
}
# The app's launcher prefix (not the function: a function run with & is a subshell, and $! would be its pid).
APP_PIN=()
[ -z "$APP_CPUS" ] || APP_PIN=(taskset -c "$APP_CPUS")

# start_app NAME EXTRA_FLAGS... : starts the jar on APP_CPUS; PIDS[NAME], PORTS[NAME], MPORTS[NAME] from its start-up line.
start_app() {
  local name=$1; shift
  : >"$WORK/$name.out" # emptied here, not only by the child's redirection: the loop below must not read the last start's line
  "${APP_PIN[@]}" java "${JVM_FLAGS[@]}" -jar "$JAR" --host 127.0.0.1 --port 0 --metrics-port 0 --drain-delay 0ms \
    "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PIDS[$name]=$!
  for _ in $(seq 1 600); do
    if grep -q '^surge-app started' "$WORK/$name.out"; then break; fi
    sleep 0.05
  done
  local line; line=$(grep '^surge-app started' "$WORK/$name.out") || { cat "$WORK/$name.err" >&2; exit 1; }
  PORTS[$name]=$(sed -E 's/.* port=([0-9]+) .*/\1/' <<<"$line")
  MPORTS[$name]=$(sed -E 's/.*metrics-port=([0-9]+) .*/\1/' <<<"$line")
}

stop_app() { kill "${PIDS[$1]}"; wait "${PIDS[$1]}" 2>/dev/null || true; unset "PIDS[$1]"; }

# cpu_ticks PID : user+system CPU of a process (all its threads) in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# user_ticks PID : the user-space part of it (the JVM's code, where the instrumentation runs; the rest is the
# kernel's network and scheduling work, the same per request in both modes)
user_ticks() { awk '{print $14}' "/proc/$1/stat"; }
# jit_ticks PID : CPU of the JVM's JIT compiler threads alive now (a JVM still compiling its hot path in a slice
# charges that slice; the column shows whether it did)
jit_ticks() {
  # The thread name has a space in it: drop "pid (comm) " first, then utime and stime are fields 12 and 13.
  cat /proc/"$1"/task/*/stat 2>/dev/null | awk '/\((C1|C2) CompilerThre/ {sub(/^.*\) /, ""); s += $12 + $13} END {print s + 0}'
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# wrk_run NAME SECONDS : saturating wrk on NAME's /api/work?cpuMillis=0, pinned to LOAD_CPUS; prints
# "req_per_s p50_ms p99_ms socket_errors requests app_cpu_ticks app_user_ticks"
wrk_run() {
  local before after ubefore uafter jbefore jafter
  before=$(cpu_ticks "${PIDS[$1]}"); ubefore=$(user_ticks "${PIDS[$1]}"); jbefore=$(jit_ticks "${PIDS[$1]}")
  pinned "$LOAD_CPUS" wrk -t2 -c"$CONNECTIONS" -d"$2"s --latency "http://127.0.0.1:${PORTS[$1]}/api/work?cpuMillis=0" \
    >"$WORK/wrk"
  after=$(cpu_ticks "${PIDS[$1]}"); uafter=$(user_ticks "${PIDS[$1]}"); jafter=$(jit_ticks "${PIDS[$1]}")
  local jit=$((jafter - jbefore)); [ "$jit" -ge 0 ] || jit=0 # a compiler thread that ended takes its ticks along
  python3 - "$WORK/wrk" "$((after - before))" "$((uafter - ubefore))" "$jit" <<'PY'
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
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {errors} {requests} {sys.argv[2]} {sys.argv[3]} {sys.argv[4]}")
PY
}

# rate_run NAME SECONDS : h2load at FIXED_RATE req/s (--rps per connection) on NAME, pinned to LOAD_CPUS; prints
# "req_per_s requests_done failed app_cpu_ticks"
rate_run() {
  local before after
  before=$(cpu_ticks "${PIDS[$1]}")
  pinned "$LOAD_CPUS" h2load --h1 -c"$CONNECTIONS" -t1 --rps="$((FIXED_RATE / CONNECTIONS))" -D "$2" \
    "http://127.0.0.1:${PORTS[$1]}/api/work?cpuMillis=0" >"$WORK/h2load" 2>&1
  after=$(cpu_ticks "${PIDS[$1]}")
  python3 - "$WORK/h2load" "$((after - before))" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed", text)
if not m:
    sys.exit("h2load printed no totals:\n" + text)
rps = float(re.search(r"finished in [\d.]+\w*, ([\d.]+) req/s", text).group(1))
codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
if codes and sum(map(int, codes.groups()[1:])):
    sys.exit("h2load saw error responses:\n" + text)
print(f"{rps:.0f} {m.group(1)} {m.group(3)} {sys.argv[2]}")
PY
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TCK=$(getconf CLK_TCK)
# 1. Instrumentation overhead: two JVMs per round (on, off), both pinned to APP_CPUS, slices alternated ABBA.
if want overhead; then
  echo "== /api/work?cpuMillis=0, metrics on vs --metrics=false: $ROUNDS rounds, $SLICES x ${SLICE}s per mode and load," \
    "$CONNECTIONS connections, app on CPUs '${APP_CPUS}', load on '${LOAD_CPUS}'" >&2
  for round in $(seq 1 "$ROUNDS"); do
    start_app on
    start_app off --metrics=false
    for mode in on off; do wrk_run "$mode" "$WARMUP" >/dev/null; done # JIT warm-up
    for slice in $(seq 1 "$SLICES"); do
      if [ $((slice % 2)) = 1 ]; then order="on off"; else order="off on"; fi
      for mode in $order; do
        result=$(wrk_run "$mode" "$SLICE")
        echo "round $round slice $slice saturated metrics=$mode: $result (req/s p50_ms p99_ms socket_errors requests app_ticks app_user_ticks jit_ticks) load $(load1)" >&2
        echo "$round $mode $result $slice" >>"$WORK/saturated"
      done
    done
    if [ "$FIXED_RATE" -gt 0 ]; then
      for slice in $(seq 1 "$SLICES"); do
        if [ $((slice % 2)) = 1 ]; then order="on off"; else order="off on"; fi
        for mode in $order; do
          result=$(rate_run "$mode" "$SLICE")
          echo "round $round slice $slice rate=$FIXED_RATE metrics=$mode: $result (req/s done failed app_ticks) load $(load1)" >&2
          echo "$round $mode $result" >>"$WORK/rate"
        done
      done
    fi
    stop_app on
    stop_app off
  done
fi

# 2. RSS at full load and /metrics response time, metrics on.
peak_kib=0; metrics_times=; metrics_bytes=0
if want rss; then
echo "== RSS under full load and /metrics time" >&2
start_app rss
wrk_run rss 5 >/dev/null
( pinned "$LOAD_CPUS" wrk -t2 -c"$CONNECTIONS" -d"$DURATION"s "http://127.0.0.1:${PORTS[rss]}/api/work?cpuMillis=0" >/dev/null ) &
WRK_PID=$!
while kill -0 "$WRK_PID" 2>/dev/null; do
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/${PIDS[rss]}/status")
  [ "$rss" -gt "$peak_kib" ] && peak_kib=$rss
  sleep 0.2
done
wait "$WRK_PID"
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:${PORTS[rss]}/api/work?cpuMillis=1"; done
metrics_times=$(for _ in $(seq 1 50); do
  curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:${MPORTS[rss]}/metrics"
done | sort -n)
metrics_bytes=$(curl -s "http://127.0.0.1:${MPORTS[rss]}/metrics" | wc -c)
stop_app rss
fi

# 3. JVM start to /readyz 200, per start-up variant; also the process's CPU seconds at that moment.
# train JAVA FLAG [JAR]: one training start (a few requests of each kind, a scrape, SIGTERM) that writes the archive.
train() {
  local java=$1 flag=$2 jar=${3:-$JAR} out="$WORK/train.out"
  : >"$out"
  "$java" "$flag" "${JVM_FLAGS[@]}" -jar "$jar" --host 127.0.0.1 --port 0 --metrics-port 0 --drain-delay 0ms \
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
# start_one JAR JAVA FLAGS...: one start; prints "wall_seconds cpu_seconds" at the first /readyz 200 (wall from the
# launch of java, CPU from /proc/<pid>/stat: every thread of the JVM, JIT and GC included).
start_one() {
  python3 - "$2" "$1" "$TCK" "${JVM_FLAGS[@]}" "${@:3}" <<'PY'
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
# The thread that runs main (the launcher's second thread): the start-up's critical path, in ns (schedstat).
import os
main_tid = sorted(int(t) for t in os.listdir(f"/proc/{p.pid}/task"))[1]
main_cpu = int(open(f"/proc/{p.pid}/task/{main_tid}/schedstat").read().split()[0]) / 1e9
print(f"{wall:.3f} {cpu:.2f} {main_cpu:.3f}")
p.terminate()
p.wait()
PY
}
# classes_at_ready JAR JAVA FLAGS...: classes loaded by the time /readyz answers 200 (-Xlog:class+load, a start of its
# own, not timed).
classes_at_ready() {
  local log="$WORK/classes.log"
  rm -f "$log"
  start_one "$1" "$2" "-Xlog:class+load=info:file=$log" "${@:3}" >/dev/null
  wc -l <"$log"
}
: >"$WORK/starts"
if want start; then
  # Each variant with this build's jar and, with BASELINE_JAR, the same variant of that jar ("<variant>@baseline").
  declare -A JAVAS=() FLAGS=() JARS=()
  RUNS=()
  for variant in $START_VARIANTS; do
    for which in this baseline; do
      if [ "$which" = this ]; then name=$variant; jar=$JAR; else [ -n "$BASELINE_JAR" ] || continue; name=$variant@baseline; jar=$BASELINE_JAR; fi
      tag=$(tr -c 'A-Za-z0-9\n' _ <<<"$name")
      case $variant in
        plain) JAVAS[$name]=java; FLAGS[$name]= ;;
        appcds) train java "-XX:ArchiveClassesAtExit=$WORK/$tag.jsa" "$jar"
          JAVAS[$name]=java; FLAGS[$name]="-XX:SharedArchiveFile=$WORK/$tag.jsa" ;;
        plain25) JAVAS[$name]=$JAVA25; FLAGS[$name]= ;;
        aot) train "$JAVA25" "-XX:AOTCacheOutput=$WORK/$tag.aot" "$jar"
          JAVAS[$name]=$JAVA25; FLAGS[$name]="-XX:AOTCache=$WORK/$tag.aot" ;;
        *) echo "app-bench: unknown start-up variant $variant (plain appcds plain25 aot)" >&2; exit 2 ;;
      esac
      JARS[$name]=$jar
      RUNS+=("$name")
      echo "== $name: $jar, $("${JAVAS[$name]}" -XX:+UseSerialGC -version 2>&1 | head -1) ${FLAGS[$name]}" >&2
    done
  done
  echo "== JVM start to /readyz 200: $STARTS rounds, the variants interleaved in each" >&2
  for round in $(seq 1 "$STARTS"); do
    for name in "${RUNS[@]}"; do
      # shellcheck disable=SC2086 # FLAGS holds zero or one flag
      sample=$(start_one "${JARS[$name]}" "${JAVAS[$name]}" ${FLAGS[$name]})
      echo "  round $round $name: $sample (wall_s cpu_s main_thread_cpu_s) load $(load1)" >&2
      echo "$name $sample" >>"$WORK/starts"
    done
  done
  for name in "${RUNS[@]}"; do
    # shellcheck disable=SC2086
    echo "$name $(classes_at_ready "${JARS[$name]}" "${JAVAS[$name]}" ${FLAGS[$name]})" >>"$WORK/classes"
  done
fi

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
touch "$WORK/classes"
echo "$(date -u +%Y-%m-%dT%H:%MZ), $NCPU CPUs, load average before: $LOAD_BEFORE, after: $LOAD_AFTER; uptime: $(uptime)"
python3 - "$WORK" "$peak_kib" "$metrics_bytes" "$TCK" "$metrics_times" <<PY
import collections, statistics, sys
work, peak_kib, metrics_bytes, tck = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
metrics_ms = [float(x) * 1000 for x in sys.argv[5].split()]
def rows(name):
    return [l.split() for l in open(f"{work}/{name}") if l.strip()]
med = statistics.median
pct = lambda x: f"{x:+.1f} %"
print("| what | figure | goal |")
print("|---|---|---|")
pin = "app on CPU $APP_CPUS, load on CPU $LOAD_CPUS" if "$APP_CPUS" else "not pinned"
# saturated: round mode rps p50 p99 errors requests ticks user_ticks jit_ticks slice
sat = collections.defaultdict(list)
pairs = collections.defaultdict(dict)  # (round, slice) -> mode -> row: the two runs next to each other in time
for r in rows("saturated"):
    sat[(int(r[0]), r[1])].append([float(x) for x in r[2:]])
    pairs[(int(r[0]), int(r[10]))][r[1]] = [float(x) for x in r[2:]]
rounds = sorted({k[0] for k in sat})
if rounds:
    per = {}  # (round, mode) -> (req/s, cpu us/req, p99, user cpu us/req)
    for k, v in sat.items():
        requests = sum(x[4] for x in v)
        per[k] = (med(x[0] for x in v), sum(x[5] for x in v) / tck * 1e6 / requests, med(x[2] for x in v),
                  sum(x[6] for x in v) / tck * 1e6 / requests, sum(x[7] for x in v) / tck * 1e6 / requests)
    cpu_ratio = [per[(r, "on")][1] / per[(r, "off")][1] - 1 for r in rounds]
    tput_ratio = [1 - per[(r, "on")][0] / per[(r, "off")][0] for r in rounds]
    user_ratio = [per[(r, "on")][3] / per[(r, "off")][3] - 1 for r in rounds]
    nojit_ratio = [(per[(r, "on")][1] - per[(r, "on")][4]) / (per[(r, "off")][1] - per[(r, "off")][4]) - 1 for r in rounds]
    # Every slice's on/off pair (seconds apart): the median over all of them moves least with the machine's load.
    both = [p for p in pairs.values() if "on" in p and "off" in p]
    pair_cpu = [(p["on"][5] / p["on"][4]) / (p["off"][5] / p["off"][4]) - 1 for p in both]
    pair_tput = [1 - p["on"][0] / p["off"][0] for p in both]
    for mode, label in (("on", "metrics on"), ("off", "--metrics=false")):
        print(f"| /api/work?cpuMillis=0 saturated, {label} (wrk -t2 -c$CONNECTIONS, {pin}; median of {len(rounds)} rounds × "
              f"$SLICES × ${SLICE}s) | {med(per[(r, mode)][0] for r in rounds):.0f} req/s, p99 {med(per[(r, mode)][2] for r in rounds):.2f} ms, "
              f"app CPU {med(per[(r, mode)][1] for r in rounds):.2f} µs/req, of it user {med(per[(r, mode)][3] for r in rounds):.2f} µs "
              f"and JIT compiler threads {med(per[(r, mode)][4] for r in rounds):.2f} µs | |")
    print(f"| instrumentation overhead, app CPU per request, saturated | **{pct(med(cpu_ratio) * 100)}** (rounds: "
          f"{', '.join(pct(x * 100) for x in cpu_ratio)}) | ≤ 3 % |")
    print(f"| instrumentation overhead, throughput, saturated | **{pct(med(tput_ratio) * 100)}** (rounds: "
          f"{', '.join(pct(x * 100) for x in tput_ratio)}) | ≤ 3 % |")
    print(f"| the same, median of the {len(both)} slice pairs (on and off seconds apart) | CPU per request "
          f"{pct(med(pair_cpu) * 100)}, throughput {pct(med(pair_tput) * 100)} | |")
    print(f"| app user-space CPU per request, on vs off (the JVM's own code; the kernel's share is the same work in both) | "
          f"{pct(med(user_ratio) * 100)} (rounds: {', '.join(pct(x * 100) for x in user_ratio)}) | |")
    print(f"| app CPU per request without the JIT compiler threads, on vs off | "
          f"{pct(med(nojit_ratio) * 100)} (rounds: {', '.join(pct(x * 100) for x in nojit_ratio)}) | |")
# fixed rate: round mode rps done failed ticks
rate = collections.defaultdict(list)
for r in rows("rate"):
    rate[(int(r[0]), r[1])].append([float(x) for x in r[2:]])
rrounds = sorted({k[0] for k in rate})
if rrounds:
    per = {}
    for k, v in rate.items():
        done = sum(x[1] for x in v)
        per[k] = (med(x[0] for x in v), sum(x[3] for x in v) / tck * 1e6 / done, sum(x[2] for x in v))
    ratio = [per[(r, "on")][1] / per[(r, "off")][1] - 1 for r in rrounds]
    held = all(per[k][0] >= 0.99 * $FIXED_RATE for k in per)
    for mode, label in (("on", "metrics on"), ("off", "--metrics=false")):
        print(f"| /api/work?cpuMillis=0 at $FIXED_RATE req/s, {label} (h2load --rps, $CONNECTIONS conns, {pin}) | "
              f"{med(per[(r, mode)][0] for r in rrounds):.0f} req/s, {sum(per[(r, mode)][2] for r in rrounds):.0f} failed, "
              f"app CPU {med(per[(r, mode)][1] for r in rrounds):.2f} µs/req | |")
    print(f"| instrumentation overhead, app CPU per request at $FIXED_RATE req/s | **{pct(med(ratio) * 100)}** (rounds: "
          f"{', '.join(pct(x * 100) for x in ratio)})"
          + ("" if held else "; the rate was not held in every slice (machine too busy): not a fixed-rate figure")
          + " | ≤ 3 % |")
starts = collections.defaultdict(list)
for r in rows("starts"):
    starts[r[0]].append((float(r[1]), float(r[2]), float(r[3])))
classes = {r[0]: r[1] for r in rows("classes")}
for variant, samples in starts.items():
    w = sorted(s[0] for s in samples)
    c = [s[1] for s in samples]
    m = [s[2] for s in samples]
    print(f"| JVM start → /readyz 200, {variant} (median of {len(w)}, interleaved; min–max) | {med(w):.3f} s "
          f"({w[0]:.3f}–{w[-1]:.3f}); CPU at ready {med(c):.2f} s, of it the main thread {med(m):.3f} s; "
          f"{classes.get(variant, '?')} classes loaded | ≤ 0.3 s |")
if metrics_ms:
    metrics_ms.sort()
    print(f"| /metrics response ({metrics_bytes} bytes; median / p95 of {len(metrics_ms)}) | {med(metrics_ms):.1f} ms / "
          f"{metrics_ms[int(len(metrics_ms) * 0.95) - 1]:.1f} ms | |")
    print(f"| peak RSS under full load (manifest JVM flags) | {peak_kib / 1024:.0f} MiB | ≤ 200 MiB |")
PY
