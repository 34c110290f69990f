#!/bin/bash
# The pseudo-locale test: makes a catalogue in which every translation is its message between
# ⟦ and ⟧ (xgettext over po/POTFILES.in, msgen, msgfilter; msgfmt -c checks the formats), then
#   1. pool-run --help and a usage error must show no word of ours outside the brackets (GLib's
#      own "Usage:" and option syntax aside);
#   2. the window (test-pseudo-locale) checks every text of its widgets the same way.
#   $1: the source tree   $2: pool-run   $3: test-pseudo-locale
set -euo pipefail
src=$1
pool_run=$2
window_test=$3
for tool in xgettext msgen msgfilter msgfmt perl; do
  command -v $tool >/dev/null || { echo "1..0 # SKIP $tool not found"; exit 77; }
done

tmp=$(mktemp -d /tmp/pm-pseudo-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
xgettext --files-from="$src/po/POTFILES.in" --directory="$src" --from-code=UTF-8 \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  -o "$tmp/pool-monitor.pot"
msgen "$tmp/pool-monitor.pot" -o "$tmp/en.po"
sed -i 's/charset=CHARSET/charset=UTF-8/; s/nplurals=INTEGER; plural=EXPRESSION;/nplurals=2; plural=(n != 1);/' \
  "$tmp/en.po"
# Leading and trailing newlines stay outside the brackets (msgfmt -c wants them to match).
msgfilter --keep-header -i "$tmp/en.po" -o "$tmp/xx.po" \
  perl -0pe 's/\A(\n*)/$1\xe2\x9f\xa6/; s/(\n*)\z/\xe2\x9f\xa7$1/'
mkdir -p "$tmp/locale/xx/LC_MESSAGES"
msgfmt -c -o "$tmp/locale/xx/LC_MESSAGES/pool-monitor.mo" "$tmp/xx.po" 2>&1 |
  grep -v 'still has the initial default value' || true
[ -s "$tmp/locale/xx/LC_MESSAGES/pool-monitor.mo" ] || { echo "msgfmt made no catalogue"; exit 1; }
echo "# $(grep -c '^msgid "[^"]' "$tmp/xx.po") messages in the pseudo-locale"

export POOL_MONITOR_LOCALEDIR=$tmp/locale LC_ALL=C.UTF-8 LANGUAGE=xx

# Words ours would hold once the bracketed parts and what GLib prints itself are taken out.
leftover ()
{
  perl -CSD -0pe '1 while s/\x{27e6}[^\x{27e6}\x{27e7}]*\x{27e7}/ /g' |
    sed -e 's/pool-run//g' -e 's/^Usage:$//' -e 's/Help Options://' -e 's/Application Options://' \
        -e 's/Show help options//' -e 's/\[OPTION…\]//' -e 's/--\?[a-z][a-z-]*=\?//g' |
    grep -o '[[:alpha:]][[:alpha:]]\+' || true
}
fails=0
"$pool_run" --help > "$tmp/help.txt"
words=$(leftover < "$tmp/help.txt")
if [ -n "$words" ]; then
  echo "not ok: pool-run --help shows untranslated words: $(echo $words)"
  fails=1
else
  echo "# pool-run --help: every word translated ($(wc -l < "$tmp/help.txt") lines)"
fi
"$pool_run" --jobs 0 2> "$tmp/usage.txt" && { echo "pool-run --jobs 0 succeeded"; exit 1; }
words=$(leftover < "$tmp/usage.txt")
if [ -n "$words" ]; then
  echo "not ok: a usage error shows untranslated words: $(echo $words)"
  fails=1
fi
grep -q $'\u27e6' "$tmp/usage.txt" || { echo "not ok: the usage error is not translated"; fails=1; }

"$window_test" --tap || fails=1
exit $fails
