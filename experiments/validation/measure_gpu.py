#!/usr/bin/python3
"""Our own GPU measurements (issue 25 item 5): time the zoo models that PyTorch can build on a real GPU, store the
figures with the exact conditions, and report a config's error on them as a prediction (docs/gpu-measurements.md).

  measure_gpu.py measure OUTDIR [--device cuda] [--models M1,M2,...] [--batches 128,32] [--iters 20] [--warmup 10]
                         [--modes eager,compile] [--time-limit S]
  measure_gpu.py compare OUTDIR/gpu-measurements.csv [--accel h100] [--ridgepoint PATH] [--json]

measure: for every model, batch and mode (eager first for every model, then torch.compile where it works), puts
the model in eval mode on the device (random weights: they change neither shapes nor costs), runs `--warmup`
forward passes, then `--iters` timed ones, each between two synchronizations of the device, under
torch.inference_mode and, on CUDA, automatic mixed precision (torch.autocast, float16) with channels_last inputs
and weights for the convolutional networks; the row's figure is the median. Each finished row is appended to
OUTDIR/gpu-measurements.csv at once and flushed (an interrupted run keeps every finished row; a rerun skips the rows
already there with status ok; a folder whose rows were measured under other conditions is refused); conditions.json
records the device, driver, library versions and the command; at the
end OUTDIR/measurements-MODE.csv holds, per mode, the rows in the format `ridgepoint calibrate --measurements`
reads (zoo models only). `--time-limit S` starts no measurement after S seconds (rows not started are written with
status "skipped: time limit"). A model or mode that fails (e.g. torch.compile missing or failing) is a row with
its status, not a crash. `--device cpu` runs the same code in float32 on the CPU (the test's dry run; those figures
are not GPU measurements and say so in their precision and device columns).

compare: simulates every ok row with `ridgepoint simulate MODEL --accel ACCEL --batch B --resolution R --json`
(BERT: --seq-len; a torch.compile row with --set lowering.compiled_graph=true) and prints measured vs simulated
with the signed error, the MAPE and Spearman rank correlation per mode; `regnety-800mf` (not in the zoo) is
simulated from a TorchScript export of torchvision's regnet_y_800mf (scripts/export_torchvision.py). The
accelerator's figures are predictions: nothing is fitted on them.

Models (zoo name: what PyTorch builds, input): efficientnet-b0..b4 (torchvision efficientnet_b0..b4 at the paper's
resolutions 224, 240, 260, 300, 380, the zoo's), resnet-50 (resnet50, 224), regnety-800mf (regnet_y_800mf, 224),
vit-b16 (vit_b_16, 224), bert-base (BERT-base built from torch.nn: token, position and segment embeddings,
LayerNorm, 12 post-LN encoder layers of width 768, 12 heads, FFN 3072, GELU, and the tanh pooler; sequence 128,
as the zoo's bert-base; PyTorch may run nn.TransformerEncoder's fused inference path, which is what PyTorch does).
Bad input (unknown model or mode, a batch that is not a positive integer, no CUDA device for --device cuda): one
line on stderr naming the argument, exit 2.
"""
import argparse
import csv
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

# zoo name -> (torchvision builder or "bert", resolution or sequence length)
MODELS = {
    "efficientnet-b0": ("efficientnet_b0", 224),
    "efficientnet-b1": ("efficientnet_b1", 240),
    "efficientnet-b2": ("efficientnet_b2", 260),
    "efficientnet-b3": ("efficientnet_b3", 300),
    "efficientnet-b4": ("efficientnet_b4", 380),
    "resnet-50": ("resnet50", 224),
    "regnety-800mf": ("regnet_y_800mf", 224),
    "vit-b16": ("vit_b_16", 224),
    "bert-base": ("bert", 128),
}
NOT_IN_ZOO = {"regnety-800mf"}  # simulated from a TorchScript export, not a zoo name
MODES = ("eager", "compile")
COLUMNS = ["model", "builder", "resolution_or_seq", "batch", "mode", "device", "precision", "median_ms", "min_ms",
           "max_ms", "iters", "warmup", "status"]


