#!/usr/bin/env bash
# install_test.sh BUILD_DIR: `cmake --install` into a scratch prefix, then the installed copy works on its own:
# ridgepoint runs from PREFIX/bin and finds its YAML copies in PREFIX/share/ridgepoint/configs (through
# /proc/self/exe, also when started through a symlink), hands a LibTorch command to PREFIX/bin/ridgepoint-torch,
# an edited copy of a config is used through --accel FILE, and the Python module imports from the prefix and
# points at the installed executable.
set -euo pipefail
BUILD=$1
P=$(mktemp -d)
trap 'rm -rf "$P"' EXIT
cmake --install "$BUILD" --prefix "$P/usr" >/dev/null
R=$P/usr/bin/ridgepoint
fail() { echo "install_test: $*" >&2; exit 1; }
# `CMD | grep PATTERN >/dev/null`, not grep -q: grep -q exits at its first match, and a CMD still writing then dies
# of SIGPIPE, which pipefail turns into a failure.

[ -x "$P/usr/bin/ridgepoint-torch" ] || fail "no ridgepoint-torch installed beside ridgepoint"
"$R" simulate efficientnet-b0 --accel tpuv3 --batch 8 --no-layers | grep "latency" >/dev/null || fail "simulate did not run"
"$R" accelerators | grep "$P/usr/share/ridgepoint/configs/" >/dev/null || fail "accelerators does not show the installed copies"
[ -f "$P/usr/share/ridgepoint/configs/tpuv3.yaml" ] || fail "no config copies installed"
ln -s "$R" "$P/rp-link"
"$P/rp-link" accelerators | grep "$P/usr/share/ridgepoint/configs/" >/dev/null || fail "a symlinked ridgepoint loses its configs"
"$P/rp-link" nas space efficientnet-x | grep "decisions: 50" >/dev/null || fail "nas (LibTorch) not handed to ridgepoint-torch"

# An edited copy takes effect through --accel FILE: halving tpuv3's clock must slow a compute-bound network.
sed 's/^clock_mhz: 940 /clock_mhz: 470 /' "$P/usr/share/ridgepoint/configs/tpuv3.yaml" > "$P/slow.yaml"
grep -q "^clock_mhz: 470 " "$P/slow.yaml" || fail "the clock line of tpuv3.yaml changed; update this test"
base=$("$R" simulate resnet-50 --accel tpuv3 --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['latency_ms'])")
slow=$("$R" simulate resnet-50 --accel "$P/slow.yaml" --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['latency_ms'])")
/usr/bin/python3 -c "import sys; b, s = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if s > 1.2 * b else 1)" "$base" "$slow" \
  || fail "the edited copy had no effect (latency $base ms -> $slow ms)"

# The shipped experiments are installed and listed (issue 26); one runs from another directory with --output,
# writing nothing among the installed files.
E=$P/usr/share/ridgepoint/experiments
"$R" run --list | grep -F "shipped experiments in $E (" >/dev/null || fail "run --list does not name $E"
"$R" run --list | grep -F "  whatif/hbm-bandwidth.yaml  kind: sweep  output: hbm-bandwidth.h5" >/dev/null \
  || fail "run --list does not list whatif/hbm-bandwidth.yaml"
[ -f "$E/nas/results/tpuv3-efficientnet-x.h5" ] && [ -f "$P/usr/share/ridgepoint/scripts/export_torchvision.py" ] \
  || fail "the committed results or the scripts the docs run are not installed"
before=$(find "$E" -printf '%p %s %T@\n' | sort)
mkdir "$P/work"
(cd "$P/work" && "$R" run "$E/whatif/hbm-bandwidth.yaml" --output hbm.h5 2>/dev/null) || fail "an installed experiment did not run"
[ -f "$P/work/hbm.h5" ] && [ "$(ls -A "$P/work")" = hbm.h5 ] || fail "expected only hbm.h5 in the work directory: $(ls -A "$P/work")"
[ "$(find "$E" -printf '%p %s %T@\n' | sort)" = "$before" ] || fail "the run wrote among the installed experiments"

# MPI is a module loaded under mpirun only (experiments/run/mpi_seam.h): installed at PREFIX/lib/ridgepoint, found
# from PREFIX/bin; an installed `mpirun -np 2 ridgepoint run` of a 2-point sweep finishes with both points.
[ -f "$P/usr/lib/ridgepoint/ridgepoint-mpi.so" ] || fail "no MPI module at $P/usr/lib/ridgepoint/ridgepoint-mpi.so"
printf 'kind: sweep\nmodels: [efficientnet-b0]\naccelerators: [tpuv3]\noutput: m.h5\ngrid:\n  batch: [1, 2]\n' > "$P/work/m.yaml"
mpirun --allow-run-as-root --oversubscribe -np 2 "$R" run "$P/work/m.yaml" 2>"$P/mpi.log" \
  | cat >/dev/null || { cat "$P/mpi.log"; fail "an installed mpirun run failed"; }
grep -F "m.h5: 2 rows" "$P/mpi.log" >/dev/null || { cat "$P/mpi.log"; fail "the installed MPI run did not write 2 rows"; }
# HDF5 is a module loaded on first use too (traces/writers/h5_seam.h), installed beside it: the runs above wrote
# their outputs through it; an installed `simulate --trace` outside the source tree writes a trace h5py reads.
[ -f "$P/usr/lib/ridgepoint/ridgepoint-hdf5.so" ] || fail "no HDF5 module at $P/usr/lib/ridgepoint/ridgepoint-hdf5.so"
(cd "$P/work" && "$R" simulate mnasnet-a1 --batch 8 --trace t.h5 >/dev/null) || fail "an installed simulate --trace failed"
/usr/bin/python3 -c "import h5py, sys; assert h5py.File(sys.argv[1], 'r')['meta'].attrs['model'] == 'mnasnet-a1'" \
  "$P/work/t.h5" || fail "the installed trace does not read back"

PY=$(ls -d "$P"/usr/lib/python3*/dist-packages)
PYTHONPATH=$PY /usr/bin/python3 - "$R" "$P" <<'PY'
import os, sys
import ridgepoint as rp
assert rp.__file__.startswith(sys.argv[2]), rp.__file__
assert rp.cli_path() == sys.argv[1], rp.cli_path()
assert all(os.path.isfile(a["yaml"]) for a in rp.accelerators())
assert rp.simulate("efficientnet-b0", accel="tpuv3", batch=8).latency_ms > 0
PY
echo "install_test: ok ($P)"
