"""rp.calibrate against `ridgepoint calibrate ... --json` (issue 26): the same dictionary, the same errors.
Run by the pytest CTest with build/python on PYTHONPATH; the CLI is ridgepoint.cli_path()."""
import json
import os
import subprocess

import pytest

import ridgepoint as rp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Six synthetic rows simulated on tpuv3 with stack.hbm_efficiency 0.7 and stack.dispatch_overhead_ns 3000.
EXAMPLE = os.path.join(ROOT, "experiments", "validation", "example-measurements.csv")
FIT = ["stack.hbm_efficiency=0.3:1", "stack.dispatch_overhead_ns=0:20000"]


def cli(*args):
    p = subprocess.run([rp.cli_path(), "calibrate", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def test_calibrate_measurements_equals_the_cli_json():
    rc, out, err = cli("--accel", "tpuv3", "--measurements", EXAMPLE, "--fit", FIT[0], "--fit", FIT[1], "--loo",
                       "--json")
    assert rc == 0, err
    py = rp.calibrate(measurements=EXAMPLE, accel="tpuv3", fit=FIT, loo=True)
    assert py == json.loads(out)
    # The fit gives the values the rows were simulated with back (within 1%: check_calibrate.py).
    assert py["values"]["stack.hbm_efficiency"] == pytest.approx(0.7, rel=0.01)
    assert py["values"]["stack.dispatch_overhead_ns"] == pytest.approx(3000, rel=0.01)
    assert [r["row"] for r in py["leave_one_out"]["rows"]][0] == "mnasnet-a1 batch 1"  # the CSV's name column


def test_calibrate_fit_as_a_mapping_is_the_same_request():
    as_list = rp.calibrate(measurements=EXAMPLE, accel="tpuv3", fit=FIT, sweeps=1)
    as_dict = rp.calibrate(measurements=EXAMPLE, accel="tpuv3", sweeps=1,
                           fit={"stack.hbm_efficiency": (0.3, 1), "stack.dispatch_overhead_ns": (0, 20000)})
    assert as_list == as_dict


def test_calibrate_errors_are_the_clis(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("model,batch,latency_ms\nmnasnet-a1,0,1.0\n")
    rc, _, err = cli("--accel", "tpuv3", "--measurements", str(bad))
    assert rc == 2
    with pytest.raises(rp.UsageError) as e:
        rp.calibrate(measurements=bad, accel="tpuv3")
    assert str(e.value) == err.strip().removeprefix("ridgepoint: error: ")
    assert "bad.csv:2: column 'batch'" in str(e.value)
    with pytest.raises(rp.UsageError, match="--sweeps must be in"):
        rp.calibrate(measurements=EXAMPLE, accel="tpuv3", sweeps=0)
    with pytest.raises(TypeError, match=r"^calibrate: loo: expected True or False, got str .yes.$"):
        rp.calibrate(measurements=EXAMPLE, accel="tpuv3", loo="yes")
