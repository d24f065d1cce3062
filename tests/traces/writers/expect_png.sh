#!/usr/bin/env bash
# expect_png.sh OUT.png COMMAND...: removes OUT.png, runs COMMAND, and checks it exits 0 and leaves a non-empty
# file starting with the PNG signature (89 50 4E 47 0D 0A 1A 0A).
set -u
out=$1
shift
rm -f "$out"
"$@" || { echo "command failed (exit $?): $*"; exit 1; }
[ -s "$out" ] || { echo "no PNG written at $out"; exit 1; }
sig=$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')
[ "$sig" = "89504e470d0a1a0a" ] || { echo "$out is not a PNG (signature $sig)"; exit 1; }
exit 0
