#!/usr/bin/python3
"""Fits the LACS accuracy surrogate (lacs/surrogate.yaml) on single-dimension scaling results only.

Every fit row is a published ImageNet top-1 of a base network or of that base scaled in ONE dimension (depth, width
or resolution); no row comes from a compound-scaled model (EfficientNet B1..B7 are never an input: they are the
out-of-sample check). Sources are named per row (../shared/reference/nas-and-scaling.md section 6 and the papers,
tables and READMEs cited in ROWS).

Model (per-dimension Box-Cox curves of the multiplier, additive, with a free offset per base network):
  top1(base b, d, w, r) = offset_b + g_depth(d) + g_width(w) + g_res(r),
  g(x) = slope (1 - x^-curvature) / curvature   (slope ln x when curvature = 0),
slope: top-1 points per e-fold of the multiplier at the base; curvature 0: log-linear, > 0: saturating. Depth is the
ratio of the layers (blocks) to the base's, width the channel multiplier, resolution the input side over the base's.
No interaction term: no row scales two dimensions, so nothing in the data can pin one (B1..B7's errors show what
additivity misses).
Fit: least squares over all rows, deterministic: for fixed curvatures the model is linear in the offsets and slopes
(numpy lstsq); the curvatures come from a grid over [0, 4] (step 0.1), refined twice around the best (steps 0.01,
0.001).
Run: /usr/bin/python3 lacs/fit_surrogate.py > lacs/surrogate.yaml
"""
import itertools
import math

import numpy as np

EFFNET = "EfficientNet (Tan & Le, ICML 2019, arXiv:1905.11946)"
T3 = EFFNET + " Table 3 (section 5.1)"
MB1 = "MobileNets (Howard et al. 2017, arXiv:1704.04861)"
MB2 = "tensorflow/models research/slim/nets/mobilenet/README.md, MobileNetV2 checkpoint table (Sandler et al. 2018)"
MNAS = "tensorflow/tpu models/official/mnasnet/README.md, MnasNet-A1 depth-multiplier x resolution table"
RESNET = "KaimingHe/deep-residual-networks README.md, 1-crop validation error (He et al., CVPR 2016 models)"

