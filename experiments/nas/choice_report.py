#!/usr/bin/python3
"""Hardware effects apart from proxy effects (docs/nas.md, "Control searches"): which architectural choices differ
between NAS searches (e.g. TPUv3, V100 and a control search without the latency signal), and how the choices go
with proxy accuracy and with latency.

usage: choice_report.py [--top K] [--first N] SEARCH.h5 SEARCH.h5 [SEARCH.h5 ...]
 --first N: only steps 0..N-1 of each search (a search of N samples with the same seed and settings proposes and
    rates exactly these: compare a longer search with a shorter control at the same budget).
 1. Choices among each search's top K distinct feasible architectures by reward (ties: the earlier step; K = 20 by
    default, all of them when a search has fewer): per stage fused or depthwise conv, activation, kernel and SE, and
    the global space-to-depth. For each choice, the counts per search and Pearson's chi-square test of
    independence on the searches x options table (no continuity correction; df = (searches - 1) x (options - 1)),
    with its p-value and the Bonferroni-adjusted one (x the number of choices tested). A choice that no search
    varies has chi2 = 0, p = 1. Expected counts under 5 are flagged: the chi-square approximation is then rough.
 2. Per search, over all feasible samples: Pearson's r of the number of fused blocks (stages, of 7) with proxy
    accuracy and with simulated latency (issue 24: r = 0.64 and -0.03 in the random search).
Prints markdown tables. The chi-square tail is computed here (no scipy): Q(df/2, x/2) by the recurrence
Q(s + 1, y) = Q(s, y) + y^s e^-y / Gamma(s + 1) from Q(1, y) = e^-y and Q(1/2, y) = erfc(sqrt(y)).
"""
import math
import os
import sys

import h5py
import numpy as np

OPTIONS = {"conv": ("fused", "dw"), "activation": ("relu", "swish"), "kernel": ("k3", "k5"), "se": ("se0", "se0.25")}


def parse_arch(text):
    """{choice name: option} of a canonical architecture text (nas/space/search_space.h), e.g. "stage 2 conv": "fused",
    "space-to-depth": "s2d1"; choices the space lacks (efficientnet: no conv, activation, s2d) are absent."""
    groups = text.split(",")
    out = {}
    if groups[0].startswith("s2d"):
        out["space-to-depth"] = groups[0]
        groups = groups[1:]
    for stage, group in enumerate(groups):
        for token in group.split("_"):
            for name, options in OPTIONS.items():
                if token in options:
                    out["stage %d %s" % (stage, name)] = token
    return out


def top_archs(samples, k):
    """The top k distinct feasible architectures by reward (ties: the earlier step), as texts."""
    ok = samples[samples["feasible"] == 1]
    order = sorted(range(len(ok)), key=lambda i: (-float(ok["reward"][i]), int(ok["step"][i])))
    out = []
    for i in order:
        a = ok["arch"][i].decode()
        if a not in out:
            out.append(a)
        if len(out) == k:
            break
    return out


def chi2_sf(x, df):
    """P(X >= x) for X ~ chi-square with df degrees of freedom (df >= 1), by the recurrence in the module doc."""
    y = x / 2.0
    s, q = (0.5, math.erfc(math.sqrt(y))) if df % 2 else (1.0, math.exp(-y))
    while s < df / 2.0:
        q += math.exp(s * math.log(y) - y - math.lgamma(s + 1)) if y > 0 else 0.0
        s += 1
    return min(1.0, q)


def chi_square(table):
    """Pearson's chi-square of a rows x columns count table: (chi2, df, smallest expected count). Columns or rows
    that are all zero are dropped (an option nobody picked carries no information)."""
    t = np.asarray(table, dtype=float)
    t = t[:, t.sum(axis=0) > 0]
    t = t[t.sum(axis=1) > 0, :]
    if t.shape[0] < 2 or t.shape[1] < 2:
        return 0.0, 0, float("nan")
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
    return float(((t - expected) ** 2 / expected).sum()), (t.shape[0] - 1) * (t.shape[1] - 1), float(expected.min())


def pearson(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    den = math.sqrt(float((dx * dx).sum() * (dy * dy).sum()))
    return float((dx * dy).sum()) / den if den > 0 else float("nan")


def choice_table(names, tops):
    """Markdown rows of the choice comparison; returns (lines, tests)."""
    choices = sorted({c for archs in tops for a in archs for c in parse_arch(a)},
                     key=lambda c: (c != "space-to-depth", c))
    rows = []
    for c in choices:
        options = OPTIONS[c.split()[-1]] if c.startswith("stage") else ("s2d0", "s2d1")
        table = [[sum(parse_arch(a).get(c) == o for a in archs) for o in options] for archs in tops]
        rows.append((c, options, table) + chi_square(table))
    tests = max(1, sum(1 for r in rows if r[4] > 0))
    lines = ["| choice (options) | " + " | ".join(names) + " | chi2 | df | p | p x %d (Bonferroni) |" % tests,
             "|---|" + "---|" * len(names) + "---|---|---|---|"]
    for c, options, table, chi2, df, emin in rows:
        p = chi2_sf(chi2, df) if df > 0 else 1.0
        flag = " (expected < 5)" if df > 0 and emin < 5 else ""
        counts = " | ".join("/".join(str(n) for n in row) for row in table)
        lines.append("| %s (%s) | %s | %.3f | %d | %.4g%s | %.4g |" % (
            c, "/".join(options), counts, chi2, df, p, flag, min(1.0, p * tests)))
    return lines, tests


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def main(argv):
    k, first = 20, None
    while len(argv) > 2 and argv[1] in ("--top", "--first"):
        if not argv[2].isdigit():
            fail("choice_report.py: %s expects a whole number, got '%s'" % (argv[1], argv[2]))
        if argv[1] == "--top":
            k = int(argv[2])
        else:
            first = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) < 3 or k < 1 or (first is not None and first < 1):
        fail("usage: choice_report.py [--top K >= 1] [--first N >= 1] SEARCH.h5 SEARCH.h5 [SEARCH.h5 ...]")
    names, tops, corr = [], [], []
    for path in argv[1:]:
        try:
            with h5py.File(path, "r") as f:
                s = f["samples"][:]
        except (OSError, KeyError) as e:
            fail("choice_report.py: %s: not a NAS output with a /samples table (%s)" % (path, e))
        with h5py.File(path, "r") as f:
            if first is not None:
                s = s[s["step"] < first]
            control = f.attrs.get("reward_control", "none")
            control = control.decode() if isinstance(control, bytes) else str(control)
        name = os.path.splitext(os.path.basename(path))[0] + ("" if control == "none" else " [%s]" % control)
        names.append(name)
        tops.append(top_archs(s, k))
        ok = s[s["feasible"] == 1]
        fused = [sum(v == "fused" for v in parse_arch(a.decode()).values()) for a in ok["arch"]]
        corr.append((name, len(ok), pearson(fused, ok["accuracy"]), pearson(fused, ok["latency_ms"])))
    print("Choices among each search's top %d distinct feasible architectures by reward%s (%s): counts per option"
          % (k, "" if first is None else " in steps 0-%d" % (first - 1),
             ", ".join("%s: %d" % (n, len(t)) for n, t in zip(names, tops))))
    print()
    print("\n".join(choice_table(names, tops)[0]))
    print()
    print("| search | feasible samples | r(fused blocks, proxy accuracy) | r(fused blocks, latency) |")
    print("|---|---|---|---|")
    for name, n, ra, rl in corr:
        print("| %s | %d | %.3f | %.3f |" % (name, n, ra, rl))


if __name__ == "__main__":
    main(sys.argv)
