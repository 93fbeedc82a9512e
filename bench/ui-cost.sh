#!/usr/bin/env bash
# What the live page (--ui) costs the load generator (docs/BENCHMARKS.md, section "Live page"). Not a test.
#
#   bench/ui-cost.sh            # RATE=20000 DURATION=60 ROUNDS=2 WARM=10
#
# Target: the surge app's cheapest endpoint (/api/work?cpuMillis=0) on a free port of 127.0.0.1. Each round runs
# surge-loadgen twice at RATE for DURATION seconds: without --ui, then with --ui and one headless Chromium (Debian's
# chromium, fresh profile) showing the page the whole time. For every run it prints the loadgen process's CPU
# (user+sys from /proc/PID/stat, sampled every 0.5 s until it exits) and the achieved rate; for the --ui run also the
# CPU of the threads that serve the page (surge-ui-publisher, surge-ui-http-N, the JDK server's HTTP-Dispatcher), read
# from /proc/PID/task/*/schedstat, as a share of the process's: over the whole run and over the steady window (WARM=10
# seconds after the start to the end). The whole-process difference between the two runs is printed too, but on a busy
# machine it is mostly noise (the achieved rate differs from run to run); each run's busiest thread groups (CPU of the
# threads alive at its end) show where it goes. Needs java, python3, chromium, the jars (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-20000}
DURATION=${DURATION:-60}
ROUNDS=${ROUNDS:-2}
LOADGEN=${LOADGEN:-loadgen/target/surge-loadgen.jar}
APP=app/target/surge-app.jar
work=$(mktemp -d /tmp/ui-cost.XXXXXX)
for tool in java python3 chromium; do
  command -v "$tool" >/dev/null || { echo "missing $tool (./bin/install-test-tools)" >&2; exit 1; }
done
if [ ! -f "$LOADGEN" ] || [ ! -f "$APP" ]; then
  ./mvnw -B -q -pl app,loadgen -am -DskipTests package
fi

app_pid=
browser_pid=
cleanup() {
  [ -z "$browser_pid" ] || kill "$browser_pid" 2>/dev/null || true
  [ -z "$app_pid" ] || kill "$app_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java -XX:+UseSerialGC -jar "$APP" --host 127.0.0.1 --port 0 --metrics-port 0 >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 300); do grep -q '^surge-app started' "$work/app.log" && break; sleep 0.1; done
port=$(sed -n 's/^surge-app started port=\([0-9]*\).*/\1/p' "$work/app.log")
[ -n "$port" ] || { cat "$work/app.log" >&2; exit 1; }
url="http://127.0.0.1:$port/api/work?cpuMillis=0"

# sample PID OUT: until PID exits, every 0.5 s: the process's CPU (user+sys ticks of /proc/PID/stat) and the page
# threads' CPU (nanoseconds on CPU, the first field of /proc/PID/task/TID/schedstat). Writes: the process's CPU, the
# page threads' CPU over the whole run, and both over the steady window (from WARM seconds after the start to the
# end), which leaves out the one-time start-up (class loading, JIT, the first page load).
sample() {
  python3 - "$1" "$2" "${WARM:-10}" <<'PY'
import os, sys, time
pid, out, warm = sys.argv[1], sys.argv[2], float(sys.argv[3])
hz = os.sysconf("SC_CLK_TCK")
start = time.time()
threads = {}
everyone = {}
samples = []
def ticks(path):
    with open(path) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])  # utime + stime
while os.path.exists(f"/proc/{pid}/stat"):
    try:
        total = ticks(f"/proc/{pid}/stat") / hz
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                ns = int(f.read().split()[0]) / 1e9
            everyone[tid] = (name.rstrip("0123456789#-"), ns)
            if name.startswith("surge-ui") or name.startswith("HTTP-Dispatcher"):
                threads[tid] = ns
        samples.append((time.time() - start, total, sum(threads.values())))
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        pass
    time.sleep(0.5)
last = samples[-1]
first = next((s for s in samples if s[0] >= warm), samples[0])
groups = {}
for name, ns in everyone.values():
    groups[name] = groups.get(name, 0) + ns
with open(out + ".threads", "w") as f:
    f.write(", ".join(f"{n} {t:.2f}s" for n, t in sorted(groups.items(), key=lambda x: -x[1])[:8]) + "\n")
with open(out, "w") as f:
    f.write(f"{last[1]:.2f} {last[2]:.3f} {len(threads)} {last[1]-first[1]:.2f} {last[2]-first[2]:.4f} {last[0]-first[0]:.0f}\n")
PY
}

achieved() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['achievedRate'])" "$1"; }

echo "# ui cost $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
echo "# surge-loadgen run --url $url --rate $RATE --duration ${DURATION}s [--ui + one headless chromium]"
for round in $(seq 1 "$ROUNDS"); do
  for mode in off on; do
    log="$work/run-$round-$mode.log"
    flags=()
    [ "$mode" = off ] || flags=(--ui)
    java -jar "$LOADGEN" run --url "$url" --rate "$RATE" --duration "${DURATION}s" --progress off \
      --out "$work/r-$round-$mode.json" "${flags[@]}" >"$log" 2>&1 &
    lg=$!
    sample "$lg" "$work/cpu-$round-$mode" &
    sampler=$!
    if [ "$mode" = on ]; then
      for _ in $(seq 1 300); do grep -q '^ui ' "$log" && break; sleep 0.1; done
      page=$(sed -n 's/^ui  *\(http:[^ ]*\).*/\1/p' "$log" | head -1)
      chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$work/profile-$round" --remote-debugging-port=0 \
        --window-size=1280,2400 "$page" >"$work/chromium-$round.log" 2>&1 &
      browser_pid=$!
    fi
    wait "$lg" || true
    wait "$sampler"
    if [ -n "$browser_pid" ]; then kill "$browser_pid" 2>/dev/null || true; wait "$browser_pid" 2>/dev/null || true; browser_pid=; fi
    read -r cpu uicpu nthreads wcpu wui wsec <"$work/cpu-$round-$mode"
    rate=$(achieved "$work/r-$round-$mode.json")
    threads=$(cat "$work/cpu-$round-$mode.threads")
    if [ "$mode" = off ]; then
      echo "round $round  --ui off: loadgen cpu ${cpu}s  achieved ${rate} req/s"
      off_cpu=$cpu
      echo "           threads: $threads"
    else
      share=$(python3 -c "print(f'{100*$uicpu/$cpu:.2f}')")
      wshare=$(python3 -c "print(f'{100*$wui/$wcpu:.3f}')")
      delta=$(python3 -c "print(f'{100*($cpu-$off_cpu)/$off_cpu:+.1f}')")
      echo "round $round  --ui on:  loadgen cpu ${cpu}s  achieved ${rate} req/s  page threads ($nthreads): whole run ${uicpu}s = ${share}% of the process; steady ${wsec}s window ${wui}s of ${wcpu}s = ${wshare}%  (whole process vs --ui off: ${delta}%)"
      echo "           threads: $threads"
    fi
  done
done
echo "# after: $(uptime | sed 's/.*load average/load average/'); raw outputs: $work"
