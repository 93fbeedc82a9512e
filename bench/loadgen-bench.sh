#!/usr/bin/env bash
# Loadgen benchmarks (docs/BENCHMARKS.md, section "Loadgen"). Not a test: prints figures to copy into the doc.
#
#   bench/loadgen-bench.sh [all|max|fixed-rate|rate|stall|rss]  (default: all; rss runs RSS_MINUTES + 1 minutes)
#
# Target: the surge app's cheapest endpoint (/api/work?cpuMillis=0), started here on free ports on 127.0.0.1.
# Needs: a JDK 17, wrk, hey and h2load (Debian packages: apt-get install -y wrk hey nghttp2-client), the jars
# (built if missing).
# Env: CONNECTIONS (32), THREADS (wrk -t: nproc), MAX_SECONDS (15), RATE_SECONDS (30), RATES ("1000 5000 20000"),
#      FIXED_RATES ("20000 40000"), FIXED_SECONDS (20), STALL_SECONDS (3), RSS_MINUTES (5), RSS_RATE (20000), TRANSPORT (auto: loadgen --transport),
#      LOADGEN (the loadgen jar: loadgen/target/surge-loadgen.jar; another build's jar to compare two builds).
#      APP (the target app jar: app/target/surge-app.jar).
#      LOADGEN_B (fixed-rate: a second jar, run interleaved with LOADGEN, A B then B A, ROUNDS pairs; ROUNDS: 1).
# surge-loadgen runs as a user runs it: `java -jar`, no JVM flags. Every section prints `uptime` first.
# The max and rate sections also print each tool's CPU time (user+sys, from /usr/bin/time) per 1000 responses, and
# max prints surge-loadgen's figures as ratios to wrk's and hey's from the same run; fixed-rate runs h2load --rps
# (the nearest fixed-rate peer in Debian) and the open model at the same rates, one after the other, and prints
# the ratios of CPU per response.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-$(nproc)}
MAX_SECONDS=${MAX_SECONDS:-15}
RATE_SECONDS=${RATE_SECONDS:-30}
RATES=${RATES:-1000 5000 20000}
STALL_SECONDS=${STALL_SECONDS:-3}
FIXED_RATES=${FIXED_RATES:-20000 40000}
FIXED_SECONDS=${FIXED_SECONDS:-20}
RSS_MINUTES=${RSS_MINUTES:-5}
RSS_RATE=${RSS_RATE:-20000}
TRANSPORT=${TRANSPORT:-auto}
LOADGEN=${LOADGEN:-loadgen/target/surge-loadgen.jar}
LOADGEN_B=${LOADGEN_B:-}
ROUNDS=${ROUNDS:-1}
APP=${APP:-app/target/surge-app.jar}
work=$(mktemp -d /tmp/loadgen-bench.XXXXXX)

for tool in java wrk hey h2load /usr/bin/time; do
  pkg=$(basename "$tool"); pkg=${pkg/java/openjdk-17-jdk-headless}; pkg=${pkg/h2load/nghttp2-client}
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y $pkg" >&2; exit 1; }
done
if [ ! -f "$LOADGEN" ] || [ ! -f "$APP" ]; then
  ./mvnw -B -q -pl app,loadgen -am -DskipTests package
fi

