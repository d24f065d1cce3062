#!/usr/bin/python3
"""Builds the import table of docs/imports.md: every torchvision model of the TorchScript table, imported from
TorchScript and from ONNX, simulated on tpuv3 and v100 at batch 1.

usage: /usr/bin/python3 scripts/import_table.py SCRATCH [--ridgepoint PATH] [--only M1,M2,...]

For each model of scripts/export_torchvision.py's TABLE (serially):
- TorchScript: `export_torchvision.py MODEL SCRATCH/MODEL.pt` (traced, weights=None, eval mode);
- ONNX: the same module (same builder and arguments) through `torch.onnx.export(..., opset_version=17)` with
  everything else at its default (the plain export: batch norms after convolutions are folded into them), outside
  torch.no_grad() as docs/onnx.md shows it (under no_grad, torch 1.13's nn.MultiheadAttention takes its fast path,
  aten::_native_multi_head_attention, which torch.onnx.export cannot export: vit_b_16 and vit_l_16 would fail);
- `ridgepoint info FILE --json` (wall time = the import time, each importer on its own), then
  `ridgepoint simulate FILE --accel A --batch 1 --json` for A in tpuv3, v100.
Exports already in SCRATCH are reused. Writes only into SCRATCH (the exports and SCRATCH/import_table.md, whole or
not at all) and prints the markdown table on stdout, progress on stderr. An import that fails is reported with the
last line of its error; the other importer's row stays.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import export_torchvision  # noqa: E402  (TABLE, resolution_of)

ACCELS = ("tpuv3", "v100")
OPSET = 17
ONNX_EXPORT = r"""
import os, sys, warnings
import torch, torchvision
warnings.simplefilter("ignore")
torch.set_num_threads(1)
name, out, res = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.manual_seed(0)
kwargs = {"init_weights": False} if name in ("inception_v3", "googlenet") else {}
model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
tmp = out + ".tmp"
torch.onnx.export(model, torch.zeros(1, 3, res, res), tmp, opset_version=%d)  # as a user would: no no_grad()
os.replace(tmp, out)
""" % OPSET


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def last_line(text):
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "(no output)"


def run(cmd):
    """(returncode, stdout, stderr, wall seconds)."""
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), \
        time.monotonic() - start


def export(name, scratch, res):
    """{"pt": path or reason, "onnx": path or reason} with the export times logged."""
    files = {}
    for kind, cmd in (("pt", [sys.executable, os.path.join(HERE, "export_torchvision.py"), name]),
                      ("onnx", [sys.executable, "-c", ONNX_EXPORT, name])):
        path = os.path.join(scratch, f"{name}.{kind}")
        if os.path.exists(path):
            files[kind] = path
            continue
        rc, _, err, wall = run(cmd + [path] + ([str(res)] if kind == "onnx" else ["--resolution", str(res)]))
        log(f"{name}: {kind} export {'ok' if rc == 0 else 'FAILED'} in {wall:.1f} s")
        files[kind] = path if rc == 0 else ("export fails: " + last_line(err))
    return files


def model_args(kind, path, res):
    return [path] if kind == "onnx" else ["--torchscript", path, "--input-shape", f"1,3,{res},{res}"]


def import_one(ridgepoint, kind, path, res):
    """{"ok": bool, "reason", "import_s", "macs", "params", ACCEL: latency_ms}."""
    if not os.path.exists(path):
        return {"ok": False, "reason": path}
    args = model_args(kind, path, res)
    rc, out, err, wall = run([ridgepoint, "info"] + args + ["--batch", "1", "--json"])
    if rc != 0:
        return {"ok": False, "reason": last_line(err or out)}
    row = {"ok": True, "import_s": wall}
    for accel in ACCELS:
        rc, out, err, _ = run([ridgepoint, "simulate"] + args + ["--accel", accel, "--batch", "1", "--json"])
        if rc != 0:
            return {"ok": False, "reason": f"simulate --accel {accel}: " + last_line(err or out)}
        result = json.loads(out)
        row[accel] = result["latency_ms"]
        row["macs"] = sum(layer.get("macs", 0) for layer in result["layers"])
    return row


def short(reason):
    """The reason without the program and file prefix, PyTorch's appeal for a pull request or the node's printout."""
    reason = re.sub(r"^ridgepoint: error: (torchscript|onnx) \S+: ", "", reason)
    reason = reason.split(" Please feel free")[0].replace("torch.onnx.errors.", "")
    return re.sub(r"( at node %[\w.]+) : .*", r"\1", reason)


def cell_reason(r):
    return "ok" if r["ok"] else short(r["reason"]).replace("|", "\\|")


def pct(a, b):
    return 100.0 * (b - a) / a


def table(rows):
    head = ("| model | TorchScript | ONNX | tpuv3 TS ms | tpuv3 ONNX ms | tpuv3 diff | v100 TS ms | v100 ONNX ms "
            "| v100 diff | MACs TS / ONNX (G) | import s TS / ONNX |")
    lines = [head, "|" + "---|" * 11]
    for name, ts, ox in rows:
        cells = [f"`{name}`", cell_reason(ts), cell_reason(ox)]
        for accel in ACCELS:
            a = f"{ts[accel]:.4f}" if ts["ok"] else "-"
            b = f"{ox[accel]:.4f}" if ox["ok"] else "-"
            d = f"{pct(ts[accel], ox[accel]):+.2f}%" if ts["ok"] and ox["ok"] else "-"
            cells += [a, b, d]
        macs = [f"{r['macs'] / 1e9:.3f}" if r["ok"] else "-" for r in (ts, ox)]
        times = [f"{r['import_s']:.1f}" if r["ok"] else "-" for r in (ts, ox)]
        cells += [" / ".join(macs), " / ".join(times)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def summary(rows):
    both = [(n, t, o) for n, t, o in rows if t["ok"] and o["ok"]]
    diffs = [abs(pct(t[a], o[a])) for _, t, o in both for a in ACCELS]
    within = sum(1 for _, t, o in both if all(abs(pct(t[a], o[a])) <= 1.0 for a in ACCELS))
    ts_ok = sum(1 for _, t, _ in rows if t["ok"])
    ox_ok = sum(1 for _, _, o in rows if o["ok"])
    return (f"{len(rows)} models: TorchScript imports {ts_ok}, ONNX {ox_ok}, both {len(both)}; within 1% on both "
            f"accelerators: {within} of {len(both)}; largest |difference| {max(diffs, default=0):.2f}%\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scratch", help="folder for the exports and import_table.md (created if missing)")
    parser.add_argument("--ridgepoint", default="ridgepoint", help="the ridgepoint binary (default: on PATH)")
    parser.add_argument("--only", default="", help="a comma-separated subset of the table")
    args = parser.parse_args()
    os.makedirs(args.scratch, exist_ok=True)
    names = [m for m in args.only.split(",") if m] or export_torchvision.TABLE
    rows = []
    for name in names:
        res = export_torchvision.resolution_of(name, None)
        files = export(name, args.scratch, res)
        ts = import_one(args.ridgepoint, "pt", files["pt"], res)
        ox = import_one(args.ridgepoint, "onnx", files["onnx"], res)
        log(f"{name}: TorchScript {cell_reason(ts)}, ONNX {cell_reason(ox)}")
        rows.append((name, ts, ox))
    text = table(rows) + "\n" + summary(rows)
    out = os.path.join(args.scratch, "import_table.md")
    with open(out + ".tmp", "w") as f:
        f.write(text)
    os.replace(out + ".tmp", out)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
