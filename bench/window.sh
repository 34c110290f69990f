#!/usr/bin/env bash
# bench/window.sh: the window at scale, under Xvfb (see bench/README.md, "The window at scale").
#
#   bench/window.sh [--runs N] [--quick] [--shots DIR] [--cpus LIST]
#
#   (a) JOBS /bin/true at limit SLOTS in the window against pool-run, both at its fastest
#       (--quiet) and doing the window's work (output read, joblog and event log written): wall
#       times, their ratios, and the intervals between the window's frames while the run is
#       active.
#   (b) A saved run of ROWS finished jobs opened read-only: resident memory once loaded, then two
#       sorts and scrolling driven with xdotool while frame intervals are recorded; screenshots.
#
# --cpus LIST runs everything (pool-run, Xvfb, the window, the jobs) on those CPUs only
# (taskset -c LIST): --cpus 0 is a machine with half the CPU, where the jobs leave the window
# less of it.
#
# Environment: BUILD (build directory, default ./build), JOBS (default 10000), SLOTS (default 8),
# ROWS (default 100000).

set -euo pipefail

runs=5
shots=
cpus=
inside=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift ;;
    --runs=*) runs="${1#--runs=}" ;;
    --quick) runs=2 ;;
    --shots) shots="${2:?--shots needs a directory}"; shift ;;
    --shots=*) shots="${1#--shots=}" ;;
    --cpus) cpus="${2:?--cpus needs a CPU list, as taskset -c takes}"; shift ;;
    --cpus=*) cpus="${1#--cpus=}" ;;
    --inside-x) inside="${2:?}"; shift ;;   # internal: the part that runs under xvfb-run
    -h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "window.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$runs" in
  ''|*[!0-9]*|0|1) echo "window.sh: --runs must be a number of at least 2" >&2; exit 2 ;;
esac
if [ -n "$cpus" ] && [ -z "$inside" ]; then
  taskset -c "$cpus" true || { echo "window.sh: --cpus $cpus: not a CPU list taskset takes" >&2; exit 2; }
  # Everything started from here on, the part under Xvfb included, inherits the CPU list.
  taskset -pc "$cpus" $$ >/dev/null
fi

BUILD="$(cd "${BUILD:-./build}" && pwd)"
JOBS="${JOBS:-10000}"
SLOTS="${SLOTS:-8}"
ROWS="${ROWS:-100000}"
monitor="$BUILD/src/app/pool-monitor"
pool_run="$BUILD/src/cli/pool-run"
export POOL_MONITOR_BUILD_DIR="$BUILD"
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

# The line the window prints with POOL_MONITOR_QUIT_AT_END=1 (src/app/window/pm-window.c, quit_if_asked):
#   pool-monitor: N jobs, F failed, T s; K frame intervals: p50 A ms, p99 B ms, max C ms
frames_re='([0-9]+) frame intervals: p50 ([0-9]+) ms, p99 ([0-9]+) ms, max ([0-9.]+) ms'
quit_re='pool-monitor: ([0-9]+) jobs, ([0-9]+) failed, ([0-9.]+) s; ([0-9]+) frame intervals: p50 ([0-9]+) ms, p99 ([0-9]+) ms, max ([0-9.]+) ms'
# and, where the kernel keeps scheduler statistics, how the main thread spent the run:
#   ...; main thread C ms on a CPU, W ms waiting for one; ...
sched_re='main thread ([0-9]+) ms on a CPU, ([0-9]+) ms waiting for one'

# --- under Xvfb ------------------------------------------------------------------------------

# (a) Each run: the window starts the run as it opens and quits when it ends.
inside_live ()
{
  local out="$1" i line
  for i in $(seq 1 "$runs"); do
    POOL_MONITOR_AUTOSTART=1 POOL_MONITOR_QUIT_AT_END=1 \
      /usr/bin/time -f '%e %M' -o "$tmp/time.txt" "$monitor" >"$tmp/live.out" 2>"$tmp/live.err" || true
    line="$(grep -E "$quit_re" "$tmp/live.out" || true)"
    if [[ "$line" =~ $quit_re ]]; then
      local fields=("${BASH_REMATCH[@]:1:7}") on_cpu=nan waiting=nan
      [[ "$line" =~ $sched_re ]] && on_cpu="${BASH_REMATCH[1]}" waiting="${BASH_REMATCH[2]}"
      read -r wall maxrss <"$tmp/time.txt"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${fields[0]}" "${fields[1]}" \
        "${fields[2]}" "$wall" "$maxrss" "${fields[3]}" "${fields[4]}" "${fields[5]}" \
        "${fields[6]}" "$on_cpu" "$waiting" >>"$out"
      echo "  window run $i: $line; wall ${wall} s" >&2
    else
      echo "  window run $i: no report line; stderr:" >&2
      tail -5 "$tmp/live.err" >&2
    fi
  done
}