app_pid=
cleanup() {
  if [ -n "$app_pid" ]; then kill -CONT "$app_pid" 2>/dev/null || true; kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_app() {
  java -XX:+UseSerialGC -jar "$APP" --host 127.0.0.1 --port 0 --metrics-port 0 >"$work/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do
    if grep -q '^surge-app started' "$work/app.log"; then break; fi
    sleep 0.1
  done
  port=$(sed -n 's/^surge-app started port=\([0-9]*\).*/\1/p' "$work/app.log")
  [ -n "$port" ] || { echo "app did not start:" >&2; cat "$work/app.log" >&2; exit 1; }
  url="http://127.0.0.1:$port/api/work?cpuMillis=0"
  # Warm both JITs a little so the first tool does not pay for everyone.
  hey -n 20000 -c 8 "$url" >/dev/null
}

json() { # json FILE EXPR  (python3 reads the result file)
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

loadgen() { java -jar "$LOADGEN" "$@" --transport "$TRANSPORT"; }
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}x' if b else '-')" "$1" "$2"; }
load() { echo "uptime: $(uptime)"; }
# timed FILE CMD...: runs CMD, CPU seconds (user+sys) of it and its children into FILE.
timed() { local f=$1; shift; /usr/bin/time -f '%U %S' -o "$f" "$@"; }
cpu() { awk '{printf "%.1f", $1 + $2}' "$1"; }
# threads PID: polls /proc/PID/task every 50 ms until PID ends; prints the last CPU and context switches seen per
# thread group (the lean loops, the JIT compilers, the rest).
threads() {
  python3 - "$1" <<'PY'
import os, sys, time
pid, tick, seen = sys.argv[1], os.sysconf("SC_CLK_TCK"), {}
while os.path.exists(f"/proc/{pid}/task"):
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                stat = open(f"/proc/{pid}/task/{tid}/stat").read()
                status = open(f"/proc/{pid}/task/{tid}/status").read()
            except OSError:
                continue
            comm, f = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
            cs = {l.split(":")[0]: int(l.split()[1]) for l in status.splitlines() if "ctxt_switches" in l}
            seen[tid] = (comm, int(f[11]) / tick, int(f[12]) / tick, cs.get("voluntary_ctxt_switches", 0),
                         cs.get("nonvoluntary_ctxt_switches", 0))
    except OSError:
        pass
    time.sleep(0.05)
groups = {}
for comm, u, s, v, i in seen.values():
    g = ("event loops" if comm.startswith("surge-loadgen-l") else "C2" if comm.startswith("C2 ")
         else "C1" if comm.startswith("C1 ") else "main+java" if comm in ("java", "main") else "others")
    a = groups.setdefault(g, [0.0, 0.0, 0, 0])
    a[0] += u; a[1] += s; a[2] += v; a[3] += i
for g in ("event loops", "C2", "C1", "main+java", "others"):
    if g in groups:
        u, s, v, i = groups[g]
        print(f"threads {g}: user {u:.2f}s sys {s:.2f}s, context switches {v} voluntary / {i} involuntary")
PY
}
per1000() { python3 -c "import sys; c, n = float(sys.argv[1]), float(sys.argv[2]); print(f'{1000 * c / n:.3f}' if n else '-')" "$1" "$2"; }

echo "# loadgen bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
start_app
echo "target: $url (surge-app, same machine)"

if [ "$what" = all ] || [ "$what" = max ]; then
  echo
  echo "## max throughput, $CONNECTIONS connections, ${MAX_SECONDS}s each (closed loop: every tool as fast as it goes)"
  load
  timed "$work/wrk-max.cpu" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MAX_SECONDS}s" "$url" >"$work/wrk-max.txt"
  wrk_n=$(awk '/requests in/ {print $1}' "$work/wrk-max.txt")
  wrk_rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-max.txt")
  wrk_per=$(per1000 "$(cpu "$work/wrk-max.cpu")" "$wrk_n")
  echo "wrk -t$THREADS:        $wrk_rate req/s  (cpu $(cpu "$work/wrk-max.cpu")s, $wrk_per s per 1000 responses)"
  load
  timed "$work/hey-max.cpu" hey -z "${MAX_SECONDS}s" -c "$CONNECTIONS" "$url" >"$work/hey-max.txt"
  hey_n=$(awk '/\[200\]/ {print $2}' "$work/hey-max.txt")
  hey_rate=$(awk '/Requests\/sec/ {print $2}' "$work/hey-max.txt")
  hey_per=$(per1000 "$(cpu "$work/hey-max.cpu")" "${hey_n:-0}")
  echo "hey:           $hey_rate req/s  (cpu $(cpu "$work/hey-max.cpu")s, $hey_per s per 1000 responses)"
  load
  # The closed model, as wrk and hey run: the like-for-like comparison.
  timed "$work/lg-max.cpu" java -jar "$LOADGEN" run --transport "$TRANSPORT" --closed --url "$url" --duration "${MAX_SECONDS}s" \
    --connections "$CONNECTIONS" --progress off --out "$work/lg-max.json" >/dev/null
  lg_n=$(json "$work/lg-max.json" 'd["summary"]["ok"] + d["summary"]["errors"]')
  lg_rate=$(json "$work/lg-max.json" 'd["summary"]["achievedRate"]')
  lg_per=$(per1000 "$(cpu "$work/lg-max.cpu")" "$lg_n")
  echo "surge-loadgen: $lg_rate req/s  (--closed, transport $(json "$work/lg-max.json" 'd["config"]["transport"]'); cpu $(cpu "$work/lg-max.cpu")s incl. JVM start, $lg_per s per 1000 responses)"
  # Fixed cost (JVM start, class loading, JIT, warm-up): a 1 s run; what is left is the per-response cost.
  timed "$work/lg-1s.cpu" java -jar "$LOADGEN" run --transport "$TRANSPORT" --closed --url "$url" --duration 1s \
    --connections "$CONNECTIONS" --progress off --out "$work/lg-1s.json" >/dev/null
  lg1_n=$(json "$work/lg-1s.json" 'd["summary"]["ok"] + d["summary"]["errors"]')
  lg_marginal=$(python3 -c "import sys; c, c1, n, n1 = map(float, sys.argv[1:]); print(f'{1000 * (c - c1) / (n - n1):.4f}')" \
    "$(cpu "$work/lg-max.cpu")" "$(cpu "$work/lg-1s.cpu")" "$lg_n" "$lg1_n")
  echo "surge-loadgen: fixed cost (1 s run) cpu $(cpu "$work/lg-1s.cpu")s; per 1000 responses beyond it: $lg_marginal s"
  echo "ratios, surge-loadgen to wrk:  throughput $(ratio "$lg_rate" "$wrk_rate")  cpu/1000 $(ratio "$lg_per" "$wrk_per") (beyond the fixed cost $(ratio "$lg_marginal" "$wrk_per"))"
  echo "ratios, surge-loadgen to hey:  throughput $(ratio "$lg_rate" "$hey_rate")  cpu/1000 $(ratio "$lg_per" "$hey_per")"
  load
  # The open model asked for far more than the target can serve: what it completes is its ceiling.
  timed "$work/lg-open.cpu" java -jar "$LOADGEN" run --transport "$TRANSPORT" --url "$url" --rate 100000 --max-rate 100000 \
    --duration "${MAX_SECONDS}s" --connections "$CONNECTIONS" --max-in-flight $((CONNECTIONS * 4)) --progress off \
    --out "$work/lg-open.json" >/dev/null
  n=$(json "$work/lg-open.json" 'd["summary"]["ok"] + d["summary"]["errors"]')
  echo "surge-loadgen open model: $(json "$work/lg-open.json" 'd["summary"]["achievedRate"]') req/s completed (asked 100000/s; dropped $(json "$work/lg-open.json" 'd["summary"]["dropped"]'))  (cpu $(cpu "$work/lg-open.cpu")s, $(per1000 "$(cpu "$work/lg-open.cpu")" "$n")s per 1000 responses)"
