#!/usr/bin/env bash
# bench/output-cpu.sh: the CPU time of 100 MB of job output through each of pool-run's output
# modes, against `cat FILE | cat` measured in the same invocation.
#
#   bench/output-cpu.sh [--rounds N] [--runs N] [--mb N] [--cpu N]
#
# As bench/output.sh (one job, `cat FILE`, a million base64 lines of 100 bytes, read by
# `cat > /dev/null`), but timed with `perf stat -e task-clock` (CPU of the whole pipeline,
# which the load of a shared machine disturbs less than wall time) instead of hyperfine. Each
# round times the reference, BEFORE's pool-run (when given) and BUILD's, --runs times each, in
# turn; the table gives the median of the rounds' means, and its ratio to the median of all the
# reference's rounds in the invocation (--results, which writes files: to `cat FILE > file` of
# its own rounds). --cpu N runs every pipeline on CPU N alone (taskset): the figures then
# scatter far less (on 2 shared cores, `cat | cat` took 47-49 ms pinned, 63-74 ms not), but the
# processes never run at once.
# Environment: BUILD (default ./build), BEFORE (another build directory). See bench/README.md.

set -euo pipefail

rounds=5
runs=3
mb=100
pin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="${2:?--rounds needs a number}"; shift ;;
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --mb) mb="${2:?--mb needs a number}"; shift ;;
    --cpu) pin="taskset -c ${2:?--cpu needs a number}"; shift ;;
    -h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "output-cpu.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

command -v perf >/dev/null || { echo "output-cpu.sh: perf is needed" >&2; exit 2; }
builds=("$(cd "${BUILD:-./build}" && pwd)")
names=("after")
if [ -n "${BEFORE:-}" ]; then
  builds=("$(cd "$BEFORE" && pwd)" "${builds[0]}")
  names=("before" "after")
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
file="$work/out.txt"
{ head -c $((mb * 1000000 * 3 / 4 + 100)) /dev/urandom | base64 -w 99 | head -c $((mb * 1000000)) > "$file"; } || true

# The CPU ms of one pipeline, the mean of --runs runs
cpu_ms () {
  perf stat -r "$runs" -e task-clock -x, $pin bash -c "$1" 2>&1 >/dev/null |
    awk -F, '/task-clock/ { print $1 }'
}

for mode in "(line)" "--group" "--ungroup" "--keep-order" "--tag" "--group --keep-order" \
            "--results" "true"; do
  for round in $(seq "$rounds"); do
    echo "cat|$mode|$(cpu_ms "cat '$file' | cat > /dev/null")" >> "$work/ms"
    # --results writes files: cat writing FILE to a file (overwritten each run, as they are)
    [ "$mode" = --results ] &&
      echo "catfile|$mode|$(cpu_ms "cat '$file' > '$work/cat-file'")" >> "$work/ms"
    for i in "${!builds[@]}"; do
      run="POOL_MONITOR_BUILD_DIR='${builds[$i]}' '${builds[$i]}/src/cli/pool-run' --no-summary -j 1"
      case "$mode" in
        "(line)") cmd="$run cat {} ::: '$file' | cat > /dev/null" ;;
        --results) cmd="$run --results '$work/res$i' cat {} ::: '$file'" ;;
        true) cmd="$run true {} ::: '$file' | cat > /dev/null" ;;
        *) cmd="$run $mode cat {} ::: '$file' | cat > /dev/null" ;;
      esac
      echo "${names[$i]}|$mode|$(cpu_ms "$cmd")" >> "$work/ms"
    done
  done
done

# Ratios to the median of every `cat | cat` of the invocation (each mode's own few scatter
# as much as the modes do on a loaded machine); each mode's own is shown beside it
python3 - "$work/ms" "$mb" "$rounds" "$runs" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
modes = list(dict.fromkeys(r[1] for r in rows))
def times(name, mode=None):
    return [float(r[2]) for r in rows if r[0] == name and (mode is None or r[1] == mode)]
base = statistics.median(times("cat"))
print(f"{sys.argv[2]} MB, one job: CPU ms of the pipeline, median of {sys.argv[3]} rounds of "
      f"{sys.argv[4]} runs (min–max), / the median cat | cat of all rows, {base:.1f} ms "
      f"({min(times('cat')):.0f}–{max(times('cat')):.0f})")
for mode in modes:
    cols = [f"{mode:<22} cat | cat {statistics.median(times('cat', mode)):6.1f}"]
    ref = base
    if times("catfile", mode):
        ref = statistics.median(times("catfile", mode))
        cols.append(f"cat > file {ref:6.1f}, the reference of this row")
    for name in ("before", "after"):
        t = times(name, mode)
        if t:
            m = statistics.median(t)
            cols.append(f"{name} {m:6.1f} ({min(t):.0f}–{max(t):.0f}) {m / ref:5.2f}")
    print("   ".join(cols))
PY
