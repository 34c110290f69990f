#!/bin/bash
# The Debian package, as a packager and a user meet it:
#   1. dpkg-buildpackage -b -us -uc in a clean copy of the tracked files;
#   2. lintian: no errors, no warnings (overrides only where debian/ explains them);
#   3. dpkg -i, into a throwaway root by default (an overlay of / in a mount namespace of its
#      own, so this machine is left as it was), or into this machine with --system (CI);
#   4. from /usr: pool-run from PATH runs the demo through /usr/libexec/pool-monitor/pool-slot
#      and pool-worker (strace shows which programs ran), pool-worker is not on PATH, the schema
#      is compiled where GSettings looks, the man pages open, and the window started from its
#      desktop file (under Xvfb, on a session bus of its own) registers its application ID.
# Needs root (dpkg -i, mount). Run by .ci/run; not by make check.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
mode=throwaway
[ "${1:-}" = --system ] && mode=system

if [ "$(id -u)" != 0 ]; then
  echo "package-test: needs root (dpkg -i, mount)"
  exit 77
fi
for tool in dpkg-buildpackage lintian strace xvfb-run dbus-run-session; do
  command -v "$tool" >/dev/null || { echo "package-test: $tool not found"; exit 77; }
done

tmp=$(mktemp -d /tmp/pm-package-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "== 1. build in a clean copy"
mkdir "$tmp/src"
git -C "$src" ls-files -z | (cd "$src" && tar --null -T - -cf -) | tar -x -C "$tmp/src"
(cd "$tmp/src" && dpkg-buildpackage -b -us -uc) > "$tmp/build.log" 2>&1 || {
  tail -40 "$tmp/build.log"
  echo "package-test: dpkg-buildpackage failed"
  exit 1
}
deb=$(ls "$tmp"/pool-monitor_*_*.deb)
echo "built $(basename "$deb")"

echo "== 2. lintian"
if ! lintian --fail-on error,warning "$deb" > "$tmp/lintian.txt" 2>&1; then
  cat "$tmp/lintian.txt"
  echo "package-test: lintian found errors or warnings"
  exit 1
fi
grep -v 'root privileges is not recommended' "$tmp/lintian.txt" || echo "lintian: clean"

# What runs inside the installed system.
cat > "$tmp/check.sh" <<'CHECK'
#!/bin/bash
set -euo pipefail
fail () { echo "FAIL: $*"; exit 1; }
unset POOL_MONITOR_BUILD_DIR GSETTINGS_SCHEMA_DIR POOL_MONITOR_LOCALEDIR
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

dpkg -i "$1" >/dev/null
echo "installed: $(dpkg-query -W -f='${Package} ${Version}' pool-monitor)"

[ "$(command -v pool-run)" = /usr/bin/pool-run ] || fail "pool-run is not /usr/bin/pool-run"
[ "$(command -v pool-monitor)" = /usr/bin/pool-monitor ] || fail "pool-monitor is not on PATH"
! command -v pool-worker >/dev/null || fail "pool-worker is on PATH"
for helper in pool-slot pool-worker; do
  [ -x /usr/libexec/pool-monitor/$helper ] || fail "no /usr/libexec/pool-monitor/$helper"
done
pool-run --version | head -1 | grep -qx 'pool-run (Pool Monitor) [0-9.]*' || fail "pool-run --version"
pool-monitor --version | head -1 | grep -qx 'pool-monitor (Pool Monitor) [0-9.]*' ||
  fail "pool-monitor --version"

# The demo, 3 workers 2 at a time, sleeping 0 s: every program it starts is an installed one.
out=$(cd / && strace -f -qq -e trace=execve -o /tmp/pm-execve.txt \
        pool-run -j 2 -n 3 --sleep-min 0 --sleep-max 0 2>/dev/null)
grep -qx 'Started worker computer_2' <<<"$out" || fail "the demo did not run: $out"
grep -o 'execve("[^"]*"' /tmp/pm-execve.txt | sort | uniq -c
grep -q 'execve("/usr/libexec/pool-monitor/pool-slot"' /tmp/pm-execve.txt || fail "no pool-slot"
grep -q 'execve("/usr/libexec/pool-monitor/pool-worker"' /tmp/pm-execve.txt || fail "no pool-worker"
if grep -o 'execve("[^"]*"' /tmp/pm-execve.txt |
     grep -v -e '"/usr/bin/pool-run"' -e '"/usr/libexec/pool-monitor/'; then
  fail "programs from elsewhere ran"
fi

gsettings get io.github.poolmonitor.PoolMonitor limit >/dev/null ||
  fail "the schema is not compiled where GSettings looks"
MANWIDTH=80 man pool-run | grep -q 'REPLACEMENT STRINGS' || fail "man pool-run"
MANWIDTH=80 man pool-monitor | grep -q 'pool-monitor' || fail "man pool-monitor"
desktop=/usr/share/applications/io.github.poolmonitor.PoolMonitor.desktop
desktop-file-validate "$desktop" || fail "the installed desktop file"
grep -qx 'Exec=pool-monitor %F' "$desktop" || fail "Exec line"

# The window from its desktop file: it registers its application ID on the session bus (then
# it is asked to quit; the session bus and Xvfb end with the script in any case).
cat > /tmp/pm-window.sh <<'WINDOW'
set -eu
export GSK_RENDERER=cairo GDK_BACKEND=x11 NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory
gio launch /usr/share/applications/io.github.poolmonitor.PoolMonitor.desktop
gdbus wait --session --timeout 60 io.github.poolmonitor.PoolMonitor
echo "the window is on the bus"
gapplication action io.github.poolmonitor.PoolMonitor quit
WINDOW
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh /tmp/pm-window.sh ||
  fail "the window did not start from its desktop file"
echo "package-test: all checks passed"
CHECK
chmod +x "$tmp/check.sh"

echo "== 3, 4. install ($mode) and run from /usr"
if [ "$mode" = system ]; then
  "$tmp/check.sh" "$deb"
else
  mkdir "$tmp/upper" "$tmp/work" "$tmp/root"
  unshare -m bash -euc '
    mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$1/root"
    mount -t proc proc "$1/root/proc"
    mount --rbind /dev "$1/root/dev"
    mount --rbind /sys "$1/root/sys"
    mount -t tmpfs tmpfs "$1/root/tmp"
    cp "$2" "$1/check.sh" "$1/root/tmp/"
    chroot "$1/root" /tmp/check.sh "/tmp/$(basename "$2")"
  ' bash "$tmp" "$deb"
fi