# (base, label, depth, width, resolution multipliers, top-1 %, source). Multipliers are relative to the row's base;
# each row changes at most one of them.
ROWS = [
    ("efficientnet-b0", "base", 1, 1, 1, 76.3, EFFNET + " Table 2 (section 5.2): B0"),
    ("efficientnet-b0", "depth x4", 4, 1, 1, 79.0, EFFNET + " Table 7 (section 6): B0 scaled to about 1.8B FLOPs"),
    ("efficientnet-b0", "width x2", 1, 2, 1, 78.9, EFFNET + " Table 7 (section 6): B0 scaled to about 1.8B FLOPs"),
    ("efficientnet-b0", "resolution x2", 1, 1, 2, 79.1, EFFNET + " Table 7 (section 6): B0 scaled to about 1.8B FLOPs"),
    ("mobilenet-v2 (EfficientNet Table 3)", "base", 1, 1, 1, 72.0, T3 + ": baseline MobileNetV2, 0.3B FLOPs"),
    ("mobilenet-v2 (EfficientNet Table 3)", "depth x4", 4, 1, 1, 76.8, T3 + ": d = 4, 1.2B FLOPs"),
    ("mobilenet-v2 (EfficientNet Table 3)", "width x2", 1, 2, 1, 76.4, T3 + ": w = 2, 1.1B FLOPs"),
    ("mobilenet-v2 (EfficientNet Table 3)", "resolution x2", 1, 1, 2, 74.8, T3 + ": r = 2, 1.2B FLOPs"),
    ("resnet-50 (EfficientNet Table 3)", "base", 1, 1, 1, 76.0, T3 + ": baseline ResNet-50, 4.1B FLOPs"),
    ("resnet-50 (EfficientNet Table 3)", "depth x4", 4, 1, 1, 78.1, T3 + ": d = 4, 16.2B FLOPs"),
    ("resnet-50 (EfficientNet Table 3)", "width x2", 1, 2, 1, 77.7, T3 + ": w = 2, 14.7B FLOPs"),
    ("resnet-50 (EfficientNet Table 3)", "resolution x2", 1, 1, 2, 77.5, T3 + ": r = 2, 16.4B FLOPs"),
    ("mnasnet-a1", "base", 1, 1, 1, 75.2, MNAS + ": 1.0 at 224 px"),
    ("mnasnet-a1", "resolution 160/224", 1, 1, 160 / 224, 72.0, MNAS + ": 1.0 at 160 px"),
    ("mnasnet-a1", "resolution 96/224", 1, 1, 96 / 224, 64.4, MNAS + ": 1.0 at 96 px"),
    ("mnasnet-a1", "width x1.4", 1, 1.4, 1, 77.2, MNAS + ": 1.4 at 224 px"),
    ("mnasnet-a1", "width x0.5", 1, 0.5, 1, 68.9, MNAS + ": 0.5 at 224 px"),
    ("mnasnet-a1", "width x0.35", 1, 0.35, 1, 64.1, MNAS + ": 0.35 at 224 px"),
    ("mobilenet-v1", "base", 1, 1, 1, 70.6, MB1 + " Table 6 (section 4.2): 1.0 MobileNet-224"),
    ("mobilenet-v1", "width x0.75", 1, 0.75, 1, 68.4, MB1 + " Table 6 (section 4.2): 0.75 MobileNet-224"),
    ("mobilenet-v1", "width x0.5", 1, 0.5, 1, 63.7, MB1 + " Table 6 (section 4.2): 0.50 MobileNet-224"),
    ("mobilenet-v1", "width x0.25", 1, 0.25, 1, 50.6, MB1 + " Table 6 (section 4.2): 0.25 MobileNet-224"),
    ("mobilenet-v1", "resolution 192/224", 1, 1, 192 / 224, 69.1, MB1 + " Table 7 (section 4.2): 1.0 MobileNet-192"),
    ("mobilenet-v1", "resolution 160/224", 1, 1, 160 / 224, 67.2, MB1 + " Table 7 (section 4.2): 1.0 MobileNet-160"),
    ("mobilenet-v1", "resolution 128/224", 1, 1, 128 / 224, 64.4, MB1 + " Table 7 (section 4.2): 1.0 MobileNet-128"),
    ("mobilenet-v2", "base", 1, 1, 1, 71.8, MB2 + ": mobilenet_v2_1.0_224"),
    ("mobilenet-v2", "width x1.4", 1, 1.4, 1, 75.0, MB2 + ": mobilenet_v2_1.4_224"),
    ("mobilenet-v2", "width x1.3", 1, 1.3, 1, 74.4, MB2 + ": mobilenet_v2_1.3_224"),
    ("mobilenet-v2", "width x0.75", 1, 0.75, 1, 69.8, MB2 + ": mobilenet_v2_0.75_224"),
    ("mobilenet-v2", "width x0.5", 1, 0.5, 1, 65.4, MB2 + ": mobilenet_v2_0.5_224"),
    ("mobilenet-v2", "width x0.35", 1, 0.35, 1, 60.3, MB2 + ": mobilenet_v2_0.35_224"),
    ("mobilenet-v2", "resolution 192/224", 1, 1, 192 / 224, 70.7, MB2 + ": mobilenet_v2_1.0_192"),
    ("mobilenet-v2", "resolution 160/224", 1, 1, 160 / 224, 68.8, MB2 + ": mobilenet_v2_1.0_160"),
    ("mobilenet-v2", "resolution 128/224", 1, 1, 128 / 224, 65.3, MB2 + ": mobilenet_v2_1.0_128"),
    ("mobilenet-v2", "resolution 96/224", 1, 1, 96 / 224, 60.3, MB2 + ": mobilenet_v2_1.0_96"),
    ("resnet-50 (MSRA)", "base", 1, 1, 1, 75.3, RESNET + ": ResNet-50, top-1 error 24.7%"),
    ("resnet-50 (MSRA)", "depth 101/50 layers", 101 / 50, 1, 1, 76.4, RESNET + ": ResNet-101, top-1 error 23.6%"),
    ("resnet-50 (MSRA)", "depth 152/50 layers", 152 / 50, 1, 1, 77.0, RESNET + ": ResNet-152, top-1 error 23.0%"),
]

