#!/usr/bin/env bash
# Builds Ridgepoint with sanitizers into a folder of its own and runs the whole CTest suite there (the bad-input
# corpus, tests/bad_inputs, is part of it). Any sanitizer report fails the test that triggered it: UBSan aborts
# (-fno-sanitize-recover), ASan stops at the first error, LeakSanitizer fails the process at exit.
# Usage: scripts/sanitize.sh [address,undefined | undefined] [--skip REGEX] [ctest args...]
#   --skip REGEX leaves out the tests whose names match (e.g. the slowest calibration fits under ASan); the run says so
#   address,undefined (default) -> build-asan: AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer
#   undefined                   -> build-ubsan: UndefinedBehaviorSanitizer alone (what CI runs, see README)
# Suppressions (third-party code only, each with its reason) are in scripts/sanitizers/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
sanitizers=${1:-address,undefined}
shift || true
skip='^$'
if [ "${1:-}" = --skip ]; then
  [ $# -ge 2 ] || { echo "sanitize.sh: --skip needs a regular expression of test names" >&2; exit 2; }
  skip=$2
  echo "sanitize.sh: leaving out the tests matching '$skip'"
  shift 2
fi
case "$sanitizers" in
  address,undefined) dir=build-asan ;;
  undefined) dir=build-ubsan ;;
  *) echo "sanitize.sh: expected 'address,undefined' or 'undefined', got '$sanitizers'" >&2; exit 2 ;;
esac
jobs=$(nproc 2>/dev/null || echo 2)

# -O1 -g1: the optimization the sanitizers' documentation recommends, and line tables (enough for a report's stack
# trace: a UBSan report names its file and line without debug info at all). Against RelWithDebInfo's -O2 -g this
# halves the compile (a LibTorch file 33.2 -> 18.8 s, a simulator file 5.1 -> 2.8 s; objects 7x smaller), and the
# suite's time goes mostly to uninstrumented LibTorch, HDF5 and Python, so the tests barely slow.
flags="-O1 -g1 -DNDEBUG"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRIDGEPOINT_SANITIZE="$sanitizers" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" \
  -DRIDGEPOINT_BUILD_BENCHMARKS=OFF -DCMAKE_UNITY_BUILD=ON >/dev/null  # unity: as scripts/build.sh says why
cmake --build "$dir" -j "$jobs"

supp=$root/scripts/sanitizers
asan=detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1
lsan=suppressions=$supp/lsan.supp:print_suppressions=0
export ASAN_OPTIONS=$asan LSAN_OPTIONS=$lsan
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp
cd "$dir"
status=0
# UBSan alone: one CTest run over every test, two at a time (the MPI and Python tests need nothing of their own).
if [ "$sanitizers" = undefined ]; then
  exec ctest --output-on-failure -j "$jobs" -E "$skip" "$@"
fi
# ASan: tests say what they load through CTest labels: `mpi` (they run mpirun) and `python` (they import the module
# into Debian's python3); tests/*/CMakeLists.txt set them.
# 1. Everything but the MPI and Python tests.
ctest --output-on-failure -j "$jobs" -LE "^(mpi|python)$" -E "$skip" "$@" || status=1
# 2. MPI runs: Open MPI's blocks held until exit are suppressed by library name, which needs full stack unwinding
#    (its dlopen'ed components hide the frames from the fast unwinder).
LSAN_OPTIONS=$lsan:fast_unwind_on_malloc=0 ctest --output-on-failure -L "^mpi$" -E "$skip" "$@" || status=1
# 3. The Python module (its pytest, the install test, the docs pages that import it) under Debian's
#    uninstrumented python3: ASan's runtime must be loaded first, and the interpreter's own blocks at exit are not
#    ours (the module's code is leak-checked by the C++ tests). libstdc++ is preloaded with it: python3 is a C
#    program, and ASan's __cxa_throw interceptor finds the real function only if libstdc++ is loaded at start-up
#    (otherwise the first C++ exception, e.g. a UsageError raised into Python, stops ASan with a CHECK failure).
LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libstdc++.so)" ASAN_OPTIONS=$asan:detect_leaks=0 \
  ctest --output-on-failure -L "^python$" -E "$skip" "$@" || status=1
exit "$status"
