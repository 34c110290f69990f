#!/usr/bin/env bash
# bench/remote.sh: remote slots against local ones and against GNU parallel's --sshlogin, on a
# loopback sshd of the benchmark's own (127.0.0.1, throwaway keys, nothing of the system's ssh
# configuration read). Medians of interleaved rounds, in one invocation:
#   pool-run -S 8/127.0.0.1:PORT   against   pool-run -j 8 (local slots)      goal <= 2x
#   GNU parallel -S 8/127.0.0.1    against   pool-run -S 8/127.0.0.1:PORT     goal >= 20x
# and files: FJOBS jobs with --trc (a 64 KiB file sent, one brought back, both removed there) on
# 4 slots of the same host, the files moved
#   with cat, a login for each file run   (--ssh a wrapper not named ssh: no connection sharing)
#   with cat, the file runs sharing one connection (ControlMaster)
#   with rsync, sharing it                (the default where rsync is on both ends)
#   by GNU parallel --trc (rsync, a login for each transfer, job and return)
# each through the same small wrapper script, which hides rsync from the host's PATH in the
# first two.
#
#   bench/remote.sh [--rounds N] [--files-only | --slots-only]
#
# --slots-only: the first comparison alone, without GNU parallel and the files.
# Environment: BUILD (default ./build), JOBS (default 1000; GNU parallel runs JOBS/10, since it
# logs in once a job, and its time is scaled up by 10), FJOBS (default 100), BEFORE (another
# build dir: its pool-run's remote run is timed too, in the same rounds, for a before/after).
# Needs root (sshd), openssh-server and rsync.
set -euo pipefail

rounds=3
files_only=
slots_only=
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
    --files-only) files_only=1; shift ;;
    --slots-only) slots_only=1; shift ;;
    *) echo "usage: bench/remote.sh [--rounds N] [--files-only | --slots-only]" >&2; exit 2 ;;
  esac
done
FJOBS="${FJOBS:-100}"
BUILD="${BUILD:-./build}"
JOBS="${JOBS:-1000}"
PJOBS=$((JOBS / 10))
export POOL_MONITOR_BUILD_DIR="$(cd "$BUILD" && pwd)"
pool_run="$POOL_MONITOR_BUILD_DIR/src/cli/pool-run"

dir="$(mktemp -d /tmp/pm-bench-sshd.XXXXXX)"
trap 'kill "$sshd_pid" 2>/dev/null; rm -rf "$dir"' EXIT
ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$dir/user_key"
cp "$dir/user_key.pub" "$dir/authorized_keys"
mkdir -p /run/sshd "$dir/cache"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PidFile none
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
MaxStartups 100
MaxSessions 100
SetEnv XDG_CACHE_HOME=$dir/cache
CONF
/usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/log" &
sshd_pid=$!
ssh_cmd="ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i $dir/user_key"
for _ in $(seq 50); do $ssh_cmd -p "$port" 127.0.0.1 true 2>/dev/null && break; sleep 0.1; done
# GNU parallel reads the ssh command from PARALLEL_SSH
export PARALLEL_SSH="$ssh_cmd -p $port"

