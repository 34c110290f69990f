#!/usr/bin/env bash
# bench/remote.sh: remote slots against local ones and against GNU parallel's --sshlogin, on a
# loopback sshd of the benchmark's own (127.0.0.1, throwaway keys, nothing of the system's ssh
# configuration read). Medians of interleaved rounds, in one invocation:
#   pool-run -S 8/127.0.0.1:PORT   against   pool-run -j 8 (local slots)      goal <= 2x
#   GNU parallel -S 8/127.0.0.1    against   pool-run -S 8/127.0.0.1:PORT     goal >= 20x
#
#   bench/remote.sh [--rounds N]
#
# Environment: BUILD (default ./build), JOBS (default 1000; GNU parallel runs JOBS/10, since it
# logs in once a job, and its time is scaled up by 10). Needs root (sshd) and openssh-server.
set -euo pipefail

rounds=3
[ "${1:-}" = "--rounds" ] && rounds="${2:?--rounds needs a number}"
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

: > "$dir/local"; : > "$dir/remote"; : > "$dir/parallel"
for _ in $(seq "$rounds"); do
  seconds "$pool_run" -q -j 8 -a "$dir/args" -- /bin/true >> "$dir/local"
  seconds "$pool_run" -q --ssh "$ssh_cmd" -S "8/127.0.0.1:$port" -a "$dir/args" -- /bin/true >> "$dir/remote"
  seconds parallel --will-cite -q -S 8/127.0.0.1 -a "$dir/pargs" /bin/true >> "$dir/parallel"
done
local_t=$(median < "$dir/local")
remote_t=$(median < "$dir/remote")
parallel_t=$(echo "$(median < "$dir/parallel") * 10" | bc)
printf '%s /bin/true, 8 slots, medians of %s rounds\n' "$JOBS" "$rounds"
printf '  pool-run local slots      %8.2f s\n' "$local_t"
printf '  pool-run remote slots     %8.2f s   %.2fx local (goal <= 2)\n' "$remote_t" "$(echo "$remote_t / $local_t" | bc -l)"
printf '  GNU parallel -S 8/host    %8.2f s   (%s jobs, x10)   %.1fx pool-run remote (goal >= 20)\n' \
  "$parallel_t" "$PJOBS" "$(echo "$parallel_t / $remote_t" | bc -l)"
