#!/usr/bin/env bash
# bench/run.sh: time pool-run against xargs -P, GNU parallel, a bare GSubprocess loop and Python
# multiprocessing, then measure the CPU pool-run itself uses while its workers sleep, then
# measure it against the goals of the slot engine (xargs -P and spawn-floor, wall and CPU).
#
#   bench/run.sh [--quick] [--runs N] [--json FILE] [--no-cpu] [--no-goals | --goals-only]
#
# Environment: BUILD (build directory, default ./build), JOBS (default 2000), SLOTS (default 8),
# PYTHON (default: the interpreter python3 resolves to, bypassing version-manager shims).
# See bench/README.md.

set -euo pipefail

usage ()
{
  sed -n '2,10s/^# \{0,1\}//p' "$0"
  cat <<'EOF'

  --quick      2 timed runs per command instead of 5
  --runs N     N timed runs per command (after 1 warm-up run)
  --json FILE  keep hyperfine's JSON export in FILE
  --no-cpu     skip part 2 (pool-run's own CPU use over its ~10 s demo)
  --no-goals   skip part 3 (pool-run against xargs -P and spawn-floor, wall and CPU)
  --goals-only run part 3 only
EOF
}

runs=5
keep_json=
do_cpu=1
do_times=1
do_goals=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) runs=2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --runs=*) runs="${1#--runs=}" ;;
    --json) keep_json="${2:?--json needs a file}"; shift ;;
    --json=*) keep_json="${1#--json=}" ;;
    --no-cpu) do_cpu= ;;
    --no-goals) do_goals= ;;
    --goals-only) do_times=; do_cpu= ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$runs" in
  ''|*[!0-9]*|0|1) echo "run.sh: --runs must be a number of at least 2" >&2; exit 2 ;;
esac

BUILD="${BUILD:-./build}"
JOBS="${JOBS:-2000}"
SLOTS="${SLOTS:-8}"
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pool_run="$BUILD/src/cli/pool-run"
# An uninstalled pool-run runs its build tree's pool-slot and pool-worker only when told so.
export POOL_MONITOR_BUILD_DIR="$(cd "$BUILD" 2>/dev/null && pwd || echo "$BUILD")"
loop="$BUILD/bench/gsubprocess-loop"
floor="$BUILD/bench/spawn-floor"

# --- tools -----------------------------------------------------------------------------------

apt_install ()
{
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "run.sh: installing $* with apt-get" >&2
  $sudo apt-get update -q >&2 && $sudo apt-get install -y "$@" >&2
}

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v parallel >/dev/null || need+=(parallel)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt_install "${need[@]}"
fi
if ! parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
  echo "run.sh: 'parallel' is not GNU parallel (moreutils?); install the 'parallel' package" >&2
  exit 1
fi

if [ -z "${PYTHON:-}" ]; then
  PYTHON="$(python3 -c 'import sys; print(sys.executable)')"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pool-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
args="$tmp/args.txt"
seq "$JOBS" >"$args"

q () { printf '%q' "$1"; }

# --- part 1: wall time for JOBS x /bin/true, SLOTS at a time ---------------------------------

part_times ()
{
  local cmds=() names=() reference=pool-run hf_args i

  if [ -x "$pool_run" ]; then
    names+=("pool-run")
    cmds+=("$(q "$pool_run") -j $SLOTS --quiet -a $(q "$args") -- /bin/true")
  else
    echo "run.sh: SKIPPING pool-run: $pool_run not found (build it, or set BUILD=...)." >&2
    echo "run.sh: ratios below are relative to gsubprocess-loop instead." >&2
    reference=gsubprocess-loop
  fi
  names+=("xargs -P")
  cmds+=("xargs -P $SLOTS -n 1 -a $(q "$args") /bin/true")
  names+=("GNU parallel")
  cmds+=("parallel --will-cite -j $SLOTS -a $(q "$args") /bin/true")
  if [ -x "$loop" ]; then
    names+=("gsubprocess-loop")
    cmds+=("$(q "$loop") -j $SLOTS -n $JOBS")
  else
    echo "run.sh: SKIPPING gsubprocess-loop: $loop not found (is subdir('bench') in meson.build?)" >&2
    [ "$reference" = pool-run ] || reference="xargs -P"
  fi
  names+=("python multiprocessing")
  cmds+=("$(q "$PYTHON") $(q "$bench_dir/pool_mp.py") -j $SLOTS -n $JOBS")

  hf_args=(--warmup 1 --runs "$runs" --export-json "$tmp/hyperfine.json")
  for i in "${!cmds[@]}"; do
    hf_args+=(--command-name "${names[$i]}" "${cmds[$i]}")
  done

  echo "== $JOBS x /bin/true, $SLOTS at a time, $runs runs each (nproc: $(nproc)) =="
  hyperfine "${hf_args[@]}"
  [ -z "$keep_json" ] || cp "$tmp/hyperfine.json" "$keep_json"

  echo
  "$PYTHON" - "$tmp/hyperfine.json" "$reference" "$JOBS" <<'EOF'
import json
import sys

path, reference, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path) as f:
    results = json.load(f)["results"]
ref = next(r["mean"] for r in results if r["command"] == reference)
ratio_head = f"x {reference}"
print(f"{'command':<24} {'mean ± stddev (s)':>20} {'ms/job':>8} {ratio_head:>20}")
for r in results:
    stddev = r["stddev"] if r["stddev"] is not None else 0.0
    print(f"{r['command']:<24} {r['mean']:>11.3f} ± {stddev:<6.3f} "
          f"{1000 * r['mean'] / jobs:>8.3f} {r['mean'] / ref:>20.2f}")
EOF
}