rss_kb ()
{
  awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# (b) Each run: open the log, wait until it is shown and the memory settles, then record frames
# over two sorts and a scroll, and report each (SIGUSR1 between phases; SIGUSR2 at the end quits).
inside_rows ()
{
  local out="$1" i pid win t0 ready rss prev x y w h line rss_after
  for i in $(seq 1 "$runs"); do
    POOL_MONITOR_QUIT_AT_END=1 "$monitor" "$tmp/rows.tsv" >"$tmp/rows.out" 2>"$tmp/rows.err" &
    pid=$!
    t0=$(date +%s%N)
    win=
    prev=-1
    for _ in $(seq 1 240); do
      sleep 0.25
      [ -n "$win" ] || win="$(xdotool search --onlyvisible --pid "$pid" 2>/dev/null | head -1 || true)"
      rss="$(rss_kb "$pid")"
      if [ -n "$win" ] && [ "$rss" -eq "$prev" ]; then break; fi
      prev="$rss"
    done
    ready=$(( ($(date +%s%N) - t0) / 1000000 ))
    sleep 1
    rss="$(rss_kb "$pid")"
    eval "$(xdotool getwindowgeometry --shell "$win")"   # X Y WIDTH HEIGHT
    x="$X"; y="$Y"
    # Where the column headers are with the layout set up in main (1280×800, timeline 300 px).
    local hy=$((y + 458)) elapsed_x=$((x + 698)) list_x=$((x + 450)) list_y=$((y + 650))
    # The job list's scroll bar, beside the rows, left of the details pane.
    local bar_x=$((x + 1054)) bar_top=$((y + 485)) bar_bottom=$((y + 785)) step
    [ "$i" -eq 1 ] && [ -n "$shots" ] && import -window root "$shots/rows-loaded.png"

    # Frames are reported per phase: each SIGUSR1 reports what came since the last one.
    kill -USR1 "$pid"
    sleep 0.5
    xdotool mousemove "$elapsed_x" "$hy" click 1          # sort by Elapsed, ascending
    sleep 3
    [ "$i" -eq 1 ] && [ -n "$shots" ] && import -window root "$shots/rows-sorted.png"
    kill -USR1 "$pid"
    sleep 0.5
    xdotool click 1                                         # and descending
    sleep 3
    [ "$i" -eq 1 ] && [ -n "$shots" ] && import -window root "$shots/rows-sorted-desc.png"
    kill -USR1 "$pid"
    sleep 0.5
    xdotool mousemove "$list_x" "$list_y"
    xdotool click --repeat 300 --delay 8 5                  # wheel down
    xdotool click --repeat 100 --delay 8 4                  # wheel up a little
    sleep 1
    kill -USR1 "$pid"
    sleep 0.5
    xdotool click 1                                         # select a row, for the keys
    sleep 1                                                 # (the details pane fills)
    kill -USR1 "$pid"
    sleep 0.5
    xdotool key --delay 30 Page_Down Page_Down Page_Down Page_Down Page_Down End Home End
    xdotool mousemove "$bar_x" "$bar_bottom" mousedown 1    # drag the scroll bar to the top
    for step in $(seq 1 30); do
      xdotool mousemove "$bar_x" $((bar_bottom - step * (bar_bottom - bar_top) / 30)); sleep 0.02
    done
    xdotool mouseup 1
    sleep 1
    [ "$i" -eq 1 ] && [ -n "$shots" ] && import -window root "$shots/rows-scrolled.png"
    rss_after="$(rss_kb "$pid")"
    kill -USR2 "$pid"
    wait "$pid" || true
    # Four "so far" lines (the sorts, the wheel, the click), then the quit line (keys, drag).
    local phases=() l
    while IFS= read -r l; do
      [[ "$l" =~ $frames_re ]] && phases+=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}")
    done <"$tmp/rows.out"
    line="$(grep -E "$quit_re" "$tmp/rows.out" || true)"
    if [[ "$line" =~ $quit_re ]] && [ "${#phases[@]}" -eq 20 ]; then
      { printf '%s\t%s\t%s\t%s' "${BASH_REMATCH[1]}" "$ready" "$rss" "$rss_after"
        printf '\t%s' "${phases[@]}"; echo; } >>"$out"
      echo "  rows run $i: ready after ~${ready} ms, VmRSS ${rss} kB loaded, ${rss_after} kB after sorts+scroll" >&2
      sed 's/^/    /' "$tmp/rows.out" >&2
    else
      echo "  rows run $i: no report lines; stdout and stderr:" >&2
      cat "$tmp/rows.out" >&2
      tail -5 "$tmp/rows.err" >&2
    fi
  done
}

