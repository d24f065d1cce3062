#!/usr/bin/env bash
# expect.sh BINARY RC PATTERN ARGS...: runs BINARY ARGS, checks the exit code is RC, and
#  - RC == 0: stdout matches the extended regex PATTERN;
#  - RC != 0: stderr is exactly one line, matches PATTERN, and stdout is empty (no partial output, no stack trace).
set -u
bin=$1 rc=$2 pattern=$3
shift 3
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$bin" "$@" >"$out" 2>"$err"
got=$?
if [ "$got" != "$rc" ]; then
  echo "exit code $got, expected $rc"; echo "--- stdout"; head -20 "$out"; echo "--- stderr"; cat "$err"; exit 1
fi
if [ "$rc" = 0 ]; then
  grep -Eq -- "$pattern" "$out" || { echo "stdout does not match /$pattern/"; head -40 "$out"; exit 1; }
else
  lines=$(wc -l <"$err")
  [ "$lines" = 1 ] || { echo "stderr has $lines lines, expected 1"; cat "$err"; exit 1; }
  grep -Eq -- "$pattern" "$err" || { echo "stderr does not match /$pattern/"; cat "$err"; exit 1; }
  [ ! -s "$out" ] || { echo "stdout not empty on error"; head "$out"; exit 1; }
fi
exit 0
