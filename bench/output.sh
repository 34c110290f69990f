#!/usr/bin/env bash
# bench/output.sh: 100 MB of job output through each of pool-run's output modes, against cat.
#
#   bench/output.sh [--runs N] [--mb N]
#
# One job, `cat FILE`, whose output (text: base64 lines of 100 bytes, so a million lines)
# goes to a reader, `cat > /dev/null`. The reference is cat itself writing FILE to the same
# reader; each mode of pool-run is timed against it (goal: at most 1.3 times); --results, which
# writes files, against cat writing FILE to a file. Environment:
# BUILD (build directory, default ./build); BEFORE (another build directory: its pool-run is
# timed too, each mode beside BUILD's, in the same invocation). Needs hyperfine. See
# bench/README.md.

set -euo pipefail

runs=5
mb=100
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --mb) mb="${2:?--mb needs a number}"; shift ;;
    -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "output.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

BUILD="${BUILD:-./build}"
pool_run="$(cd "$BUILD" && pwd)/src/cli/pool-run"
export POOL_MONITOR_BUILD_DIR="$(cd "$BUILD" && pwd)"
command -v hyperfine >/dev/null || { echo "output.sh: hyperfine is needed" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
file="$work/out.txt"
# base64 is cut short by the last head (SIGPIPE): not an error here
{ head -c $((mb * 1000000 * 3 / 4 + 100)) /dev/urandom | base64 -w 99 | head -c $((mb * 1000000)) > "$file"; } || true

runs_of=("$pool_run")
names=("pool-run")
if [ -n "${BEFORE:-}" ]; then
  runs_of=("$(cd "$BEFORE" && pwd)/src/cli/pool-run" "$pool_run")
  names=("before" "after")
fi
args=(--runs "$runs" --warmup 1 --style basic --export-json "$work/times.json"
      -n "cat" "cat '$file' | cat > /dev/null")
for mode in "" "--group" "--ungroup" "--keep-order" "--tag" "--group --keep-order"; do
  for i in "${!runs_of[@]}"; do
    args+=(-n "${names[$i]} ${mode:-(line)}"
           "'${runs_of[$i]}' --no-summary -j 1 $mode cat {} ::: '$file' | cat > /dev/null")
  done
done
for i in "${!runs_of[@]}"; do
  args+=(-n "${names[$i]}, no output (true)"
         "'${runs_of[$i]}' --no-summary -j 1 true {} ::: '$file' | cat > /dev/null")
done
# The fixed cost of a run, beside a process started directly and through xargs
args+=(-n "true, directly" "true '$file' | cat > /dev/null")
args+=(-n "xargs -P 1 true" "echo '$file' | xargs -P 1 true | cat > /dev/null")
# --results writes files: its reference is cat writing FILE to a file, overwritten at each run
# as the results files are (the truncation of the last run's 100 MB is part of both)
mkdir -p "$work/cat-file"
args+=(-n "cat > file" "cat '$file' > '$work/cat-file/stdout'")
for i in "${!runs_of[@]}"; do
  args+=(-n "${names[$i]} --results"
         "'${runs_of[$i]}' --no-summary -j 1 --results '$work/res$i' cat {} ::: '$file'")
done
hyperfine "${args[@]}" > "$work/hyperfine.txt"

python3 - "$work/times.json" "$mb" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
def reference(r):
    # cat | cat for the modes that write to the reader; cat > file for --results
    ref = results[0]
    if "--results" in r["command"]:
        ref = next(x for x in results if x["command"] == "cat > file")
    return statistics.median(ref["times"]), ref["user"] + ref["system"]
print(f"{sys.argv[2]} MB of job output: wall s, median of {len(results[0]['times'])} runs (min–max); "
      f"CPU s, user + sys of the whole pipeline, mean")
print(f"{'command':<30} {'wall s':>22} {'/ cat':>6} {'CPU s':>6} {'/ cat':>6}  goal (wall)")
for r in results:
    t = r["times"]
    cpu = r["user"] + r["system"]
    base, base_cpu = reference(r)
    ratio = statistics.median(t) / base
    goal = "" if r is results[0] or r["command"].startswith(("true", "xargs", "cat")) else \
        ("≤ 1.3: met" if ratio <= 1.3 else "≤ 1.3: not met")
    print(f"{r['command']:<30} {statistics.median(t):>8.3f} ({min(t):.3f}–{max(t):.3f}) "
          f"{ratio:>6.2f} {cpu:>6.2f} {cpu / base_cpu:>6.2f}  {goal}")
PY
