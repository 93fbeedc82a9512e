#!/usr/bin/env bash
# What the live page (--ui) costs the load generator (docs/BENCHMARKS.md, section "Live page"). Not a test.
#
#   bench/ui-cost.sh            # RATE=20000 DURATION=45 ROUNDS=2 WARM=10 (about 8 minutes)
#
# Target: the surge app's cheapest endpoint (/api/work?cpuMillis=0) on a free port of 127.0.0.1. Each round runs
# surge-loadgen at RATE for DURATION seconds four times, interleaved:
#   off          no --ui, nothing beside it;
#   ui+sse       --ui and one plain SSE client (curl on /events): everything one connected browser costs the
#                generator (serializing every update, writing it to the socket), without a browser's own CPU beside it;
#   off+chromium no --ui, and one headless Chromium (Debian's, fresh profile) showing the same page fed by a replay
#                server (python) that sends the stream recorded in ui+sse at one interval per second: the browser
#                renders exactly as much as with --ui, but the generator serves nothing. This is the control for
#                what a browser on the same cores does to the generator by taking CPU from it (contention);
#   ui+chromium  --ui and that Chromium on the generator's own page: the case of the goal.
# For every run it samples, every 0.5 s, the loadgen's CPU (user+sys from /proc/PID/stat), each of its threads'
# (the first field of /proc/PID/task/TID/schedstat, grouped by name) and the browser's (every process whose command
# line names its profile), and takes the figures of the steady window, from WARM seconds after the start to 5 s
# before the end of sending: start-up (class loading, JIT of the start path, the first page load) left out.
# Per row: the process's CPU per response in the window (its CPU over responses = window x achieved rate), the
# page's threads (surge-ui-publisher, surge-ui-http-N, the JDK server's HTTP-Dispatcher) as a share of the
# process, the JIT compiler threads, and the browser's CPU. At the end, the medians over the rounds:
#   page threads' share         the direct measure of the page's cost to the generator (the goal: <= 1 %);
#   ui+sse vs off               the whole process, one connected client, no browser CPU beside it;
#   ui+chromium vs off+chromium the whole process with the same browser work beside it in both;
#   off+chromium vs off         contention alone: what a busy browser on the same 2 cores adds per response
#                               to a generator that does not serve it.
# Whole-process comparisons move by several % from run to run even on a quiet machine (the loop threads' CPU per
# response depends on how often they wake); the page threads' share does not. Needs java, python3, curl, chromium
# and setsid, the jars (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-20000}
DURATION=${DURATION:-45}
ROUNDS=${ROUNDS:-2}
WARM=${WARM:-10}
MODES=${MODES:-off ui+sse off+chromium ui+chromium}
LOADGEN=${LOADGEN:-loadgen/target/surge-loadgen.jar}
APP=app/target/surge-app.jar
work=$(mktemp -d /tmp/ui-cost.XXXXXX)
for tool in java python3 chromium curl setsid; do
  command -v "$tool" >/dev/null || { echo "missing $tool (./bin/install-test-tools)" >&2; exit 1; }
done
if [ "$DURATION" -lt $((WARM + 15)) ]; then
  echo "DURATION=$DURATION: must be at least WARM+15 ($((WARM + 15)))" >&2
  exit 2
fi
if [ ! -f "$LOADGEN" ] || [ ! -f "$APP" ]; then
  ./mvnw -B -q -pl app,loadgen -am -DskipTests package
fi

