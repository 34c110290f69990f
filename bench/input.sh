#!/usr/bin/env bash
# bench/input.sh: pool-run's input (issue 15): peak RSS over a small and a large run of /bin/true
# (the large one should need no more memory: pool-run keeps counters, not finished jobs), with
# xargs -P and GNU parallel beside it, then the time from an argument line written to pool-run's
# standard input to its job's start.
#
#   bench/input.sh [SMALL [LARGE [PARALLEL_LARGE]]]   (defaults 2000 200000 20000)
#
# Environment: BUILD (default ./build), SLOTS (default 8), LINES (latency samples, default 40).
# On a machine shared with other work, `chrt -f 50 bench/input.sh` keeps the others' load out
# of the latency figures (every process of the bench then runs before theirs).
# GNU parallel takes about 100 times longer a job than pool-run here, so its large run is
# PARALLEL_LARGE jobs. See bench/README.md.

set -euo pipefail

SMALL="${1:-2000}"
LARGE="${2:-200000}"
PLARGE="${3:-20000}"
BUILD="${BUILD:-./build}"
SLOTS="${SLOTS:-8}"
LINES="${LINES:-40}"
pool_run="$BUILD/src/cli/pool-run"
export POOL_MONITOR_BUILD_DIR="$(cd "$BUILD" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Peak RSS in KiB of "$@" reading the numbers 1 … N on standard input
peak_rss ()
{
  local n="$1"; shift
  seq "$n" > "$tmp/args"
  /usr/bin/time -f '%M' -o "$tmp/rss" "$@" < "$tmp/args" > /dev/null 2>&1 || true
  cat "$tmp/rss"
}

echo "== peak RSS (KiB) of the launcher, /bin/true at $SLOTS at a time, arguments on stdin =="
printf '%-28s %10s %10s %8s\n' launcher "$SMALL" "$LARGE" ratio
row ()
{
  local name="$1" small="$2" large="$3"; shift 3
  local a b
  a=$(peak_rss "$small" "$@")
  b=$(peak_rss "$large" "$@")
  printf '%-28s %10s %10s %8s\n' "$name" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')"
}
row "pool-run -q" "$SMALL" "$LARGE" "$pool_run" -j "$SLOTS" -q -- /bin/true
row "xargs -P -n 1" "$SMALL" "$LARGE" xargs -P "$SLOTS" -n 1 /bin/true
if command -v parallel > /dev/null; then
  row "parallel ($PLARGE for large)" "$SMALL" "$PLARGE" parallel --will-cite -j "$SLOTS" /bin/true
fi

echo
echo "== from an argument line written to stdin to its job's start ($LINES lines, one at a time) =="
python3 - "$pool_run" "$LINES" <<'EOF'
import os, select, statistics, subprocess, sys, time

pool_run, lines = sys.argv[1], int(sys.argv[2])
# The job prints the clock as it starts (sh and date starting are in the figure).
job = ["sh", "-c", "date +%s%N", "sh"]   # the argument becomes $1, unused
launchers = [("pool-run -j 1", [pool_run, "-j", "1", "--"] + job)]
if subprocess.run(["sh", "-c", "command -v parallel"], capture_output=True).returncode == 0:
    launchers.append(("parallel -j 1", ["parallel", "--will-cite", "-j", "1"] + job))
# The floor: the same job started straight from here (a fork and two execs, sh and date)
floor = []
for i in range(lines):
    t0 = time.time_ns()
    out = subprocess.run(job, capture_output=True).stdout
    floor.append((int(out) - t0) / 1e6)
    time.sleep(0.02)
print(f"{'started directly':16} median {statistics.median(floor):7.2f} ms   max {max(floor):7.2f} ms")
for name, argv in launchers:
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    lat = []
    for i in range(lines):
        t0 = time.time_ns()
        p.stdin.write(b"x\n")
        p.stdin.flush()
        # GNU parallel may wait for more input before it starts a job: give each line 5 s
        if not select.select([p.stdout], [], [], 5)[0]:
            break
        out = p.stdout.readline()
        if not out:
            break
        lat.append((int(out) - t0) / 1e6)
        time.sleep(0.02)
    p.stdin.close()
    p.kill() if len(lat) < lines else p.wait()
    p.wait()
    if len(lat) < lines:
        print(f"{name:16} only {len(lat)} of {lines} jobs started before stdin ended")
    else:
        print(f"{name:16} median {statistics.median(lat):7.2f} ms   max {max(lat):7.2f} ms")
EOF