class UsageError(Exception):
    pass


def positive_ints(text, what):
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise UsageError(f"{what}: expected comma-separated positive integers, got '{text}'") from None
    if not values or min(values) < 1:
        raise UsageError(f"{what}: expected comma-separated positive integers, got '{text}'")
    return values


def one_int(text, what):
    values = positive_ints(text, what)
    if len(values) != 1:
        raise UsageError(f"{what}: expected one positive integer, got '{text}'")
    return values[0]


def names(text, allowed, what):
    values = [v for v in text.split(",") if v]
    if not values:
        raise UsageError(f"{what}: expected some of {', '.join(allowed)}, got '{text}'")
    for v in values:
        if v not in allowed:
            raise UsageError(f"{what}: unknown '{v}'; expected some of {', '.join(allowed)}")
    return values


def bert_base(torch):
    """BERT-base (Devlin et al. 2019) from torch.nn: embeddings, 12 post-LN layers, tanh pooler."""
    nn = torch.nn

    class Bert(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok, self.pos, self.seg = nn.Embedding(30522, 768), nn.Embedding(512, 768), nn.Embedding(2, 768)
            self.norm = nn.LayerNorm(768, eps=1e-12)
            layer = nn.TransformerEncoderLayer(768, 12, 3072, dropout=0.0, activation="gelu", batch_first=True,
                                               layer_norm_eps=1e-12)
            self.encoder = nn.TransformerEncoder(layer, 12)
            self.pool = nn.Linear(768, 768)

        def forward(self, ids):
            positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
            x = self.norm(self.tok(ids) + self.pos(positions) + self.seg(torch.zeros_like(ids)))
            x = self.encoder(x)
            return torch.tanh(self.pool(x[:, 0]))

    return Bert()


def build(torch, name):
    """The model (eval mode) and a function giving its input for a batch."""
    builder, size = MODELS[name]
    if builder == "bert":
        return bert_base(torch).eval(), lambda b, dev: torch.randint(0, 30522, (b, size), device=dev)
    import torchvision
    model = getattr(torchvision.models, builder)(weights=None).eval()
    return model, lambda b, dev: torch.randn(b, 3, size, size, device=dev)


def time_model(torch, model, x, device, iters, warmup):
    """Milliseconds of each of `iters` forward passes after `warmup`, each between two device synchronizations."""
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    times = []
    for i in range(warmup + iters):
        sync()
        t0 = time.perf_counter()
        model(x)
        sync()
        if i >= warmup:
            times.append(1e3 * (time.perf_counter() - t0))
    return times


def measure_row(torch, name, batch, mode, args):
    """One row's fields (status 'ok' or the reason it has no figure)."""
    builder, size = MODELS[name]
    cuda = args.device == "cuda"
    row = dict(model=name, builder=builder, resolution_or_seq=size, batch=batch, mode=mode, device=args.device,
               precision="fp16 autocast" if cuda else "fp32", iters=args.iters, warmup=args.warmup)
    try:
        model, make_input = build(torch, name)
        x = make_input(batch, args.device)
        model = model.to(args.device)
        if builder != "bert" and cuda:
            model, x = model.to(memory_format=torch.channels_last), x.contiguous(memory_format=torch.channels_last)
        if mode == "compile":
            if not hasattr(torch, "compile"):
                raise RuntimeError(f"torch {torch.__version__} has no torch.compile")
            model = torch.compile(model)
        with torch.inference_mode(), torch.autocast("cuda" if cuda else "cpu", dtype=torch.float16 if cuda else torch.bfloat16,
                                                   enabled=cuda):
            times = time_model(torch, model, x, args.device, args.iters, args.warmup)
        row.update(median_ms=statistics.median(times), min_ms=min(times), max_ms=max(times), status="ok")
    except Exception as e:  # noqa: BLE001 - a failing model or mode is a row with its reason, not a crash
        row.update(status=f"failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:300])
    finally:
        if cuda:
            torch.cuda.empty_cache()
    return row


def conditions(torch, args):
    info = dict(command=" ".join(sys.argv), date=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                host=platform.node(), python=platform.python_version(), torch=torch.__version__,
                device=args.device, iters=args.iters, warmup=args.warmup)
    try:
        import torchvision
        info["torchvision"] = torchvision.__version__
    except ImportError:
        info["torchvision"] = None
    if args.device == "cuda":
        p = torch.cuda.get_device_properties(0)
        info.update(gpu=p.name, compute_capability=f"{p.major}.{p.minor}", gpu_memory_bytes=p.total_memory,
                    cuda=torch.version.cuda, cudnn=torch.backends.cudnn.version())
        try:
            q = "name,driver_version,clocks.max.sm,clocks.max.mem,power.limit"
            info["nvidia_smi"] = subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader"],
                                                capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError) as e:
            info["nvidia_smi"] = f"unavailable: {e}"
    return info


def write_whole(path, text):
    """Writes `path` whole or not at all (a temporary file in the same directory, then rename)."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as open() would make it (mkstemp makes 0600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def done_rows(path):
    """The journal's rows (a row cut short by a kill has fields of None: never status ok)."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


# What a row's figure depends on besides the model, batch and mode: a folder holds rows of one set of conditions.
CONDITION_KEYS = ("device", "iters", "warmup", "torch", "torchvision", "gpu", "cuda", "cudnn")


def check_folder(outdir, journal, now):
    """UsageError when OUTDIR's earlier rows were measured under other conditions than `now` (conditions.json), or
    its journal is not measure's; a journal whose last line was cut short gets its line end first."""
    if not os.path.exists(journal):
        return
    with open(journal, newline="") as f:
        header = f.readline().strip()
    if header != ",".join(COLUMNS):
        raise UsageError(f"{journal}: not a gpu-measurements.csv of this script (header '{header}')")
    path = os.path.join(outdir, "conditions.json")
    try:
        with open(path) as f:
            before = json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError(f"{path}: unreadable ({e}); measure into another OUTDIR") from None
    diff = [k for k in CONDITION_KEYS if before.get(k) != now.get(k)]
    if diff:
        raise UsageError(f"{outdir}: its rows were measured with other conditions ({', '.join(diff)} differ: "
                         f"{', '.join(f'{k} {before.get(k)!r} now {now.get(k)!r}' for k in diff)}); "
                         "measure into another OUTDIR")
    with open(journal, "rb+") as f:
        f.seek(0, os.SEEK_END)
        if f.tell() > 0:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                f.write(b"\n")  # the torn row stays a row of its own, without status ok


def measure(args):
    import torch
    if args.device == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device is visible to PyTorch (use --device cpu for a dry run)")
    if os.path.exists(args.outdir) and not os.path.isdir(args.outdir):
        raise UsageError(f"{args.outdir}: exists and is not a directory (OUTDIR is a folder)")
    os.makedirs(args.outdir, exist_ok=True)
    journal = os.path.join(args.outdir, "gpu-measurements.csv")
    now = conditions(torch, args)
    check_folder(args.outdir, journal, now)
    rows = done_rows(journal)
    done = {(r["model"], r["batch"], r["mode"]) for r in rows if r["status"] == "ok"}
    if not os.path.exists(os.path.join(args.outdir, "conditions.json")) or not rows:
        write_whole(os.path.join(args.outdir, "conditions.json"), json.dumps(now, indent=2) + "\n")
    start = time.monotonic()
    new_file = not os.path.exists(journal)
    with open(journal, "a", newline="") as f:
        out = csv.DictWriter(f, fieldnames=COLUMNS)
        if new_file:
            out.writeheader()
        for mode in args.modes:
            for name in args.models:
                for batch in args.batches:
                    if (name, str(batch), mode) in done:
                        continue
                    if args.time_limit and time.monotonic() - start > args.time_limit:
                        row = dict(model=name, builder=MODELS[name][0], resolution_or_seq=MODELS[name][1],
                                   batch=batch, mode=mode, device=args.device, status="skipped: time limit")
                    else:
                        row = measure_row(torch, name, batch, mode, args)
                    out.writerow(row)
                    f.flush()
                    os.fsync(f.fileno())
                    rows.append({k: str(v) for k, v in row.items()})
                    print(f"{name} batch {batch} {mode}: {row.get('median_ms', row['status'])}", flush=True)
    for mode in args.modes:
        lines = ["model,batch,latency_ms,name"]
        lines += [f"{r['model']},{r['batch']},{r['median_ms']},{r['model']} batch {r['batch']} {mode}"
                  for r in rows if r["mode"] == mode and r["status"] == "ok" and r["model"] not in NOT_IN_ZOO]
        if len(lines) > 1:  # a mode with no figure gets no file (calibrate needs rows)
            write_whole(os.path.join(args.outdir, f"measurements-{mode}.csv"), "\n".join(lines) + "\n")


def simulate(args, row, scratch):
    name, batch = row["model"], int(row["batch"])
    size = int(row["resolution_or_seq"])
    cmd = [args.ridgepoint, "simulate"]
    if name in NOT_IN_ZOO:
        pt = os.path.join(scratch, f"{row['builder']}.pt")
        if not os.path.exists(pt):
            here = os.path.dirname(os.path.abspath(__file__))
            export = os.path.join(here, "..", "..", "scripts", "export_torchvision.py")
            done = subprocess.run([sys.executable, export, row["builder"], pt], capture_output=True, text=True)
            if done.returncode != 0:
                raise UsageError(f"exporting {row['builder']} for {name}: {done.stderr.strip().splitlines()[-1:]}")
        cmd += [pt, "--input-shape", f"{batch},3,{size},{size}"]
    else:
        cmd += [name, "--batch", str(batch)] + (["--seq-len", str(size)] if name == "bert-base"
                                                 else ["--resolution", str(size)])
    # A torch.compile row ran as a compiled graph: its kernels but convolutions pay the driver's launch, not eager
    # dispatch (docs/gpu-model.md, "Compiled graphs"), as the corpus's rows measured under XLA do.
    compiled = ["--set", "lowering.compiled_graph=true"] if row["mode"] == "compile" else []
    out = subprocess.run(cmd + ["--accel", args.accel, "--no-layers", "--json"] + compiled, capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise UsageError(f"{' '.join(cmd)}: {out.stderr.strip()}")
    try:
        return json.loads(out.stdout)["latency_ms"]
    except (ValueError, KeyError):
        raise UsageError(f"{' '.join(cmd)}: printed no JSON with latency_ms") from None


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(a, b):
    if len(a) < 3:
        return None
    ra, rb = ranks(a), ranks(b)
    ma, mb = statistics.mean(ra), statistics.mean(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    var = (sum((x - ma) ** 2 for x in ra) * sum((y - mb) ** 2 for y in rb)) ** 0.5
    return cov / var if var else None


def check_row(path, line, r):
    """UsageError naming PATH:LINE unless an ok row's model is known and its batch, size and median are numbers."""
    where = f"{path}:{line}"
    if r["model"] not in MODELS:
        raise UsageError(f"{where}: model '{r['model']}': expected one of {', '.join(MODELS)}")
    for key in ("batch", "resolution_or_seq"):
        if not (r[key] or "").isdigit() or int(r[key]) < 1:
            raise UsageError(f"{where}: {key} '{r[key]}': expected a positive integer")
    try:
        median = float(r["median_ms"])
    except (TypeError, ValueError):
        median = float("nan")
    if not math.isfinite(median) or median <= 0:
        raise UsageError(f"{where}: median_ms '{r['median_ms']}': expected a latency in milliseconds > 0")


def compare(args):
    if not os.path.isfile(args.csv):
        raise UsageError(f"{args.csv}: no such file (expected the gpu-measurements.csv that measure writes)")
    rows = done_rows(args.csv)
    missing = [c for c in ("model", "builder", "resolution_or_seq", "batch", "mode", "device", "median_ms", "status")
               if rows and c not in rows[0]]
    if missing:
        raise UsageError(f"{args.csv}: missing column(s) {', '.join(missing)} (expected measure's columns)")
    for line, r in enumerate(rows, start=2):
        if r["status"] == "ok":
            check_row(args.csv, line, r)
    rows = [r for r in rows if r["status"] == "ok"]
    if not rows:
        raise UsageError(f"{args.csv}: no row with status ok to compare")
    result = dict(accel=args.accel, rows=[], modes={})
    with tempfile.TemporaryDirectory() as scratch:
        for r in rows:
            measured, sim = float(r["median_ms"]), simulate(args, r, scratch)
            result["rows"].append(dict(model=r["model"], batch=int(r["batch"]), mode=r["mode"], device=r["device"],
                                       measured_ms=measured, simulated_ms=sim, error=sim / measured - 1))
    for mode in sorted({r["mode"] for r in result["rows"]}):
        sel = [r for r in result["rows"] if r["mode"] == mode]
        result["modes"][mode] = dict(rows=len(sel), mape=statistics.mean(abs(r["error"]) for r in sel),
                                     spearman=spearman([r["measured_ms"] for r in sel],
                                                       [r["simulated_ms"] for r in sel]))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'model':16s} {'batch':>5s} {'mode':8s} {'device':6s} {'measured ms':>12s} {'simulated ms':>13s} "
          f"{'error':>8s}")
    for r in result["rows"]:
        print(f"{r['model']:16s} {r['batch']:5d} {r['mode']:8s} {r['device']:6s} {r['measured_ms']:12.3f} "
              f"{r['simulated_ms']:13.3f} {100 * r['error']:+7.1f}%")
    if any(r["device"] != "cuda" for r in result["rows"]):
        print("note: rows measured on a device other than cuda are dry-run figures, not GPU measurements")
    for mode, s in result["modes"].items():
        rho = "n/a" if s["spearman"] is None else f"{s['spearman']:.3f}"
        print(f"{mode}: {s['rows']} rows on {args.accel} (predictions): MAPE {100 * s['mape']:.1f}%, Spearman {rho}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("outdir")
    m.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    m.add_argument("--models", default=",".join(MODELS))
    m.add_argument("--batches", default="128,32")
    m.add_argument("--iters", default="20")
    m.add_argument("--warmup", default="10")
    m.add_argument("--modes", default="eager,compile")
    m.add_argument("--time-limit", type=float, default=0, help="seconds after which no measurement starts")
    c = sub.add_parser("compare")
    c.add_argument("csv")
    c.add_argument("--accel", default="h100")
    c.add_argument("--ridgepoint", default="ridgepoint", help="the ridgepoint executable (default: on PATH)")
    c.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        if args.command == "measure":
            args.models = names(args.models, list(MODELS), "--models")
            args.modes = names(args.modes, list(MODES), "--modes")
            args.batches = positive_ints(args.batches, "--batches")
            args.iters, args.warmup = one_int(args.iters, "--iters"), one_int(args.warmup, "--warmup")
            if args.time_limit < 0:
                raise UsageError(f"--time-limit: expected seconds >= 0 (0: none), got {args.time_limit:g}")
            measure(args)
        else:
            compare(args)
    except UsageError as e:
        print(f"measure_gpu.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