# Out of sample: EfficientNet B1..B7, Table 2 (section 5.2) top-1; (width, depth, resolution) of tensorflow/tpu
# efficientnet_builder.py. The network's depth multiplier is its blocks over B0's 16 after round_repeats
# (ceil(d x repeats) of B0's stage repeats 1, 2, 2, 3, 3, 4, 1), the nominal d also shown.
B0_REPEATS = [1, 2, 2, 3, 3, 4, 1]
FAMILY = [("b1", 1.0, 1.1, 240, 78.8), ("b2", 1.1, 1.2, 260, 79.8), ("b3", 1.2, 1.4, 300, 81.1),
          ("b4", 1.4, 1.8, 380, 82.6), ("b5", 1.6, 2.2, 456, 83.3), ("b6", 1.8, 2.6, 528, 84.0),
          ("b7", 2.0, 3.1, 600, 84.4)]
B0_TOP1 = 76.3


def box_cox(x, c):
    lx = np.log(x)
    return lx if abs(c) < 1e-12 else (1 - np.exp(-c * lx)) / c


def design(x, onehot, curv):
    return np.hstack([onehot] + [box_cox(x[:, k:k + 1], curv[k]) for k in range(3)])


def lstsq(x, y, onehot, curv):
    a = design(x, onehot, curv)
    p = np.linalg.lstsq(a, y, rcond=None)[0]
    r = a @ p - y
    return float(r @ r), p


def fit(x, y, onehot):
    best = None
    grid = np.round(np.arange(0, 4.0001, 0.1), 6)
    for c in itertools.product(grid, repeat=3):
        s, p = lstsq(x, y, onehot, c)
        if best is None or s < best[0] - 1e-12:
            best = (s, c, p)
    for step in (0.01, 0.001):
        centre = best[1]
        for dc in itertools.product(np.arange(-10, 11) * step, repeat=3):
            c = tuple(round(min(4.0, max(0.0, a + b)), 6) for a, b in zip(centre, dc))
            s, p = lstsq(x, y, onehot, c)
            if s < best[0] - 1e-12:
                best = (s, c, p)
    return best


def gain(slope, curv, d, w, r):
    return sum(float(s * box_cox(np.array(v, dtype=float), c)) for s, c, v in zip(slope, curv, (d, w, r)))


def blocks(d):
    return sum(math.ceil(d * k) for k in B0_REPEATS)


def accuracy_only(slope, curv, budget=2.0):
    """The continuous accuracy-only optimum on alpha beta^2 gamma^2 = budget (alpha, beta >= 1, gamma from the
    budget), step 0.001, and the range of each coefficient within 0.1 point of it."""
    pts = []
    for al in np.arange(1.0, budget + 1e-9, 0.001):
        for be in np.arange(1.0, 2.0, 0.001):
            rem = math.log(budget) - math.log(al) - 2 * math.log(be)
            if rem < 0:
                break
            ga = math.exp(rem / 2)
            pts.append((gain(slope, curv, al, be, ga), al, be, ga))
    best = max(pts)
    near = [p for p in pts if p[0] >= best[0] - 0.1]
    spread = [(min(p[k] for p in near), max(p[k] for p in near)) for k in (1, 2, 3)]
    return best, spread