fi

if [ "$what" = all ] || [ "$what" = fixed-rate ]; then
  echo
  echo "## fixed rate, open model, $CONNECTIONS connections, ${FIXED_SECONDS}s each: h2load --rps, then surge-loadgen --rate"
  # One surge-loadgen run at a fixed rate, with its threads' CPU and context switches polled from /proc (the
  # loops, the JIT compilers, the rest) so that a change can be told from the noise: fixed_lg JAR TAG RATE H2_PER.
  fixed_lg() {
    local jar=$1 tag=$2 rate=$3 h2_per=$4
    load
    # --max-rate: the default safety cap (20000/s) would clip a higher rate.
    /usr/bin/time -f '%U %S' -o "$work/lgf-$tag-$rate.cpu" java -jar "$jar" run --transport "$TRANSPORT" --url "$url" --rate "$rate" \
      --max-rate "$rate" --duration "${FIXED_SECONDS}s" --connections "$CONNECTIONS" --progress off \
      --out "$work/lgf-$tag-$rate.json" >/dev/null &
    local t=$! jpid=
    for _ in $(seq 1 100); do jpid=$(pgrep -P "$t" java || true); [ -n "$jpid" ] && break; sleep 0.02; done
    [ -z "$jpid" ] || threads "$jpid" >"$work/lgf-$tag-$rate.threads" &
    local poller=$!
    wait "$t" || true
    wait "$poller" 2>/dev/null || true
    local n lg_per
    n=$(json "$work/lgf-$tag-$rate.json" 'd["summary"]["ok"] + d["summary"]["errors"]')
    lg_per=$(per1000 "$(cpu "$work/lgf-$tag-$rate.cpu")" "$n")
    json "$work/lgf-$tag-$rate.json" "f'surge-loadgen [$tag] --rate $rate: {d[\"summary\"][\"achievedRate\"]} req/s ({100*d[\"summary\"][\"achievedRate\"]/d[\"summary\"][\"targetRate\"]:.2f}%)  ok {d[\"summary\"][\"ok\"]} errors {d[\"summary\"][\"errors\"]} dropped {d[\"summary\"][\"dropped\"]} late {d[\"summary\"][\"late\"]}  corrected p50 {d[\"summary\"][\"latencyMillis\"][\"corrected\"][\"p50\"]}ms p99 {d[\"summary\"][\"latencyMillis\"][\"corrected\"][\"p99\"]}ms'"
    echo "  [$tag] $jar: cpu $(cpu "$work/lgf-$tag-$rate.cpu")s incl. JVM start, $lg_per s per 1000 responses; ratio to h2load cpu/1000 $(ratio "$lg_per" "$h2_per")"
    [ ! -s "$work/lgf-$tag-$rate.threads" ] || sed "s/^/  [$tag] /" "$work/lgf-$tag-$rate.threads"
  }
  for rate in $FIXED_RATES; do
    load
    # h2load's --rps is per client (connection): the same total rate over the same connections.
    per=$(python3 -c "print(f'{$rate / $CONNECTIONS:g}')")
    /usr/bin/time -f '%U %S' -o "$work/h2-$rate.cpu" h2load --h1 -c"$CONNECTIONS" -t"$THREADS" --rps="$per" \
      -D "$FIXED_SECONDS" "$url" >"$work/h2-$rate.txt" 2>&1 &
    t=$! hpid=
    for _ in $(seq 1 100); do hpid=$(pgrep -P "$t" h2load || true); [ -n "$hpid" ] && break; sleep 0.02; done
    [ -z "$hpid" ] || threads "$hpid" >"$work/h2-$rate.threads" &
    poller=$!
    wait "$t" || true
    wait "$poller" 2>/dev/null || true
    h2_ok=$(awk '/^requests:/ {print $8}' "$work/h2-$rate.txt")
    h2_failed=$(awk '/^requests:/ {print $10}' "$work/h2-$rate.txt")
    h2_rate=$(python3 -c "print(f'{$h2_ok / $FIXED_SECONDS:.1f}')")
    h2_per=$(per1000 "$(cpu "$work/h2-$rate.cpu")" "$h2_ok")
    echo "h2load --rps $per x $CONNECTIONS: $h2_rate req/s ($(python3 -c "print(f'{100 * $h2_ok / ($rate * $FIXED_SECONDS):.2f}')")% of $rate)  succeeded $h2_ok failed $h2_failed  (cpu $(cpu "$work/h2-$rate.cpu")s, $h2_per s per 1000 responses)"
    [ ! -s "$work/h2-$rate.threads" ] || sed 's/^threads others/  h2load, all threads/' "$work/h2-$rate.threads"
    # With LOADGEN_B: A, B, then A and B again in the other order (ROUNDS pairs), so that drift in the machine's
    # load falls on both; the B/A line compares their CPU per response.
    for r in $(seq 1 "$ROUNDS"); do
      if [ -z "$LOADGEN_B" ]; then
        fixed_lg "$LOADGEN" "A$r" "$rate" "$h2_per"
      elif [ $((r % 2)) = 1 ]; then
        fixed_lg "$LOADGEN" "A$r" "$rate" "$h2_per"; fixed_lg "$LOADGEN_B" "B$r" "$rate" "$h2_per"
      else
        fixed_lg "$LOADGEN_B" "B$r" "$rate" "$h2_per"; fixed_lg "$LOADGEN" "A$r" "$rate" "$h2_per"
      fi
    done
    if [ -n "$LOADGEN_B" ]; then
      python3 - "$work" "$rate" "$ROUNDS" <<'PY'
