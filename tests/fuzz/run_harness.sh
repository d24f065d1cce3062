#!/usr/bin/env bash
# run_harness.sh BINARY NAME RUNS WORKDIR [libFuzzer flags...]: runs one libFuzzer harness for RUNS executions from
# its committed seeds (tests/fuzz/corpus/NAME, read only: new inputs go to a fresh WORKDIR/NAME; the YAML harnesses
# also start from the bad-input corpus tests/bad_inputs/inputs) with the harness's flags below (dictionary, input
# size), then prints
# "NAME: N executions, C crashes". Inputs that crash, leak, time out or run out of memory are kept as
# WORKDIR/NAME-{crash,leak,timeout,oom}-*. Exit status: libFuzzer's (0 when nothing was found).
set -u
bin=$1 name=$2 runs=$3 work=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rm -rf "${work:?}/$name" "$work/$name"-*
mkdir -p "$work/$name"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:detect_stack_use_after_return=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$root/scripts/sanitizers/ubsan.supp}
seeds=("$here/corpus/$name")
case $name in
  fuzz_block_string) flags=(-dict="$here/dict/block_string.dict" -max_len=256) ;;
  fuzz_*_yaml)
    flags=(-dict="$here/dict/yaml.dict" -max_len=4096)
    [ -d "$root/tests/bad_inputs/inputs" ] && seeds+=("$root/tests/bad_inputs/inputs") ;;
  *) flags=(-max_len=4096) ;;
esac
log="$work/$name.log"
"$bin" "$work/$name" "${seeds[@]}" -runs="$runs" "${flags[@]}" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/$name-" "$@" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
crashes=$(find "$work" -maxdepth 1 -name "$name-*" -type f | wc -l)
echo "$name: ${execs:-?} executions, $crashes crashes (rc $rc, log $log)"
[ "$rc" = 0 ] || tail -60 "$log"
exit "$rc"