if [ -n "$inside" ]; then
  tmp="$inside"
  inside_live "$tmp/live.tsv"
  inside_rows "$tmp/rows.tsv.results"
  exit 0
fi

# --- main ------------------------------------------------------------------------------------

for tool in xvfb-run:xvfb xdotool:xdotool hyperfine:hyperfine import:imagemagick /usr/bin/time:time \
            gsettings:libglib2.0-bin python3:python3; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "window.sh: installing ${tool#*:} with apt-get" >&2
    $sudo apt-get update -q >&2 && $sudo apt-get install -y "${tool#*:}" >&2
  fi
done
for f in "$monitor" "$pool_run" "$BUILD/data/gschemas.compiled"; do
  [ -e "$f" ] || { echo "window.sh: $f is missing: build first (meson setup $BUILD && ninja -C $BUILD)" >&2; exit 1; }
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/window-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
[ -n "$shots" ] && mkdir -p "$shots" && shots="$(cd "$shots" && pwd)"

# Settings in a keyfile of our own: the schema from the build tree, nothing written to dconf.
export XDG_CONFIG_HOME="$tmp/config" GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$BUILD/data"
export GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1
schema=io.github.poolmonitor.PoolMonitor
gsettings set $schema mode template
gsettings set $schema template /bin/true
gsettings set $schema args-source count
gsettings set $schema count "$JOBS"
gsettings set $schema limit "$SLOTS"
gsettings set $schema window-width 1280
gsettings set $schema window-height 800
gsettings set $schema window-maximized false
gsettings set $schema timeline-height 300
gsettings set $schema show-settings false
gsettings set $schema state-filter all

# A saved run of ROWS finished jobs in our joblog format, scheduled on SLOTS slots: runtimes of
# 2–52 ms, one job in fifty failed.
awk -v N="$ROWS" -v S="$SLOTS" 'BEGIN {
  srand(42); base = 1795600000.000;
  printf "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tSlot\tPID\tQueued\tEnd\tAttempt\tState\tName\n";
  for (s = 1; s <= S; s++) free[s] = base;
  for (i = 1; i <= N; i++) {
    b = 1; for (s = 2; s <= S; s++) if (free[s] < free[b]) b = s;
    start = free[b] + 0.0005; rt = 0.002 + rand() * rand() * 0.05; free[b] = start + rt;
    ex = rand() < 0.02;
    printf "%d\t:\t%.3f\t%10.3f\t0\t0\t%d\t0\t/bin/true %d\t%d\t%d\t%.3f\t%.3f\t1\t%s\t%d\n",
           i, start, rt, ex, i, b, 20000 + i, base, free[b], ex ? "failed" : "succeeded", i;
  } }' >"$tmp/rows.tsv"

src="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["directories"]["source"])' \
        "$BUILD/meson-info/meson-info.json" 2>/dev/null || echo '?')"
echo "== machine: $(nproc) cores${cpus:+ (of $(nproc --all): --cpus $cpus)}; GTK $(pkg-config --modversion gtk4 2>/dev/null || echo '?'), GLib $(pkg-config --modversion glib-2.0 2>/dev/null || echo '?'); commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo "? ($src is not a git checkout)"); load $(cut -d' ' -f1-3 /proc/loadavg)"
# Two baselines: pool-run at its fastest (--quiet: the jobs' output is not even read), and
# pool-run doing what the window does in a run: it reads the jobs' output and writes a joblog
# and an event log as the run goes.
mkdir -p "$tmp/logs"
same_work="$pool_run -j $SLOTS --count $JOBS --joblog $tmp/logs/joblog.tsv --events $tmp/logs/events.jsonl -- /bin/true"
echo "== (a) pool-run: $JOBS × /bin/true at -j $SLOTS, hyperfine, 1 warm-up + $runs runs each:"
echo "       --quiet, and with output read and both logs written"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$tmp/pool-run.json" \
  "$pool_run -j $SLOTS --quiet --count $JOBS -- /bin/true"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$tmp/pool-run-logs.json" "$same_work"
# The joblog has a header and a line per job: a run that made no jobs (an option read another way
# than this script means it) must not pass for a fast one.
logged=$(($(wc -l <"$tmp/logs/joblog.tsv") - 1))
if [ "$logged" -ne "$JOBS" ]; then
  echo "window.sh: pool-run ran $logged jobs, not $JOBS: the baseline is not the same work" >&2
  exit 1