import json, sys
work, rate, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
def per(tag):
    d = json.load(open(f"{work}/lgf-{tag}-{rate}.json"))["summary"]
    u, s = map(float, open(f"{work}/lgf-{tag}-{rate}.cpu").read().split()[:2])
    return 1e6 * (u + s) / (d["ok"] + d["errors"])
a = [per(f"A{r}") for r in range(1, rounds + 1)]
b = [per(f"B{r}") for r in range(1, rounds + 1)]
print(f"B/A at {rate} req/s, CPU per response (us, incl. JVM start): A {' '.join(f'{x:.1f}' for x in a)}  "
      f"B {' '.join(f'{x:.1f}' for x in b)}  B/A {sum(b) / sum(a):.3f}")
PY
    fi
  done
fi

if [ "$what" = all ] || [ "$what" = rate ]; then
  echo
  echo "## achieved vs target rate, ${RATE_SECONDS}s each, $CONNECTIONS connections"
  for rate in $RATES; do
    load
    timed "$work/lg-$rate.cpu" java -jar "$LOADGEN" run --transport "$TRANSPORT" --url "$url" --rate "$rate" \
      --duration "${RATE_SECONDS}s" --connections "$CONNECTIONS" --progress off --out "$work/lg-$rate.json" >/dev/null
    n=$(json "$work/lg-$rate.json" 'd["summary"]["ok"] + d["summary"]["errors"]')
    echo "cpu $(cpu "$work/lg-$rate.cpu")s incl. JVM start, $(per1000 "$(cpu "$work/lg-$rate.cpu")" "$n")s per 1000 responses"
    json "$work/lg-$rate.json" "f'target {d[\"summary\"][\"targetRate\"]}/s  achieved {d[\"summary\"][\"achievedRate\"]}/s  ({100*d[\"summary\"][\"achievedRate\"]/d[\"summary\"][\"targetRate\"]:.2f}%)  requests {d[\"summary\"][\"requests\"]} ok {d[\"summary\"][\"ok\"]} dropped {d[\"summary\"][\"dropped\"]} late {d[\"summary\"][\"late\"]}  p50 {d[\"summary\"][\"latencyMillis\"][\"corrected\"][\"p50\"]}ms p99 {d[\"summary\"][\"latencyMillis\"][\"corrected\"][\"p99\"]}ms'"
  done