app_pid=
browser_pid=
replay_pid=
sse_pid=
stop_browser() {
  # Chromium runs in a session of its own (setsid): its group goes, and nothing else.
  if [ -n "$browser_pid" ]; then
    kill -TERM -- "-$browser_pid" 2>/dev/null || true
    wait "$browser_pid" 2>/dev/null || true
    browser_pid=
  fi
}
cleanup() {
  stop_browser
  for p in "$replay_pid" "$sse_pid" "$app_pid"; do
    [ -z "$p" ] || kill "$p" 2>/dev/null || true
  done
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

# sample PID OUT PROFILE: until PID exits, every 0.5 s, the process's CPU, its threads' (by name) and the CPU of
# every process whose command line contains PROFILE (the browser; "-" for none). Writes OUT as JSON: the totals at
# the end and the deltas over the steady window [WARM, DURATION - 5] seconds after the start.
sample() {
  python3 - "$1" "$2" "$3" "$WARM" "$((DURATION - 5))" <<'PY'
import json, os, sys, time
pid, out, profile, warm, until = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
hz = os.sysconf("SC_CLK_TCK")
start = time.time()
threads = {}   # tid -> (group, seconds on CPU)
browser = {}   # pid -> seconds
def ticks(path):
    with open(path) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / hz  # utime + stime
def group(name):
    if name.startswith("surge-ui") or name.startswith("HTTP-Dispatcher"):
        return "page"
    if name.startswith("surge-loadgen-l"):  # surge-loadgen-lean-N, the event loops (comm keeps 15 chars)
        return "loops"
    if "CompilerThre" in name:
        return "jit"
    if name.startswith("GC Thread") or name.startswith("VM Thread") or name.startswith("G1") or name == "VM Periodic Tas":
        return "gc+vm"
    return name.rstrip("0123456789#-")
def snapshot():
    total = ticks(f"/proc/{pid}/stat")
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                fields = f.read().split()
            threads[tid] = (group(name), int(fields[0]) / 1e9, int(fields[2]))
        except (FileNotFoundError, ProcessLookupError):
            pass
    if profile != "-":
        for p in os.listdir("/proc"):
            if not p.isdigit():
                continue
            try:
                with open(f"/proc/{p}/cmdline", "rb") as f:
                    if profile.encode() not in f.read():
                        continue
                browser[p] = ticks(f"/proc/{p}/stat")
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                pass
    groups, slices = {}, {}
    for g, s, n in threads.values():
        groups[g] = groups.get(g, 0) + s
        slices[g] = slices.get(g, 0) + n
    return {"t": time.time() - start, "cpu": total, "groups": groups, "slices": slices,
            "browser": sum(browser.values())}
first = last = None
while os.path.exists(f"/proc/{pid}/stat"):
    try:
        s = snapshot()
        if first is None and s["t"] >= warm:
            first = s
        if s["t"] <= until:
            last = s
        final = s
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        pass
    time.sleep(0.5)
first = first or final
last = last if last and last["t"] > first["t"] else final
delta = {g: last["groups"].get(g, 0) - first["groups"].get(g, 0) for g in last["groups"]}
slices = {g: last["slices"].get(g, 0) - first["slices"].get(g, 0) for g in last["slices"]}
json.dump({"total": final["cpu"], "window": last["t"] - first["t"], "cpu": last["cpu"] - first["cpu"],
           "groups": delta, "slices": slices, "browser": last["browser"] - first["browser"],
           "top": sorted(final["groups"].items(), key=lambda x: -x[1])[:6]}, open(out, "w"))
PY
}

# replay PAGE STREAM: serves PAGE at / and the frames of STREAM (recorded SSE) at /events, one interval frame per
# second (the others as they come between them), then ends; prints its port first.
replay() {
  python3 - "$1" "$2" <<'PY' &
import http.server, sys, time
page = open(sys.argv[1], "rb").read()
frames = [f + b"\n\n" for f in open(sys.argv[2], "rb").read().split(b"\n\n") if f.startswith(b"event: ")]
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        if self.path == "/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            try:
                for f in frames:
                    self.wfile.write(f)
                    self.wfile.flush()
                    if f.startswith(b"event: interval\n"):
                        time.sleep(1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        body = page if self.path == "/" else b""
        self.send_response(200 if body else 204)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
  replay_pid=$!
}

browse() { # browse URL PROFILE
  setsid chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$2" --remote-debugging-port=0 --window-size=1280,2400 "$1" \
    >"$2.log" 2>&1 &
  browser_pid=$!
}

load() { uptime | sed 's/.*load average: //'; }

# row.py CPU RESULT ROUND MODE ROWS LOAD: one run's row (printed, and appended to ROWS as JSON).
cat >"$work/row.py" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
rate = json.load(open(sys.argv[2]))["summary"]["achievedRate"]
rnd, mode, rows, load = int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
g = c["groups"]
responses = c["window"] * rate
row = {"round": rnd, "mode": mode, "rate": rate, "total": c["total"], "window": c["window"], "cpu": c["cpu"],
       "usPerResponse": 1e6 * c["cpu"] / responses, "page": g.get("page", 0), "jit": g.get("jit", 0),
       "gc": g.get("gc+vm", 0), "browser": c["browser"], "top": c["top"],
       "loopUs": 1e6 * g.get("loops", 0) / responses,
       "loopSlicesPerK": 1000 * c["slices"].get("loops", 0) / responses}
with open(rows, "a") as f:
    f.write(json.dumps(row) + "\n")
page = " page threads %.3fs = %.2f%%," % (row["page"], 100 * row["page"] / c["cpu"]) if mode.startswith("ui") else ""
browser = " browser %.1fs," % c["browser"] if "chromium" in mode else ""
print("round %d  %-12s achieved %8.1f req/s  cpu %5.2fs; window %.0fs: %.2fs = %.2f us/response (event loops"
      " %.2f us, %.0f wake-ups per 1000 responses), jit %.2fs, gc+vm %.2fs,%s%s load %s"
      % (rnd, mode, rate, c["total"], c["window"], c["cpu"], row["usPerResponse"], row["loopUs"],
         row["loopSlicesPerK"], row["jit"], row["gc"], page, browser, load))
print("           threads (whole run): " + ", ".join("%s %.2fs" % (n, t) for n, t in c["top"]))
PY

# summary.py ROWS: the medians over the rounds (of the modes that ran).
cat >"$work/summary.py" <<'PY'
import json, sys, statistics as st
rows = [json.loads(l) for l in open(sys.argv[1])]
modes = {r["mode"] for r in rows}
def med(mode, key):
    return st.median(r[key] for r in rows if r["mode"] == mode)
def ratio(a, b, key="usPerResponse"):
    return 100 * st.median(x[key] / y[key] - 1 for x in rows for y in rows
                           if x["mode"] == a and y["mode"] == b and x["round"] == y["round"])
print("# medians over %d rounds, steady window:" % max(r["round"] for r in rows))
shares = ["%.2f%% with %s" % (st.median(100 * r["page"] / r["cpu"] for r in rows if r["mode"] == m),
                             "one SSE client" if m == "ui+sse" else "Chromium")
          for m in ("ui+sse", "ui+chromium") if m in modes]
if shares:
    print("#   page threads: " + ", ".join(shares) + " of the generator's CPU (goal: <= 1%)")
pairs = [("ui+sse", "off", "ui+sse vs off"), ("ui+chromium", "off+chromium", "ui+chromium vs off+chromium"),
         ("off+chromium", "off", "contention alone (off+chromium vs off)")]
found = [(a, b, label) for a, b, label in pairs if a in modes and b in modes]
if found:
    print("#   whole process per response: " + "; ".join("%s %+.1f%%" % (label, ratio(a, b)) for a, b, label in found))
    print("#   event loops per response: " + "; ".join("%s %+.1f%%" % (label, ratio(a, b, "loopUs")) for a, b, label in found))
print("#   per mode: " + "; ".join("%s %.2f us/response, loops %.2f us and %.0f wake-ups per 1000, jit %.2fs%s"
      % (m, med(m, "usPerResponse"), med(m, "loopUs"), med(m, "loopSlicesPerK"), med(m, "jit"),
         ", browser %.1fs" % med(m, "browser") if "chromium" in m else "")
      for m in ("off", "ui+sse", "off+chromium", "ui+chromium") if m in modes))
PY

echo "# ui cost $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, load average: $(load)"
echo "# surge-loadgen run --url $url --rate $RATE --duration ${DURATION}s --progress off [--ui]; steady window ${WARM}s..$((DURATION - 5))s after the start"
rows="$work/rows.jsonl"
: >"$rows"
for round in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    tag="$round-$mode"
    log="$work/run-$tag.log"
    flags=()
    case $mode in ui+*) flags=(--ui) ;; esac
    profile=-
    if [ "$mode" = off+chromium ]; then
      replay "$work/page.html" "$work/stream.txt" >"$work/replay-$tag.port"
      for _ in $(seq 1 100); do [ -s "$work/replay-$tag.port" ] && break; sleep 0.1; done
      profile="$work/profile-$tag"
      browse "http://127.0.0.1:$(head -1 "$work/replay-$tag.port")/" "$profile"
    fi
    java -jar "$LOADGEN" run --url "$url" --rate "$RATE" --duration "${DURATION}s" --progress off \
      --out "$work/r-$tag.json" "${flags[@]}" >"$log" 2>&1 &
    lg=$!
    case $mode in ui+chromium) profile="$work/profile-$tag" ;; esac
    sample "$lg" "$work/cpu-$tag.json" "$profile" &
    sampler=$!
    if [ "$mode" != off ] && [ "$mode" != off+chromium ]; then
      for _ in $(seq 1 300); do grep -q '^ui ' "$log" && break; sleep 0.1; done
      page=$(sed -n 's/^ui  *\(http:[^ ]*\).*/\1/p' "$log" | head -1)
      if [ "$mode" = ui+sse ]; then
        curl -sS "$page" -o "$work/page.html"
        curl -sSN "${page}events" -o "$work/stream.txt" &
        sse_pid=$!
      else
        browse "$page" "$profile"
      fi
    fi
    wait "$lg" || true
    wait "$sampler"
    stop_browser
    if [ -n "$sse_pid" ]; then wait "$sse_pid" 2>/dev/null || true; sse_pid=; fi
    if [ -n "$replay_pid" ]; then kill "$replay_pid" 2>/dev/null || true; wait "$replay_pid" 2>/dev/null || true; replay_pid=; fi
    python3 "$work/row.py" "$work/cpu-$tag.json" "$work/r-$tag.json" "$round" "$mode" "$rows" "$(load)"
  done
done
python3 "$work/summary.py" "$rows"
echo "# after: load average: $(load); raw outputs: $work"
