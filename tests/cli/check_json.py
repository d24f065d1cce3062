"""check_json.py BINARY CHECK ARGS...: runs BINARY ARGS, parses stdout as one JSON document and runs the named check."""
import json
import subprocess
import sys


def info_b0(j):
    # Keys required by the CLI contract; values cross-checked against the published B0 figures (0.39 G, 5.3 M).
    for k in ("model", "resolution", "batch", "params", "macs", "flops", "layers"):
        assert k in j, k
    assert j["model"] == "efficientnet-b0" and j["resolution"] == 224 and j["batch"] == 2
    assert abs(j["macs"] / 2 - 0.39e9) / 0.39e9 < 0.02
    assert j["flops"] == 2 * j["macs"]
    assert sum(l["macs"] for l in j["layers"]) == j["macs"]
    for l in j["layers"]:
        for k in ("name", "kind", "input_shape", "output_shape", "macs", "params"):
            assert k in l, (l, k)
    stem = next(l for l in j["layers"] if l["name"] == "stem")
    assert stem["input_shape"] == [2, 224, 224, 3] and stem["output_shape"] == [2, 112, 112, 32]


def models(j):
    names = [m["name"] for m in j]
    for n in ("efficientnet-b0", "efficientnet-x-b7-relu", "efficientnet-x-tpu-b3", "resnet-50", "mnasnet-a1"):
        assert n in names, n


def simulate_b0(j):
    # The simulate --json contract (issue 3), and internal consistency of the figures.
    for k in ("latency_ms", "flops", "hbm_bytes", "operational_intensity", "efficiency", "units", "layers"):
        assert k in j, k
    assert j["model"] == "efficientnet-b0" and j["accelerator"] == "tpuv3" and j["batch"] == 128
    assert "seq_len" not in j  # an image model
    assert j["latency_ms"] > 0
    assert abs(j["operational_intensity"] - j["flops"] / j["hbm_bytes"]) < 1e-6 * j["operational_intensity"]
    assert 0 < j["efficiency"] <= 1
    for name in ("matrix", "vector", "hbm"):
        u = j["units"][name]
        assert 0 <= u["busy_fraction"] <= 1 and u["contention_ms"] >= 0, (name, u)
    # Contention per unit (issue 26): contention_ms is summed over a kind's instances (135.9 ms over tpuv3's 32 HBM
    # channels in a 13.8 ms run), contention_ms_per_instance is that sum over the count, for every unit with a queue.
    assert j["units"]["hbm"]["instances"] == 32  # tpuv3.yaml: hbm.channels 32 (4 HBM2 stacks x 8 channels)
    for name, u in j["units"].items():
        if u["parent"] == "":
            per = u["contention_ms_per_instance"]
            assert abs(per * u["instances"] - u["contention_ms"]) <= 1e-9 * max(1.0, u["contention_ms"]), (name, u)
    for l in j["layers"]:
        for k in ("name", "start_ms", "end_ms", "unit"):
            assert k in l, (l, k)
        assert 0 <= l["start_ms"] <= l["end_ms"] <= j["latency_ms"] * (1 + 1e-9)
    assert max(l["end_ms"] for l in j["layers"]) == j["latency_ms"]


def simulate_csv(j):
    # `simulate --csv F` writes the same per-layer figures as --json (issue 15): one row per layer, exact values.
    import csv
    path = sys.argv[sys.argv.index("--csv") + 1]
    rows = list(csv.DictReader(open(path)))
    assert len(rows) == len(j["layers"]), (len(rows), len(j["layers"]))
    for r, l in zip(rows, j["layers"]):
        assert r["name"] == l["name"] and r["unit"] == l["unit"] and int(r["fused"]) == len(l["fused"]), (r, l)
        for k in ("start_ms", "end_ms", "macs", "hbm_bytes", "operational_intensity", "efficiency"):
            assert float(r[k]) == l[k], (k, r[k], l[k])


