#!/usr/bin/env bash
# bench/run.sh: time pool-run against xargs -P, GNU parallel, a bare GSubprocess loop and Python
# multiprocessing, then measure the CPU pool-run itself uses while its workers sleep.
#
#   bench/run.sh [--quick] [--runs N] [--json FILE] [--no-cpu]
#
# Environment: BUILD (build directory, default ./build), JOBS (default 2000), SLOTS (default 8),
# PYTHON (default: the interpreter python3 resolves to, bypassing version-manager shims).
# See bench/README.md.

set -euo pipefail

usage ()
{
  sed -n '2,9s/^# \{0,1\}//p' "$0"
  cat <<'EOF'

  --quick      2 timed runs per command instead of 5
  --runs N     N timed runs per command (after 1 warm-up run)
  --json FILE  keep hyperfine's JSON export in FILE
  --no-cpu     skip part 2 (pool-run's own CPU use over its ~10 s demo)
EOF
}

runs=5
keep_json=
do_cpu=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) runs=2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --runs=*) runs="${1#--runs=}" ;;
    --json) keep_json="${2:?--json needs a file}"; shift ;;
    --json=*) keep_json="${1#--json=}" ;;
    --no-cpu) do_cpu= ;;
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
loop="$BUILD/bench/gsubprocess-loop"

# --- tools -----------------------------------------------------------------------------------

apt_install ()
{
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "run.sh: installing $* with apt-get" >&2
  $sudo apt-get install -y "$@" >&2
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

cmds=()
names=()
reference=pool-run
if [ -x "$pool_run" ]; then
  names+=("pool-run")
  cmds+=("$(q "$pool_run") -j $SLOTS --quiet -a $(q "$args") -- /bin/true")
  # Where the time goes: the same without the exec shim that gives each job its own process
  # group and kills it with the pool (a diagnostic, not a way to run).
  names+=("pool-run, no shim")
  cmds+=("env POOL_MONITOR_NO_EXEC_SHIM=1 $(q "$pool_run") -j $SLOTS --quiet -a $(q "$args") -- /bin/true")
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

# --- part 2: pool-run's own CPU over its default demo ----------------------------------------

[ -n "$do_cpu" ] || exit 0
echo
echo "== CPU used by pool-run over its default demo (15 sleeping workers, ~10 s) =="
if [ ! -x "$pool_run" ]; then
  echo "run.sh: SKIPPING: $pool_run not found." >&2
  exit 0
fi
/usr/bin/time -f '%U %S %e' -o "$tmp/time.txt" "$pool_run" --quiet
read -r user sys wall <"$tmp/time.txt"
awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN {
  cpu = u + s
  printf "user %.2f s + sys %.2f s = %.2f s CPU over %.2f s wall (%.1f%% of one core)\n",
         u, s, cpu, w, (w > 0 ? 100 * cpu / w : 0)
}'
echo "(includes the 15 pool-worker children: /usr/bin/time counts reaped descendants)"
