#!/usr/bin/env bash
# expect_figure.sh OUT.{png,svg,pdf} COMMAND...: removes OUT, runs COMMAND, and checks it exits 0 and leaves a
# non-empty file of the format its extension names: PNG signature 89 50 4E 47 0D 0A 1A 0A, PDF header "%PDF-",
# SVG an XML document with an <svg element.
set -u
out=$1
shift
rm -f "$out"
"$@" || { echo "command failed (exit $?): $*"; exit 1; }
[ -s "$out" ] || { echo "no figure written at $out"; exit 1; }
case "$out" in
  *.png) sig=$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')
         [ "$sig" = "89504e470d0a1a0a" ] || { echo "$out is not a PNG (signature $sig)"; exit 1; } ;;
  *.pdf) [ "$(head -c 5 "$out")" = "%PDF-" ] || { echo "$out is not a PDF (no %PDF- header)"; exit 1; } ;;
  *.svg) grep -q "<svg" "$out" || { echo "$out is not an SVG (no <svg element)"; exit 1; } ;;
  *) echo "expect_figure.sh: unknown extension of $out"; exit 1 ;;
esac
exit 0
