#!/usr/bin/env bash
# Formats every C and C++ source of the repository with the committed .clang-format (Debian's clang-format 14).
#   bash scripts/format.sh           rewrite the files in place
#   bash scripts/format.sh --check   list the files that are not formatted, exit 1 if any (a CTest runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format.sh: clang-format not found (apt-get install clang-format)"; exit 2; }
mapfile -t files < <(git ls-files '*.h' '*.cpp' '*.c')
if [ "${1:-}" = --check ]; then
  # One clang-format for all files (one per file took a minute of CTest's time, nearly all of it process start-up); it
  # reports every violation as FILE:LINE:COL: error: ..., for every file, and exits non-zero if there was any.
  if out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
    echo "${#files[@]} files formatted as .clang-format says"
    exit 0
  fi
  bad=$(grep -oE '^[^:]+:[0-9]+:[0-9]+: error' <<<"$out" | cut -d: -f1 | sort -u)
  [ -n "$bad" ] || { echo "format.sh: clang-format failed: $out"; exit 1; }  # e.g. a .clang-format it cannot read
  sed 's/^/not formatted: /' <<<"$bad"
  exit 1
fi
clang-format -i "${files[@]}"
