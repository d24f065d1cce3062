#!/usr/bin/env bash
# no_leftovers.sh DIR EXPECT_SH BINARY RC PATTERN ARGS...: empties DIR, runs `EXPECT_SH BINARY RC PATTERN ARGS`
# (tests/cli/expect.sh: exit code, one-line error), then checks what the run left in DIR: nothing at all when
# RC != 0; no *.tmp file (and at least one file) when RC == 0.
set -u
dir=$1 expect=$2
shift 2
rc=$2
rm -rf "$dir" && mkdir -p "$dir"
bash "$expect" "$@" || exit 1
left=$(ls -A "$dir")
if [ "$rc" != 0 ]; then
  [ -z "$left" ] || { echo "failed run left files in $dir: $left"; exit 1; }
else
  [ -n "$left" ] || { echo "successful run wrote nothing in $dir"; exit 1; }
  ! ls -A "$dir" | grep -q '\.tmp$' || { echo "temporary files left in $dir: $left"; exit 1; }
fi
rm -rf "$dir"
exit 0