def q(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    bases = sorted(set(r[0] for r in ROWS))
    x = np.array([r[2:5] for r in ROWS], dtype=float)
    y = np.array([r[5] for r in ROWS])
    onehot = np.array([[1.0 if r[0] == b else 0.0 for b in bases] for r in ROWS])
    sse, curv, p = fit(x, y, onehot)
    offsets, slope = p[:len(bases)], p[len(bases):]
    fitted = design(x, onehot, curv) @ p
    lo = [min(1.0, float(x[:, k].min())) for k in range(3)]
    hi = [max(1.0, float(x[:, k].max())) for k in range(3)]

    print("# LACS accuracy surrogate: GENERATED by /usr/bin/python3 lacs/fit_surrogate.py; do not edit by hand.")
    print("# top1 = base_top1 + sum over (depth, width, resolution) of slope (1 - x^-curvature) / curvature")
    print("# (slope ln x at curvature 0), x the multiplier over the base (depth: layers over the base's).")
    print("# Fitted ONLY on the single-dimension rows below (no compound-scaled model); EfficientNet B1..B7 are the")
    print("# out-of-sample check (validation). Least squares with a free offset per base network (offsets).")
    print("model: single-dimension-box-cox")
    print("fit: single-dimension")
    print("slope: [%.6f, %.6f, %.6f]       # top-1 points per e-fold of depth, width, resolution at the base" %
          tuple(slope))
    print("curvature: [%.6f, %.6f, %.6f]   # 0: log-linear, > 0: saturating (grid [0, 4])" % tuple(curv))
    print("range:                # multipliers the fit rows cover; outside: extrapolated")
    for k, name in enumerate(("depth", "width", "resolution")):
        print("  %s: [%.6f, %.6f]" % (name, lo[k], hi[k]))
    print("base_top1: %.1f       # EfficientNet-B0 (paper Table 2); experiments may override accuracy.base_top1" %
          B0_TOP1)
    print("rmse: %.4f            # over the %d fit rows, top-1 points" % (math.sqrt(sse / len(y)), len(y)))
    print("offsets:              # fitted top-1 of each base network (not used: a run gives its base's top-1)")
    for b, o in zip(bases, offsets):
        print("  - {base: %s, top1: %.3f}" % (q(b), o))
    print("rows:                 # the fit data: one base network, at most one dimension scaled")
    for r, f in zip(ROWS, fitted):
        print("  - {base: %s, label: %s, depth: %.6f, width: %.6f, resolution: %.6f, top1: %.1f, fitted: %.3f,"
              " source: %s}" % (q(r[0]), q(r[1]), r[2], r[3], r[4], r[5], f, q(r[6])))
    print("validation:           # out of sample: EfficientNet B1..B7 (Table 2) from B0's 76.3, fitted minus published")
    errs, errs_nominal = [], []
    for name, w, d, res, top1 in FAMILY:
        deff = blocks(d) / blocks(1.0)
        pred = B0_TOP1 + gain(slope, curv, deff, w, res / 224)
        pred_nominal = B0_TOP1 + gain(slope, curv, d, w, res / 224)
        errs.append(pred - top1)
        errs_nominal.append(pred_nominal - top1)
        print("  - {point: %s, depth: %.4f, nominal_depth: %.1f, width: %.1f, resolution: %.6f, published: %.1f,"
              " predicted: %.3f, error: %.3f, error_nominal_depth: %.3f}" %
              (name, deff, d, w, res / 224, top1, pred, pred - top1, pred_nominal - top1))
    print("validation_rmse: %.4f          # blocks-ratio depth (what the networks have)" %
          math.sqrt(np.mean(np.square(errs))))
    print("validation_rmse_nominal: %.4f  # nominal depth coefficient" % math.sqrt(np.mean(np.square(errs_nominal))))
    (v, al, be, ga), spread = accuracy_only(slope, curv)
    print("# accuracy-only optimum at alpha beta^2 gamma^2 = 2 (continuous, not used by the code): "
          "(%.3f, %.3f, %.3f), +%.3f points over the base" % (al, be, ga, v))
    print("# triplets within 0.1 point of it: alpha %.3f..%.3f, beta %.3f..%.3f, gamma %.3f..%.3f" %
          tuple(x for s in spread for x in s))


if __name__ == "__main__":
    main()