fi

if [ "$what" = all ] || [ "$what" = stall ]; then
  echo
  echo "## latency under a ${STALL_SECONDS}s stall (app frozen with SIGSTOP 10s into a 30s run at 200 req/s / $CONNECTIONS connections)"
  f=$(python3 -c "print($STALL_SECONDS/30)")
  echo "true figures for users arriving at a steady rate: ${STALL_SECONDS}s/30s = $f of requests wait U(0,${STALL_SECONDS}s):"
  python3 -c "
S=$STALL_SECONDS; f=S/30
for p in (0.50,0.90,0.95,0.99,0.999):
    print(f'  p{p*100:g}: ' + ('~service time' if p <= 1-f else f'{S*(1-(1-p)/f)*1000:.0f}ms'))
print(f'  max: {S*1000}ms')"
  stall() { sleep 10; kill -STOP "$app_pid"; sleep "$STALL_SECONDS"; kill -CONT "$app_pid"; }
  load
  # wrk's default 2 s timeout would drop the stalled requests from its figures: give it 10 s like the others.
  stall & s=$!; wrk -t2 -c"$CONNECTIONS" -d30s --timeout 10s --latency "$url" >"$work/wrk-stall.txt"; wait $s
  echo "wrk:    $(grep -E '^ +(50|90|99)%' "$work/wrk-stall.txt" | awk '{sub("%","",$1); printf "p%s %s  ", $1, $2}') max $(awk '/Latency/ && !/Distribution/ {print $4; exit}' "$work/wrk-stall.txt")"
  stall & s=$!; hey -z 30s -c "$CONNECTIONS" "$url" >"$work/hey-stall.txt"; wait $s
  echo "hey:    $(grep -E '^ +(50|90|95|99)% in' "$work/hey-stall.txt" | awk '{sub("%","",$1); printf "p%s %sms  ", $1, $3*1000}') slowest $(awk '/Slowest/ {print $2*1000 "ms"}' "$work/hey-stall.txt")"
  stall & s=$!; loadgen run --url "$url" --rate 200 --duration 30s --connections "$CONNECTIONS" --progress off --out "$work/lg-stall.json" >/dev/null; wait $s
  json "$work/lg-stall.json" "'surge-loadgen corrected:   ' + '  '.join(f'{k} {v}ms' for k, v in d['summary']['latencyMillis']['corrected'].items() if k not in ('count','mean'))"
  json "$work/lg-stall.json" "'surge-loadgen uncorrected: ' + '  '.join(f'{k} {v}ms' for k, v in d['summary']['latencyMillis']['uncorrected'].items() if k not in ('count','mean'))"
  # The stall starts 10 s into the run measured from the script, and the generator's own start-up takes some
  # of that: the truth is computed for the stall as it happened, 3 s of 30 s.
  json "$work/lg-stall.json" "'corrected / true: ' + '  '.join(f'{k} {d[\"summary\"][\"latencyMillis\"][\"corrected\"][k] / t:.3f}' for k, t in (('p95', $STALL_SECONDS*1000*(1-0.05*30/$STALL_SECONDS)), ('p99', $STALL_SECONDS*1000*(1-0.01*30/$STALL_SECONDS)), ('p999', $STALL_SECONDS*1000*(1-0.001*30/$STALL_SECONDS)))) + '  (goal: within 5 %)'"
