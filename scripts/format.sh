#!/usr/bin/env bash
# Formats every C and C++ source of the repository with the committed .clang-format (Debian's clang-format 14).
#   bash scripts/format.sh           rewrite the files in place
#   bash scripts/format.sh --check   list the files that are not formatted, exit 1 if any (a CTest runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format.sh: clang-format not found (apt-get install clang-format)"; exit 2; }
mapfile -t files < <(git ls-files '*.h' '*.cpp' '*.c')
if [ "${1:-}" = --check ]; then
  bad=0
  for f in "${files[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || { echo "not formatted: $f"; bad=1; }
  done
  [ $bad = 0 ] && echo "${#files[@]} files formatted as .clang-format says"
  exit $bad
fi
clang-format -i "${files[@]}"
