#!/bin/bash
# Installed means installed: configure this source with a temporary prefix, meson install,
# move the build tree away, and run the installed programs under strace. Every program they
# start and every file they open must be in the prefix or in the system (/usr, /etc, /lib,
# /proc, /sys, /dev); a path into the moved build tree, or anywhere else, fails the test.
#   $1: the source tree   $2: gui: whether pool-monitor is built (true or false)
set -euo pipefail

src=$1
gui=${2:-true}
command -v strace >/dev/null || { echo "strace not found"; exit 77; }
strace -f -qq -o /dev/null true 2>/dev/null || { echo "strace cannot trace here"; exit 77; }

tmp=$(mktemp -d /tmp/pm-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
build=$tmp/build
unset POOL_MONITOR_BUILD_DIR POOL_MONITOR_LOCALEDIR GSETTINGS_SCHEMA_DIR

echo "== meson setup --prefix $prefix; install"
meson setup "$build" "$src" --prefix "$prefix" -Dgui="$gui" -Dbuildtype=plain >"$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log"; exit 1; }
ninja -C "$build" >"$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log"; exit 1; }
meson install -C "$build" --quiet --no-rebuild >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; exit 1; }
mv "$build" "$tmp/moved-away"

fails=0
allowed ()
{
  case $1 in
    "$prefix"/*) return 0 ;;
    /usr/* | /etc/* | /lib/* | /lib64/* | /proc/* | /sys/* | /dev/*) return 0 ;;
    *) return 1 ;;
  esac
}

# run NAME COMMAND...: under strace, in an empty folder; the paths it execs and opens.
run ()
{
  local name=$1
  shift
  mkdir -p "$tmp/cwd-$name"
  (cd "$tmp/cwd-$name" &&
     strace -f -qq -e trace=execve,openat -o "$tmp/$name.strace" "$@" >"$tmp/$name.out" 2>&1) || {
    echo "FAIL: $name exited with status $?:"
    cat "$tmp/$name.out"
    fails=$((fails + 1))
    return 0
  }
  local outside=0 path
  while read -r path; do
    if ! allowed "$path"; then
      echo "FAIL: $name used $path"
      outside=$((outside + 1))
    fi
  done < <(sed -n 's/.*\(execve\|openat\)([^"]*"\([^"]*\)".*/\2/p' "$tmp/$name.strace" | sort -u)
  fails=$((fails + outside))
  echo "$name: $(sed -n 's/.*\(execve\|openat\)([^"]*"\([^"]*\)".*/\2/p' "$tmp/$name.strace" |
                   sort -u | wc -l) paths, $outside outside the prefix and the system"
}

run pool-run-version "$prefix/bin/pool-run" --version
run pool-run-help "$prefix/bin/pool-run" --help
# The demo through the installed pool-slot and pool-worker: 3 workers, 2 at a time, no sleep.
run pool-run-demo "$prefix/bin/pool-run" -j 2 -n 3 --sleep-min 0 --sleep-max 0
grep -qx 'Started worker computer_2' "$tmp/pool-run-demo.out" ||
  { echo "FAIL: the demo did not run"; cat "$tmp/pool-run-demo.out"; fails=$((fails + 1)); }
for helper in pool-slot pool-worker; do
  grep -q "execve(\"$prefix/libexec/pool-monitor/$helper\"" "$tmp/pool-run-demo.strace" ||
    { echo "FAIL: the demo did not run $prefix/libexec/pool-monitor/$helper"; fails=$((fails + 1)); }
done
if [ "$gui" = true ]; then
  run pool-monitor-version "$prefix/bin/pool-monitor" --version
  run pool-monitor-help "$prefix/bin/pool-monitor" --help
fi

# Nothing compiled in points at the build tree.
if grep -rl --binary-files=binary -F "$build" "$prefix" 2>/dev/null; then
  echo "FAIL: installed files name the build tree $build"
  fails=$((fails + 1))
fi

[ "$fails" = 0 ] && echo "install-test: everything ran from $prefix and the system"
exit $((fails > 0))