fi

if [ "$what" = all ] || [ "$what" = rss ]; then
  echo
  echo "## loadgen RSS at $RSS_RATE req/s for $RSS_MINUTES minutes (java -jar, default JVM settings; sampled every 30 s)"
  load
  # --max-rate: the default safety cap (20000/s) would clip a higher rate. The run's own exit code (1 when a
  # threshold fails) must not end the script: the figures are what is wanted.
  java -jar "$LOADGEN" run --transport "$TRANSPORT" --url "$url" --rate "$RSS_RATE" --max-rate "$RSS_RATE" \
    --duration "$((RSS_MINUTES * 60 + 15))s" --connections "$CONNECTIONS" --progress off --out "$work/lg-rss.json" \
    >"$work/lg-rss.txt" 2>&1 &
  lg=$!
  rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$lg/status" 2>/dev/null || echo 0; }
  first=
  for s in $(seq 1 $((RSS_MINUTES * 2))); do
    sleep 30
    r=$(rss)
    [ -n "$first" ] || first=$r
    echo "after $((s * 30))s: RSS $r MiB  (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  done
  last=$r
  rc=0; wait "$lg" || rc=$?
  echo "RSS from 30 s to $((RSS_MINUTES * 60)) s: $first -> $last MiB ($((last - first)) MiB); loadgen exit code $rc"
  json "$work/lg-rss.json" "f'run: requests {d[\"summary\"][\"requests\"]} ok {d[\"summary\"][\"ok\"]} dropped {d[\"summary\"][\"dropped\"]} achieved {d[\"summary\"][\"achievedRate\"]}/s ({100*d[\"summary\"][\"achievedRate\"]/d[\"summary\"][\"targetRate\"]:.2f}%) p99 {d[\"summary\"][\"latencyMillis\"][\"corrected\"][\"p99\"]}ms'"
fi
echo
echo "raw outputs: $work"
