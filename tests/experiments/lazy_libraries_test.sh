#!/usr/bin/env bash
# lazy_libraries_test.sh RIDGEPOINT: `ridgepoint` links no MPI library (readelf -d: no NEEDED entry naming libmpi
# or open-pal / open-rte) and `ridgepoint simulate` loads none (LD_DEBUG=files lists every object the dynamic
# loader opens); the MPI module is built where mpi_seam.h looks for it, and it is the module that needs libmpi.
# (That an mpirun run still works: "run: mpi-identical", "run: sweep-identical".)
set -euo pipefail
R=$1
fail() { echo "lazy_libraries_test: $*" >&2; exit 1; }
needed=$(readelf -d "$R" | grep NEEDED)
echo "$needed" | grep -E "libmpi|open-pal|open-rte|hwloc" && fail "ridgepoint links MPI"
loaded=$(LD_DEBUG=files "$R" simulate efficientnet-b0 --accel tpuv3 --batch 8 --no-layers 2>&1 >/dev/null)
echo "$loaded" | grep -E "file=libyaml-cpp" >/dev/null || fail "LD_DEBUG=files shows no library (this check cannot see loads)"
echo "$loaded" | grep -E "file=lib(mpi|open-pal|open-rte|hwloc)" && fail "simulate loaded MPI"
M=$(dirname "$R")/../lib/ridgepoint/ridgepoint-mpi.so
[ -f "$M" ] || fail "no MPI module at $M"
readelf -d "$M" | grep -E "NEEDED.*libmpi" >/dev/null || fail "the module $M does not link libmpi"
echo "ok: ridgepoint simulate loads no MPI library"