# --- part 2: pool-run's own CPU over its default demo ----------------------------------------

part_cpu ()
{
  echo
  echo "== CPU used by pool-run over its default demo (15 sleeping workers, ~10 s) =="
  if [ ! -x "$pool_run" ]; then
    echo "run.sh: SKIPPING: $pool_run not found." >&2
    return
  fi
  local user sys wall

  /usr/bin/time -f '%U %S %e' -o "$tmp/time.txt" "$pool_run" --quiet
  read -r user sys wall <"$tmp/time.txt"
  awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN {
    cpu = u + s
    printf "user %.2f s + sys %.2f s = %.2f s CPU over %.2f s wall (%.1f%% of one core)\n",
           u, s, cpu, w, (w > 0 ? 100 * cpu / w : 0)
  }'
  echo "(includes the 15 pool-worker children: /usr/bin/time counts reaped descendants)"
}

# --- part 3: the goals of the slot engine ------------------------------------------------------

part_goals ()
{
  # pool-run against the plainest launchers, in wall and in CPU time, then pool-run's own CPU
  # while all its jobs sleep. The runs of the three commands are interleaved, round by round
  # (each round in a rotated order), so that a change in the machine's load reaches all three.
  echo
  echo "== Goals of the slot engine: $JOBS x /bin/true, $SLOTS at a time," \
       "1 warm-up + $runs interleaved runs (nproc: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)) =="
  if [ ! -x "$pool_run" ] || [ ! -x "$floor" ]; then
    echo "run.sh: SKIPPING: needs $pool_run and $floor (build both, or set BUILD=...)." >&2
    return
  fi
  "$PYTHON" - "$pool_run" "$floor" "$args" "$JOBS" "$SLOTS" "$runs" <<'EOF'
import os
import statistics
import sys
import time

pool_run, floor, args_path = sys.argv[1:4]
jobs, slots, runs = (int(a) for a in sys.argv[4:7])


def spawn(argv, stdin_path):
    """Start argv with stdin from stdin_path and stdout, stderr to /dev/null; return its pid."""
    fd_in = os.open(stdin_path, os.O_RDONLY)
    fd_null = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, fd_in, 0),
               (os.POSIX_SPAWN_DUP2, fd_null, 1),
               (os.POSIX_SPAWN_DUP2, fd_null, 2)]
    try:
        return os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    finally:
        os.close(fd_in)
        os.close(fd_null)


def check(argv, status):
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"run.sh: '{' '.join(argv)}' failed (wait status {status})")


def run_tree(argv, stdin_path):
    """Wall seconds, and user + system CPU seconds of the process and of every descendant it
    reaped (wait4's rusage, as /usr/bin/time reports it)."""
    start = time.monotonic()
    pid = spawn(argv, stdin_path)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    check(argv, status)
    return wall, usage.ru_utime + usage.ru_stime


def run_own(argv):
    """Wall seconds, and user + system CPU seconds of the process alone: utime + stime from
    /proc/PID/stat, read once it has exited but before it is reaped, in clock ticks."""
    start = time.monotonic()
    pid = spawn(argv, os.devnull)
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    wall = time.monotonic() - start
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()     # fields[0] is field 3, the state
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    _, status, _ = os.wait4(pid, 0)
    check(argv, status)
    return wall, own


# (row, argv, arguments on stdin?)
commands = [
    (f"xargs -P {slots} -n 1 /bin/true",
     ["xargs", "-P", str(slots), "-n", "1", "/bin/true"], True),
    (f"spawn-floor -j {slots} {jobs} -- /bin/true",
     [floor, "-j", str(slots), str(jobs), "--", "/bin/true"], False),
    (f"pool-run -j {slots} -q -- /bin/true",
     [pool_run, "-j", str(slots), "-q", "--", "/bin/true"], True),
]
idle_row = "pool-run -j 5 --count 5 --sleep-min 3 --sleep-max 3"
idle_argv = [pool_run, "-j", "5", "--count", "5", "--sleep-min", "3", "--sleep-max", "3"]

times = {row: [] for row, _, _ in commands}
for rnd in range(runs + 1):
    k = rnd % len(commands)
    for row, argv, on_stdin in commands[k:] + commands[:k]:
        result = run_tree(argv, args_path if on_stdin else os.devnull)
        if rnd > 0:                             # round 0 is the warm-up
            times[row].append(result)
idle = [run_own(idle_argv) for _ in range(runs)]


def median(values):
    return statistics.median(values)


def cell(values):
    return f"{median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


print(f"{'measure (medians, min–max)':<52} {'wall s':>21} {'CPU s':>21}  goal")
for row, _, _ in commands:
    walls, cpus = zip(*times[row])
    print(f"{row:<52} {cell(walls):>21} {cell(cpus):>21}")
xargs_row, floor_row, pool_row = (row for row, _, _ in commands)
for name, ref_row, goal in (("pool-run / xargs -P", xargs_row, 0.75),
                            ("pool-run / spawn-floor", floor_row, 1.2)):
    wall = median(w for w, _ in times[pool_row]) / median(w for w, _ in times[ref_row])
    cpu = median(c for _, c in times[pool_row]) / median(c for _, c in times[ref_row])
    verdict = "met" if wall <= goal and cpu <= goal else "not met"
    print(f"{name:<52} {wall:>21.2f} {cpu:>21.2f}  ≤ {goal} ({verdict})")
walls, owns = zip(*idle)
print(f"{idle_row + ', own CPU':<52} {cell(walls):>21} {cell(owns):>21}  near 0")
EOF
}

[ -z "$do_times" ] || part_times
[ -z "$do_cpu" ] || part_cpu
[ -z "$do_goals" ] || part_goals