seconds () { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
median () { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

seq "$JOBS" > "$dir/args"
seq "$PJOBS" > "$dir/pargs"
# warm-up: the first remote run copies pool-slot
"$pool_run" -q --ssh "$ssh_cmd" -S "8/127.0.0.1:$port" -a "$dir/args" -- /bin/true >/dev/null 2>&1
if [ -n "${BEFORE:-}" ]; then
  before_run="$(cd "$BEFORE" && pwd)/src/cli/pool-run"
  POOL_MONITOR_BUILD_DIR="$(cd "$BEFORE" && pwd)" "$before_run" -q --ssh "$ssh_cmd" \
    -S "8/127.0.0.1:$port" -a "$dir/args" -- /bin/true >/dev/null 2>&1
fi
before_remote () {
  POOL_MONITOR_BUILD_DIR="$(cd "$BEFORE" && pwd)" "$before_run" "$@"
}

if [ -z "$files_only" ]; then
: > "$dir/local"; : > "$dir/remote"; : > "$dir/parallel"; : > "$dir/before"
for _ in $(seq "$rounds"); do
  seconds "$pool_run" -q -j 8 -a "$dir/args" -- /bin/true >> "$dir/local"
  [ -z "${BEFORE:-}" ] ||
    seconds before_remote -q --ssh "$ssh_cmd" -S "8/127.0.0.1:$port" -a "$dir/args" -- /bin/true >> "$dir/before"
  seconds "$pool_run" -q --ssh "$ssh_cmd" -S "8/127.0.0.1:$port" -a "$dir/args" -- /bin/true >> "$dir/remote"
  [ -n "$slots_only" ] ||
    seconds parallel --will-cite -q -S 8/127.0.0.1 -a "$dir/pargs" /bin/true >> "$dir/parallel"
  echo "round: local $(tail -1 "$dir/local") s, remote $(tail -1 "$dir/remote") s${BEFORE:+, before $(tail -1 "$dir/before") s}; load $(cut -d' ' -f1-3 /proc/loadavg)"
done
local_t=$(median < "$dir/local")
remote_t=$(median < "$dir/remote")
printf '%s /bin/true, 8 slots, medians of %s rounds\n' "$JOBS" "$rounds"
printf '  pool-run local slots      %8.2f s\n' "$local_t"
printf '  pool-run remote slots     %8.2f s   %.2fx local (goal <= 2)\n' "$remote_t" "$(echo "$remote_t / $local_t" | bc -l)"
if [ -n "${BEFORE:-}" ]; then
  before_t=$(median < "$dir/before")
  printf '  BEFORE remote slots       %8.2f s   %.2fx local\n' "$before_t" "$(echo "$before_t / $local_t" | bc -l)"
fi
if [ -z "$slots_only" ]; then
  parallel_t=$(echo "$(median < "$dir/parallel") * 10" | bc)
  printf '  GNU parallel -S 8/host    %8.2f s   (%s jobs, x10)   %.1fx pool-run remote (goal >= 20)\n' \
    "$parallel_t" "$PJOBS" "$(echo "$parallel_t / $remote_t" | bc -l)"
fi
fi
[ -z "$slots_only" ] || exit 0

# Files. The wrappers: $dir/w/ssh (named ssh, so pool-run shares connections) and
# $dir/w/ssh-plain (not: a login per run); with HIDE set they give our remote commands a PATH
# without rsync.
mkdir -p "$dir/w" "$dir/norsync" "$dir/files"
for f in /usr/bin/*; do [ "${f##*/}" = rsync ] || ln -s "$f" "$dir/norsync/"; done
cat > "$dir/w/ssh" <<'WRAP'
#!/bin/sh
n=$# i=0
for a; do
  i=$((i + 1))
  if [ $i -eq $n ] && [ -n "$HIDE" ]; then
    case $a in "exec "*) a="PATH=$HIDE; export PATH; $a";; esac
  fi
  set -- "$@" "$a"
done
shift $n
exec /usr/bin/ssh "$@"
WRAP
chmod 755 "$dir/w/ssh"
cp "$dir/w/ssh" "$dir/w/ssh-plain"
wrapped="${ssh_cmd#ssh}"
for i in $(seq "$FJOBS"); do head -c 65536 /dev/urandom > "$dir/files/f$i.dat"; done
(cd "$dir/files" && ls f*.dat) > "$dir/fargs"
job='cp "$1" "$1.out"'
files_run () {  # HIDE program
  (cd "$dir/files" && HIDE="$1" "$pool_run" -q --ssh "$dir/w/$2$wrapped" -S "4/127.0.0.1:$port" \
     --trc '{}.out' -a "$dir/fargs" -- sh -c "$job" sh && rm -f ./*.out)
}
parallel_run () {
  (cd "$dir/files" && PARALLEL_SSH="$dir/w/ssh$wrapped -p $port" parallel --will-cite -q \
     -S 4/127.0.0.1 --trc '{}.out' -a "$dir/fargs" sh -c "$job" sh && rm -f ./*.out)
}
: > "$dir/f-plain"; : > "$dir/f-shared"; : > "$dir/f-rsync"; : > "$dir/f-parallel"
for _ in $(seq "$rounds"); do
  seconds files_run "$dir/norsync" ssh-plain >> "$dir/f-plain"
  seconds files_run "$dir/norsync" ssh >> "$dir/f-shared"
  seconds files_run "" ssh >> "$dir/f-rsync"
  seconds parallel_run >> "$dir/f-parallel"
done
plain_t=$(median < "$dir/f-plain")
printf '%s jobs with --trc (64 KiB sent, 64 KiB back), 4 slots, medians of %s rounds\n' "$FJOBS" "$rounds"
for k in plain shared rsync parallel; do
  t=$(median < "$dir/f-$k")
  case $k in
    plain) what='pool-run, cat, a login per run' ;;
    shared) what='pool-run, cat, shared connection' ;;
    rsync) what='pool-run, rsync, shared connection' ;;
    parallel) what='GNU parallel --trc' ;;
  esac
  printf '  %-36s %8.2f s   %.2fx the first\n' "$what" "$t" "$(echo "$t / $plain_t" | bc -l)"
done