fi
echo "== (a) window: the same run, $runs times; (b) $ROWS saved rows, $runs times (under Xvfb)"
export BUILD JOBS SLOTS ROWS
: >"$tmp/live.tsv"; : >"$tmp/rows.tsv.results"
xvfb-run -a -s "-screen 0 1600x1000x24" "$self" --runs "$runs" ${shots:+--shots "$shots"} --inside-x "$tmp"
echo "== (a) pool-run again, after the window runs"
hyperfine -N --runs "$runs" --export-json "$tmp/pool-run2.json" \
  "$pool_run -j $SLOTS --quiet --count $JOBS -- /bin/true" >/dev/null
hyperfine -N --runs "$runs" --export-json "$tmp/pool-run-logs2.json" "$same_work" >/dev/null
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$tmp" "$JOBS" "$SLOTS" "$ROWS" <<'EOF'
import json, statistics as st, sys
tmp, jobs, slots, rows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def times(*files):
    t = []
    for f in files:
        t += json.load(open(f"{tmp}/{f}"))["results"][0]["times"]
    return t
pr = times("pool-run.json", "pool-run2.json")
prl = times("pool-run-logs.json", "pool-run-logs2.json")
live = [l.split("\t") for l in open(f"{tmp}/live.tsv").read().splitlines()]
rws = [l.split("\t") for l in open(f"{tmp}/rows.tsv.results").read().splitlines()]
def col(t, i): return [float(r[i]) for r in t]
def spread(v, fmt="{:.2f}"):
    if not v: return "—"
    return (fmt + " (" + fmt + "–" + fmt + ")").format(st.median(v), min(v), max(v))
print()
print("median (min–max) over the runs")
print(f"| {'measure':<58} | {'value':<28} | goal |")
print(f"|{'-'*60}|{'-'*30}|------|")
def row(name, value, goal=""):
    print(f"| {name:<58} | {value:<28} | {goal} |")
row(f"pool-run {jobs} × /bin/true -j {slots}, wall s ({len(pr)} runs)", spread(pr))
row(f"same, reading output, writing joblog + event log, wall s", spread(prl))
if live:
    el, wall = col(live, 2), col(live, 3)
    row(f"window, same run: run elapsed s ({len(live)} runs)", spread(el))
    row("window, same run: process wall s (start-up to exit)", spread(wall))
    m = st.median(pr)
    row("ratio window run elapsed / pool-run median", spread([e / m for e in el]), "≤ 1.15")
    row("ratio window process wall / pool-run median", spread([w / m for w in wall]), "≤ 1.15")
    ml = st.median(prl)
    row("ratio window run elapsed / pool-run with logs", spread([e / ml for e in el]), "")
    row("ratio window process wall / pool-run with logs", spread([w / ml for w in wall]), "")
    row("window max RSS, MB", spread([k / 1024 for k in col(live, 4)], "{:.0f}"))
    row("frames painted while the run was active", spread(col(live, 5), "{:.0f}"))
    row("frame interval p50, ms", spread(col(live, 6), "{:.0f}"))
    row("frame interval p99, ms", spread(col(live, 7), "{:.0f}"))
    row("frame interval max, ms", spread(col(live, 8), "{:.0f}"), "< 50")
    if all(r[9] != "nan" for r in live):
        row("main thread during the run: on a CPU, s", spread([v / 1000 for v in col(live, 9)]))
        row("main thread: ready to run, waiting for a CPU, s", spread([v / 1000 for v in col(live, 10)]))
    failed = sum(int(r[1]) for r in live)
    if failed: row("failed jobs in the window runs (all runs)", str(failed), "0")
if rws:
    row(f"{rows} saved rows: shown and settled after, s (0.25 s polls)", spread([v / 1000 for v in col(rws, 1)]))
    row("VmRSS once loaded, MB", spread([k / 1024 for k in col(rws, 2)], "{:.0f}"), "< 300")
    row("VmRSS after two sorts and scrolling, MB", spread([k / 1024 for k in col(rws, 3)], "{:.0f}"), "< 300")
    for k, phase in enumerate(("sort by Elapsed, ascending", "sort again, descending", "wheel: 300 down, 100 up",
                              "click a row (the details pane fills)",
                              "PgDn ×5, End, Home, End, drag the bar up")):
        base = 4 + 4 * k
        row(f"{phase}: frames", spread(col(rws, base), "{:.0f}"))
        row(f"{phase}: interval p50 / p99, ms", spread(col(rws, base + 1), "{:.0f}") + " / " + spread(col(rws, base + 2), "{:.0f}"))
        row(f"{phase}: interval max, ms", spread(col(rws, base + 3), "{:.0f}"), "< 50")
EOF
[ -z "$shots" ] || echo "screenshots in $shots (rows-loaded, rows-sorted, rows-sorted-desc, rows-scrolled)"
