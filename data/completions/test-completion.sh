#!/bin/bash
# Loads the completion script for pool-run ($1) with bash-completion and checks what it offers.
set -u
lib=/usr/share/bash-completion/bash_completion
if [ ! -r "$lib" ]; then
  echo "bash-completion is not installed"
  exit 77
fi
# shellcheck source=/dev/null
. "$lib"
# shellcheck source=/dev/null
. "$1"

# compopt works only inside a completion bash runs itself.
compopt () { :; }
fails=0
complete_line ()
{
  local line=$1
  COMP_LINE=$line
  COMP_POINT=${#line}
  read -ra COMP_WORDS <<<"$line"
  [[ $line == *' ' ]] && COMP_WORDS+=('')
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _pool_run pool-run "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}"
}
expect ()
{
  local line=$1 want=$2 got
  got=$(complete_line "$line" | sort | tr '\n' ' ')
  if [[ " $got" != *" $want "* ]]; then
    echo "FAIL: «$line» offers «$got», not «$want»"
    fails=$((fails + 1))
  else
    echo "ok: «$line» offers «$want»"
  fi
}
refuse ()
{
  local line=$1 unwanted=$2 got
  got=$(complete_line "$line" | sort | tr '\n' ' ')
  if [[ " $got" == *" $unwanted "* ]]; then
    echo "FAIL: «$line» offers «$unwanted»"
    fails=$((fails + 1))
  else
    echo "ok: «$line» does not offer «$unwanted»"
  fi
}

expect 'pool-run --jo' '--joblog='
expect 'pool-run --work ' 'cpu'
expect 'pool-run --work s' 'sleep'
expect 'pool-run --resume-' '--resume-failed'
expect 'pool-run --halt now,f' 'now,fail=1'
expect 'pool-run --tr' '--trc='
expect 'pool-run --cl' '--cleanup'
expect 'pool-run --wo' '--workdir='
refuse 'pool-run --work ' '--jobs='
# After "--", the command's own words: pool-run's options are not offered.
refuse 'pool-run -j 2 -- gzip --' '--joblog='
exit $((fails > 0))