def simulate_seq(j):
    # A sequence model's result names its sequence length (issue 22): bert-base asked at --seq-len 64, batch 2.
    # Throughput counts sequences: batch / latency. An image model's result has no seq_len key (simulate_b0).
    assert j["model"] == "bert-base" and j["batch"] == 2 and j["seq_len"] == 64, (j["model"], j.get("seq_len"))
    assert abs(j["throughput"] - 2 / (j["latency_ms"] / 1e3)) < 1e-9 * j["throughput"]


def sensitivity_mnasnet(j):
    # `ridgepoint sensitivity --json` (issue 23 item 3): mnasnet-a1 at batch 8 on tpuv3, four keys.
    import math
    for k in ("network", "accelerator", "batch", "step", "targets", "base", "bottleneck", "simulations", "rows"):
        assert k in j, k
    assert j["network"] == "mnasnet-a1" and j["accelerator"] == "tpuv3" and j["batch"] == 8 and j["step"] == 0.1
    assert j["base"]["latency_ms"] > 0
    for t in j["targets"]:  # a target the result schema lacks is named as not modelled, never given as zeros
        assert t["modelled"] == (t["field"] in j["base"]), t
        if not t["modelled"]:
            assert j[t["name"]].startswith("not modelled"), j[t["name"]]
    rows = {r["key"]: r for r in j["rows"]}
    assert sorted(rows) == ["cores", "hbm.bandwidth_gbps", "hbm.capacity_gib", "hbm.channels"]
    # Ranked by the largest |elasticity|; rank 1, 2, ...
    assert [r["rank"] for r in j["rows"]] == [1, 2, 3, 4]
    scores = [-1 if r["score"] is None else r["score"] for r in j["rows"]]
    assert scores == sorted(scores, reverse=True), scores
    bw = rows["hbm.bandwidth_gbps"]
    assert bw["base"] == 900 and bw["unit"] == "GB/s" and abs(bw["down"]["value"] - 810) < 1e-9
    assert abs(bw["up"]["value"] - 990) < 1e-9
    for d in ("down", "up"):  # the definition: ln(y1 / y0) / ln(x1 / x0), from the figures the JSON gives
        p = bw[d]
        e = math.log(p["latency_ms"] / j["base"]["latency_ms"]) / math.log(p["value"] / bw["base"])
        assert abs(p["latency_elasticity"] - e) < 1e-9, (d, p, e)
        assert -1 - 1e-9 <= p["latency_elasticity"] < 0, p  # more bandwidth never slows, at most in proportion
    cap = rows["hbm.capacity_gib"]  # capacity only decides feasibility: exactly 0
    assert cap["down"]["latency_elasticity"] == 0 and cap["up"]["latency_elasticity"] == 0, cap
    # cores 2 -> 1 and 3; 3 does not divide tpuv3's 32 HBM channels: refused with the reason, not simulated. The
    # channels 29 and 35 do not split over 2 cores either.
    assert rows["cores"]["down"]["evaluated"] and rows["cores"]["down"]["value"] == 1
    assert not rows["cores"]["up"]["evaluated"] and "multiple of cores" in rows["cores"]["up"]["reason"]
    ch = rows["hbm.channels"]
    assert not ch["down"]["evaluated"] and not ch["up"]["evaluated"] and ch["score"] is None
    assert ch["binding_unit"] is None and ch["down"]["value"] == 29 and ch["up"]["value"] == 35
    # One simulation for the base and per simulated direction: 1 + 2 (bandwidth) + 2 (capacity) + 1 (1 core).
    assert j["simulations"] == 6, j["simulations"]


CHECKS = {"info_b0": info_b0, "models": models, "simulate_b0": simulate_b0, "simulate_csv": simulate_csv}
CHECKS["simulate_seq"] = simulate_seq
CHECKS["sensitivity_mnasnet"] = sensitivity_mnasnet

if __name__ == "__main__":
    binary, check, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    p = subprocess.run([binary] + args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"exit code {p.returncode}: {p.stderr}")
    CHECKS[check](json.loads(p.stdout))
