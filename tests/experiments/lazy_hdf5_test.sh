#!/usr/bin/env bash
# lazy_hdf5_test.sh RIDGEPOINT WORKDIR: `ridgepoint` links no HDF5 library (readelf -d: no NEEDED libhdf5) and the
# commands that write no HDF5 (simulate, info, compare, kinds, --help) load none (LD_DEBUG=files lists every object
# the dynamic loader opens); `simulate --trace` loads the module (traces/writers/h5_seam.h) and writes an HDF5 file;
# a copy of the executable with no module beside it still simulates, and asked for a trace says in one line (exit 2,
# before any work, no file left) which module path it tried. (That traces and run outputs keep their content: the
# trace writer's Catch2 tests, "traces: h5py reads every dataset ...", and the "run:" tests' HDF5 checks.)
set -euo pipefail
R=$1 W=$2
fail() { echo "lazy_hdf5_test: $*" >&2; exit 1; }
rm -rf "$W" && mkdir -p "$W/bin"
readelf -d "$R" | grep NEEDED | grep -E "libhdf5|libcurl" && fail "ridgepoint links HDF5"
loads() { LD_DEBUG=files "$R" "$@" 2>&1 >/dev/null | grep -E "file=" || true; }
check_none() {
  local loaded
  loaded=$(loads "$@")
  grep -q "file=libyaml-cpp" <<<"$loaded" || fail "LD_DEBUG=files shows no library for '$*' (this check cannot see loads)"
  ! grep -E "file=(libhdf5|libcurl|.*ridgepoint-hdf5)" <<<"$loaded" || fail "'ridgepoint $*' loaded HDF5"
}
check_none simulate efficientnet-b0 --accel tpuv3
check_none info efficientnet-b0
check_none compare efficientnet-b0 mnasnet-a1 --accel tpuv3 --batch 8
check_none kinds
check_none --help
loaded=$(loads simulate mnasnet-a1 --batch 8 --trace "$W/t.h5")
grep -q "ridgepoint-hdf5.so" <<<"$loaded" || fail "simulate --trace did not load the HDF5 module"
grep -q "file=libhdf5" <<<"$loaded" || fail "simulate --trace did not load libhdf5"
# The HDF5 format signature, the file's first 8 bytes (HDF5 File Format Specification, "Format Signature").
[ "$(head -c 8 "$W/t.h5" | od -An -tx1 | tr -d ' \n')" = 894844460d0a1a0a ] || fail "$W/t.h5 is not an HDF5 file"
M=$(dirname "$R")/../lib/ridgepoint/ridgepoint-hdf5.so
readelf -d "$M" | grep -E "NEEDED.*libhdf5" >/dev/null || fail "the module $M does not link libhdf5"
# Without the module: simulate still works; a trace is refused first, in one line naming the path tried.
cp "$R" "$W/bin/ridgepoint"
"$W/bin/ridgepoint" simulate mnasnet-a1 --batch 8 | grep latency >/dev/null || fail "the copy without the module cannot simulate"
set +e
err=$("$W/bin/ridgepoint" simulate mnasnet-a1 --batch 8 --trace "$W/x.h5" 2>&1 >/dev/null)
rc=$?
set -e
[ "$rc" = 2 ] || fail "missing module: exit $rc, expected 2 ($err)"
[ "$(wc -l <<<"$err")" = 1 ] || fail "missing module: more than one line: $err"
grep -q "cannot load the HDF5 module $W/bin/../lib/ridgepoint/ridgepoint-hdf5.so: " <<<"$err" || fail "missing module: $err"
[ ! -e "$W/x.h5" ] && [ ! -e "$W/x.h5.tmp" ] || fail "missing module: a file was left"
echo "ok: only the commands that write HDF5 load it"
