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


CHECKS = {"info_b0": info_b0, "models": models}

if __name__ == "__main__":
    binary, check, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    p = subprocess.run([binary] + args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"exit code {p.returncode}: {p.stderr}")
    CHECKS[check](json.loads(p.stdout))
