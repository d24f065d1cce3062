"""rp.sensitivity() against `ridgepoint sensitivity --json` (the same library call and JSON builder: equal), and its
argument errors."""
import math

import pytest

import ridgepoint as rp
from cli_helpers import cli_json

KEYS = ["hbm.bandwidth_gbps", "clock_mhz", "hbm.capacity_gib"]


def test_sensitivity_equals_cli_json():
    py = rp.sensitivity("mnasnet-a1", accel="tpuv3", batch=8, set={"stack.dispatch_overhead_ns": 20}, keys=KEYS)
    args = ["mnasnet-a1", "--accel", "tpuv3", "--batch", "8", "--set", "stack.dispatch_overhead_ns=20"]
    for k in KEYS:
        args += ["--key", k]
    assert py == cli_json("sensitivity", *args)
    assert py["simulations"] == 1 + 2 * len(KEYS)
    assert [r["rank"] for r in py["rows"]] == [1, 2, 3]
    bw = next(r for r in py["rows"] if r["key"] == "hbm.bandwidth_gbps")
    # the definition, from the figures returned: ln(y1 / y0) / ln(x1 / x0)
    e = math.log(bw["up"]["latency_ms"] / py["base"]["latency_ms"]) / math.log(bw["up"]["value"] / bw["base"])
    assert bw["up"]["latency_elasticity"] == pytest.approx(e, rel=1e-12)


def test_sensitivity_step_and_keys():
    small = rp.sensitivity("mnasnet-a1", accel="v100", batch=4, step=0.05, keys=["sms"])
    assert small["step"] == 0.05 and small["accelerator"] == "v100"
    assert small["rows"][0]["down"]["value"] == 76 and small["rows"][0]["up"]["value"] == 84  # 80 x 0.95, 80 x 1.05


def test_sensitivity_errors():
    with pytest.raises(rp.UsageError, match=r"step must be in \(0, 1\)"):
        rp.sensitivity("mnasnet-a1", batch=8, step=1.5, keys=KEYS)
    with pytest.raises(rp.UsageError, match="did you mean hbm.bandwidth_gbps"):
        rp.sensitivity("mnasnet-a1", batch=8, keys=["hbm.bandwith_gbps"])
    with pytest.raises(rp.UsageError, match="batch must be >= 1"):
        rp.sensitivity("mnasnet-a1", batch=0)
    with pytest.raises(TypeError, match="sensitivity: step: expected a number"):
        rp.sensitivity("mnasnet-a1", step="10%")
    with pytest.raises(TypeError, match="sensitivity: keys: expected a list of key names"):
        rp.sensitivity("mnasnet-a1", keys="clock_mhz")
