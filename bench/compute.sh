#!/usr/bin/env bash
# bench/compute.sh: the demo computing (issue 19): how much longer on the clock than planned each
# `pool-worker --work cpu` job takes at limits 1, 2 and 5 on this machine's cores. With L jobs at
# once on C free cores each should take about max (1, L / C) times its planned seconds (2.5 at 5
# on 2); whatever else runs on the machine stretches them further, so the load average before
# and after is printed beside the figures.
#
#   bench/compute.sh [JOBS [SECONDS]]   (defaults 10 1: ten jobs of one second of CPU each)
#
# Environment: BUILD (default ./build), LIMITS (default "1 2 5"). See bench/README.md.

set -euo pipefail

JOBS="${1:-10}"
SECONDS_EACH="${2:-1}"
BUILD="${BUILD:-./build}"
LIMITS="${LIMITS:-1 2 5}"
pool_run="$BUILD/src/cli/pool-run"
export POOL_MONITOR_BUILD_DIR="$(cd "$BUILD" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cores=$(nproc)
echo "nproc $cores, $JOBS jobs of $SECONDS_EACH s CPU each"
printf '%-6s %-10s %-14s %-14s %-8s %s\n' limit expected "median ratio" "min-max" makespan "load before/after"
for limit in $LIMITS; do
  before=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$pool_run" -j "$limit" --work cpu --count "$JOBS" --sleep-min "$SECONDS_EACH" \
    --sleep-max "$SECONDS_EACH" --quiet --joblog "$tmp/joblog" >/dev/null 2>"$tmp/summary" ||
    { cat "$tmp/summary" >&2; exit 1; }
  end=$(date +%s.%N)
  after=$(cut -d' ' -f1 /proc/loadavg)
  # JobRuntime (column 4) over the planned seconds in the command's --sleep
  python3 - "$tmp/joblog" "$limit" "$cores" "$start" "$end" "$before/$after" <<'PY'
import re, statistics, sys
path, limit, cores, start, end, load = sys.argv[1:]
ratios = []
for line in open(path).readlines()[1:]:
    cols = line.rstrip("\n").split("\t")
    planned = re.search(r"--sleep ([0-9.]+)", cols[8])
    if planned and float(planned.group(1)) > 0:
        ratios.append(float(cols[3]) / float(planned.group(1)))
expected = max(1.0, int(limit) / int(cores))
print("%-6s %-10.2f %-14.2f %-14s %-8.1f %s" % (limit, expected, statistics.median(ratios),
      "%.2f-%.2f" % (min(ratios), max(ratios)), float(end) - float(start), load))
PY
  rm -f "$tmp/joblog"
done
