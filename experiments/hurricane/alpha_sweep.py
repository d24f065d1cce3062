#!/usr/bin/python3
"""alpha_sweep.py [--ridgepoint PATH] [--accel tpuv2,tpuv3,v100] [--alpha 0,0.1,...] [--layers 20] [--per-slot]

Where SEP and Choice ops enter HURRICANE's generated space (docs/hurricane.md, "Alpha sweep"): for each accelerator
and each alpha of the list, runs `ridgepoint hurricane space --accel A --alpha X` (space generation only: no
training, well under a second each) and prints which learnable layers keep a SEP op, a Choice op, an MB op, and how
many kept slots each structure holds (and how many of the MB
ones have expansion 1). --per-slot also prints every layer's kept ops. Exit 2 with one line and nothing on stdout
when ridgepoint fails (its message) or prints nothing parsable: every space is generated before the table starts."""
import argparse
import re
import subprocess
import sys

LAYER = re.compile(r"^layer (\d+) ")
KEPT = re.compile(r"^\s+\d+ ([*e]) (\S+)")
STRUCTURES = ("SEP", "Choice", "MB")
MB_E1 = re.compile(r"^MB_\d_1(_SE)?$")  # expansion 1: a depthwise-separable conv with a skip


def kept_ops(ridgepoint, accel, alpha, layers):
    """Per layer, the kept op names (the exploring one marked with a trailing '+')."""
    cmd = [ridgepoint, "hurricane", "space", "--accel", accel, "--alpha", str(alpha), "--layers", str(layers)]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["exit %d" % run.returncode])[-1]
        raise SystemExit("alpha_sweep.py: %s failed: %s" % (" ".join(cmd), last))
    out = []
    for line in run.stdout.splitlines():
        if LAYER.match(line):
            out.append([])
        elif out and KEPT.match(line):
            mark, op = KEPT.match(line).groups()
            out[-1].append(op + ("+" if mark == "e" else ""))
    if len(out) != layers or not all(out):
        raise SystemExit("alpha_sweep.py: %s printed %d layers with kept ops, expected %d" % (" ".join(cmd), len(out),
                                                                                         layers))
    return out


def layers_with(space, structure, exploring):
    """The layers whose kept ops (ranked ones, or only the exploring one) include one of `structure`."""
    return [i for i, ops in enumerate(space)
            if any(op.startswith(structure + "_") and op.endswith("+") == exploring for op in ops)]


def span(layers):
    """Layer indices as ranges: 0-3,8,10-19 ('-' for none)."""
    parts = []
    for i in layers:
        if parts and parts[-1][1] == i - 1:
            parts[-1][1] = i
        else:
            parts.append([i, i])
    return ",".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in parts) or "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[2])
    ap.add_argument("--ridgepoint", default="ridgepoint")
    ap.add_argument("--accel", default="tpuv2,tpuv3,v100")
    ap.add_argument("--alpha", default="0,0.1,0.2,0.3,0.35,0.4,0.45,0.5,0.75")
    ap.add_argument("--layers", type=int, default=20)
    ap.add_argument("--per-slot", action="store_true")
    a = ap.parse_args()
    try:
        alphas = [float(x) for x in a.alpha.split(",")]
    except ValueError:
        print("alpha_sweep.py: --alpha: expected comma-separated numbers, got '%s'" % a.alpha, file=sys.stderr)
        return 2
    # Every space first: a bad accelerator, alpha or layer count stops with one line (exit 2) before any output.
    spaces = [(accel, alpha, kept_ops(a.ridgepoint, accel, alpha, a.layers))
              for accel in a.accel.split(",") for alpha in alphas]
    print("%-6s %5s  %-18s %-18s %-17s %s" % ("accel", "alpha", "SEP kept at layers", "Choice kept at layers",
                                              "exploring op", "kept slots SEP/Choice/MB"))
    for accel, alpha, space in spaces:
        ranked = [op for ops in space for op in ops if not op.endswith("+")]
        e1 = sum(bool(MB_E1.match(op)) for op in ranked)
        counts = "/".join(str(sum(op.startswith(s + "_") for op in ranked)) for s in STRUCTURES)
        counts += " (%d MB_k_1)" % e1
        explore = sorted({op.rstrip("+") for ops in space for op in ops if op.endswith("+")})
        print("%-6s %5g  %-18s %-18s %-17s %s" % (accel, alpha, span(layers_with(space, "SEP", False)),
                                                 span(layers_with(space, "Choice", False)),
                                                 ",".join(explore) or "-", counts))
        if a.per_slot:
            for i, ops in enumerate(space):
                print("    layer %2d: %s" % (i, " ".join(ops)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit as e:
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
            sys.exit(2)
        raise
