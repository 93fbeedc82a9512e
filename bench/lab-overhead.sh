#!/usr/bin/env bash
# The lab's own overhead (not a test): runs `lab demo --story` (the whole day: KEDA from zero to N and back to zero
# through the lab's Prometheus, Alertmanager, an error burst, a crash loop) and measures, over the whole run, the CPU
# of each part from /proc/<pid>/stat (utime + stime), sampled every second:
#   - the pods: every app JVM the lab started (each pod's container, restarts included);
#   - the lab JVM (controller, kubelet, kube-state-metrics/cAdvisor emitter, webhook sink) and, inside it, the load
#     engine's threads (surge-loadgen-*) and the Service's relay threads (surge-lab-service*), from
#     /proc/<pid>/task/*/stat; CPU of threads that ended between two samples is in the JVM's total but in no group;
#   - Prometheus and Alertmanager (the lab's child processes);
# and prints Markdown rows for docs/BENCHMARKS.md ("Lab overhead"): CPU-seconds, average cores and the share of the
# pods' CPU, with `uptime` before and after (the machine is shared: compare shares, not seconds).
#
#   ./mvnw -B -q -DskipTests package && bench/lab-overhead.sh
#
# Env: EXTRA (more `run` flags after the preset, e.g. "--profile ramp:0->150/10s,hold:150/60s"), INTERVAL (sample
# seconds, default 1). Needs python3, prometheus and prometheus-alertmanager (./bin/install-test-tools). Traffic goes
# to 127.0.0.1 only; a run takes about 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=lab/target/surge-lab.jar
INTERVAL=${INTERVAL:-1}
for tool in python3 prometheus prometheus-alertmanager; do
  command -v "$tool" >/dev/null || { echo "lab-overhead: $tool is missing (./bin/install-test-tools)" >&2; exit 1; }
done
if [ ! -f "$JAR" ] || [ ! -f app/target/surge-app.jar ]; then
  echo "lab-overhead: build first: ./mvnw -B -q -DskipTests package" >&2
  exit 1
fi

WORK=$(mktemp -d)
LAB_PID=
cleanup() {
  if [ -n "$LAB_PID" ] && kill -0 "$LAB_PID" 2>/dev/null; then kill "$LAB_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "uptime before: $(uptime)"
# shellcheck disable=SC2086 # word splitting wanted: EXTRA is a list of flags
java -jar "$JAR" demo --story --progress off --out "$WORK/result.json" --report "$WORK/report.html" \
  --work-dir "$WORK/work" ${EXTRA:-} >"$WORK/lab.out" 2>&1 &
LAB_PID=$!

python3 - "$LAB_PID" "$INTERVAL" "$WORK/result.json" <<'PY'
import json, os, sys, time

lab, interval, result = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
hz = os.sysconf("SC_CLK_TCK")

def ticks(path):
    """utime + stime of a /proc stat file, None when it is gone."""
    try:
        with open(path) as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])

def comm(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""

def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []

def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out

def descendants(pid):
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        for c in children(p):
            seen.append(c)
            todo.append(c)
    return seen

def part(pid):
    args = cmdline(pid)
    if not args:
        return None
    name = os.path.basename(args[0].decode(errors="replace"))
    if name == "prometheus":
        return "prometheus"
    if name in ("prometheus-alertmanager", "alertmanager"):
        return "alertmanager"
    if b"--instance" in args and any(a.endswith(b"surge-app.jar") for a in args):
        return "pods"
    return None

first, last, kind = {}, {}, {}  # pid (or lab thread id) -> ticks
threads_first, threads_last, thread_group = {}, {}, {}
pods = set()
start = time.monotonic()
while True:
    t = ticks(f"/proc/{lab}/stat")
    if t is None:
        break
    first.setdefault(lab, t); last[lab] = t; kind[lab] = "lab"
    try:
        tids = os.listdir(f"/proc/{lab}/task")
    except OSError:
        tids = []
    for tid in tids:
        tt = ticks(f"/proc/{lab}/task/{tid}/stat")
        if tt is None:
            continue
        name = comm(f"/proc/{lab}/task/{tid}/comm")
        group = ("load engine" if name.startswith("surge-loadgen")
                 else "service relays" if name.startswith("surge-lab-servi") else "other")
        threads_first.setdefault(tid, tt); threads_last[tid] = tt; thread_group[tid] = group
    for pid in descendants(lab):
        k = part(pid)
        if k is None:
            continue
        tt = ticks(f"/proc/{pid}/stat")
        if tt is None:
            continue
        first.setdefault(pid, tt); last[pid] = tt; kind[pid] = k
        if k == "pods":
            pods.add(pid)
    time.sleep(interval)
wall = time.monotonic() - start

cpu = {}
for pid, k in kind.items():
    cpu[k] = cpu.get(k, 0) + (last[pid] - first[pid]) / hz
groups = {}
for tid, g in thread_group.items():
    groups[g] = groups.get(g, 0) + (threads_last[tid] - threads_first[tid]) / hz
pods_cpu = cpu.get("pods", 0)
lab_cpu = cpu.get("lab", 0)

def row(name, seconds):
    share = f"{seconds / pods_cpu * 100:.0f} %" if pods_cpu > 0 else "n/a"
    print(f"| {name} | {seconds:.1f} | {seconds / wall:.2f} | {share} |")

print(f"\nlab demo --story: {wall:.0f} s, {len(pods)} pod containers (JVM starts)\n")
print("| part | CPU-seconds | average cores | of the pods' CPU |")
print("|---|---|---|---|")
row(f"pods ({len(pods)} app JVMs)", pods_cpu)
row("lab JVM, all", lab_cpu)
row("  load engine threads (surge-loadgen-*)", groups.get("load engine", 0))
row("  Service relay threads (surge-lab-service*)", groups.get("service relays", 0))
row("  the rest (controller, kubelet, emitters, GC, JIT)", groups.get("other", 0))
attributed = sum(groups.values())
if lab_cpu - attributed > 0.05:
    row("  threads that ended between samples", lab_cpu - attributed)
procs = {k: sum(1 for v in kind.values() if v == k) for k in ("prometheus", "alertmanager")}
row(f"Prometheus ({procs['prometheus']} process)", cpu.get("prometheus", 0))
row(f"Alertmanager ({procs['alertmanager']} process)", cpu.get("alertmanager", 0))
row("lab + Prometheus + Alertmanager", lab_cpu + cpu.get("prometheus", 0) + cpu.get("alertmanager", 0))
try:
    with open(result) as f:
        r = json.load(f)
    c = r.get("cost", {})
    print(f"\nthe lab's own figure for the load period: pods used {c.get('usedCoreSeconds')} core-seconds "
          f"over {c.get('periodSeconds')} s; {r['summary']['requests']} requests, "
          f"errors by kind {r['summary'].get('errorsByKind')}")
except (OSError, KeyError, ValueError) as e:
    print(f"\n(no result file: {e})")
PY
set +e
wait "$LAB_PID"
code=$?
set -e
LAB_PID=
echo "lab exit code: $code"
echo "uptime after: $(uptime)"
grep -E '^(hpa      keda|scaling|cost) ' "$WORK/lab.out" || true
