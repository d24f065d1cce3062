#!/usr/bin/python3
"""check_imported.py RIDGEPOINT MODEL.pt WORKDIR: imported models are first-class (issue 22, item 6), end to end.

- `import MODEL.pt -o net.yaml` round-trips: `info --json` of the file and of the model list the same layers (names,
  kinds, shapes, MACs, params), and both simulate to the same latency at two batches;
- a trace's /meta/network is a network file: written by `simulate --trace`, it reads back to the same latency;
- the batch rule: `simulate MODEL.pt`, `simulate --torchscript MODEL.pt` and `simulate resnet-50` all run tpuv3's
  default batch (128, accel_models/configs/tpuv3.yaml) and say so; `compare MODEL.pt resnet-50` states it once;
- `--seq-len` is bounded like batch and resolution.
Exits non-zero naming the first check that fails."""
import json
import os
import subprocess
import sys

import h5py

BIN, MODEL, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(WORK, exist_ok=True)


def run(*args, code=0):
    p = subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.returncode == code, (args, p.returncode, p.stderr)
    return p.stdout if code == 0 else p.stderr


def js(*args):
    return json.loads(run(*args, "--json"))


def layers(info):
    return [(l["name"], l["kind"], l["output_shape"], l["macs"], l["params"]) for l in info["layers"]]


net = os.path.join(WORK, "net.yaml")
run("import", MODEL, "-o", net)
assert layers(js("info", net)) == layers(js("info", MODEL)), "import: the layer list differs from the model"
for b in ("1", "8"):
    a, c = js("simulate", net, "--batch", b), js("simulate", MODEL, "--batch", b)
    assert a["latency_ms"] == c["latency_ms"], ("import: latency differs at batch", b)

trace = os.path.join(WORK, "t.h5")
run("simulate", "mnasnet-a1", "--batch", "8", "--trace", trace, "--no-layers")
with h5py.File(trace, "r") as f:
    meta = f["meta"].attrs["network"]
    assert f["meta"].attrs["batch_rule"] == "batch 8 from --batch"
meta_file = os.path.join(WORK, "meta.yaml")
with open(meta_file, "w") as f:
    f.write(meta if isinstance(meta, str) else meta.decode())
assert js("simulate", meta_file, "--batch", "8")["latency_ms"] == js("simulate", "mnasnet-a1", "--batch", "8")[
    "latency_ms"], "a trace's /meta/network does not read back"

rules = {js("simulate", m)["batch_rule"] for m in (MODEL, "resnet-50")}
rules.add(js("simulate", "--torchscript", MODEL)["batch_rule"])
assert rules == {"batch 128, tpuv3 default"}, rules
header = run("compare", MODEL, "resnet-50", "--accel", "tpuv3").splitlines()[0]
assert header.startswith("accelerator tpuv3, batch 128, tpuv3 default,"), header

assert "--seq-len must be >= 1, got 0" in run("simulate", "mnasnet-a1", "--seq-len", "0", code=2)
assert "--seq-len must be 0 (the model's own) or in [1, 1048576], got 2000000" in run(
    "info", "mnasnet-a1", "--seq-len", "2000000", code=2)
print("imported models: all checks passed")
