#!/bin/sh
# The MIME types: the database accepts our package, and a joblog and an event log made by
# pool-run are recognised by their content. $1: the merged mime XML, $2: a build dir of pool-run.
set -eu
command -v update-mime-database >/dev/null || { echo "update-mime-database not found"; exit 77; }
command -v gio >/dev/null || { echo "gio not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/share/mime/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$1" "$tmp/share/mime/packages/"
update-mime-database "$tmp/share/mime"
printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n' > "$tmp/run"
printf '{"event":"run","version":"1","limit":2,"time":1}\n' > "$tmp/events"
for f in run:text/x-parallel-joblog events:application/x-pool-monitor-events; do
  file=${f%%:*}
  want=${f#*:}
  got=$(XDG_DATA_DIRS="$tmp/share" XDG_DATA_HOME="$tmp/none" \
        gio info -a standard::content-type "$tmp/$file" | sed -n 's/.*standard::content-type: //p')
  echo "$file: $got"
  [ "$got" = "$want" ] || { echo "expected $want"; exit 1; }
done
