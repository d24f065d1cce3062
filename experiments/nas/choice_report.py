#!/usr/bin/python3
"""Hardware effects apart from proxy effects (docs/nas.md, "Control searches"): which architectural choices differ
between NAS searches (e.g. TPUv3, V100 and a control search without the latency signal), and how the choices go
with proxy accuracy and with latency.

usage: choice_report.py [--top K] [--first N] [--pairs] [--quarters] SEARCH SEARCH [SEARCH ...]
 SEARCH: a NAS output (.h5), or replicates of one search joined by + (a.h5+b.h5, e.g. other RL seeds): their top-K
    lists are pooled (K from each) and their feasible samples too; quarters and winners stay per file.
 --first N: only steps 0..N-1 of each search (a search of N samples with the same seed and settings proposes and
    rates exactly these: compare a longer search with a shorter control at the same budget).
 --pairs: also 3 below.  --quarters: also 4 and 5 below.
 1. Choices among each search's top K distinct feasible architectures by reward (ties: the earlier step; K = 20 by
    default, all of them when a search has fewer): per stage fused or depthwise conv, activation, kernel and SE, and
    the global space-to-depth. For each choice, the counts per search and Pearson's chi-square test of
    independence on the searches x options table (no continuity correction; df = (searches - 1) x (options - 1)),
    with its p-value and the Bonferroni-adjusted one (x the number of choices tested). A choice that no search
    varies has chi2 = 0, p = 1. Expected counts under 5 are flagged: the chi-square approximation is then rough.
 2. Per search, over all feasible samples: Pearson's r of the number of fused blocks (stages, of 7) with proxy
    accuracy and with simulated latency (issue 24: r = 0.64 and -0.03 in the random search).
 3. (--pairs) For each pair of searches and each choice, Fisher's exact test (two-sided: the sum of the
    hypergeometric probabilities of the 2 x 2 tables with the same margins that are no more probable than the one
    seen) on the two searches' top-K counts, and its Bonferroni-adjusted p (x the number of pair tests in which the
    choice varies). Exact, so small counts need no flag.
 4. (--quarters) Per search and quarter of the steps (of N, or of the search's length): the fused share of the
    feasible samples' blocks, their mean latency, mean proxy accuracy and mean reward.
 5. (--quarters) Each search's winner from /winners: step, latency, validation (search) and test-split accuracy;
    under --first N, a winner past step N-1 is replaced by the best feasible sample of steps 0..N-1 (no test-split
    accuracy: only the winner was scored on the test split).
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


def fisher_exact(table):
    """Two-sided p of Fisher's exact test on a 2 x 2 count table [[a, b], [c, d]] (module doc, 3); 1 when a row or
    column is all zero (nothing to test)."""
    (a, b), (c, d) = table
    r1, c1, n = a + b, a + c, a + b + c + d
    if min(r1, n - r1, c1, n - c1) == 0:
        return 1.0
    total = math.comb(n, c1)
    probs = {x: math.comb(r1, x) * math.comb(n - r1, c1 - x) / total for x in range(max(0, c1 - (n - r1)),
                                                                                     min(r1, c1) + 1)}
    seen = probs[a] * (1 + 1e-9)
    return min(1.0, sum(q for q in probs.values() if q <= seen))


def pearson(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx, dy = x - x.mean(), y - y.mean()
    den = math.sqrt(float((dx * dx).sum() * (dy * dy).sum()))
    return float((dx * dy).sum()) / den if den > 0 else float("nan")


def count_tables(tops):
    """[(choice, options, searches x options count table)] over the choices any top architecture has, space-to-depth
    first."""
    choices = sorted({c for archs in tops for a in archs for c in parse_arch(a)},
                     key=lambda c: (c != "space-to-depth", c))
    out = []
    for c in choices:
        options = OPTIONS[c.split()[-1]] if c.startswith("stage") else ("s2d0", "s2d1")
        out.append((c, options, [[sum(parse_arch(a).get(c) == o for a in archs) for o in options] for archs in tops]))
    return out


def choice_table(names, tops):
    """Markdown rows of the choice comparison; returns (lines, tests)."""
    rows = [(c, options, table) + chi_square(table) for c, options, table in count_tables(tops)]
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


def pair_table(names, tops):
    """Markdown rows of Fisher's exact test per choice and pair of searches (module doc, 3)."""
    pairs = [(i, j) for i in range(len(names)) for j in range(i + 1, len(names))]
    rows = [(c, [fisher_exact([table[i], table[j]]) for i, j in pairs],
             [chi_square([table[i], table[j]])[1] > 0 for i, j in pairs]) for c, _, table in count_tables(tops)]
    tests = max(1, sum(sum(varies) for _, _, varies in rows))
    lines = ["| choice | " + " | ".join("%s vs %s: p (x %d)" % (names[i], names[j], tests) for i, j in pairs) + " |",
             "|---|" + "---|" * len(pairs)]
    for c, ps, varies in rows:
        lines.append("| %s | " % c + " | ".join("%.4g (%.4g)" % (p, min(1.0, p * tests)) if v else "-"
                                                for p, v in zip(ps, varies)) + " |")
    return lines


def fused_share(archs):
    """Fused blocks / blocks with a conv choice, over architecture texts (NaN without any)."""
    convs = [v for a in archs for c, v in parse_arch(a).items() if c.endswith(" conv")]
    return sum(v == "fused" for v in convs) / len(convs) if convs else float("nan")


def quarter_lines(name, s, n):
    """One markdown row per quarter of steps 0..n-1 of search `name` (module doc, 4)."""
    lines = []
    for q in range(4):
        lo, hi = q * n // 4, (q + 1) * n // 4
        ok = s[(s["step"] >= lo) & (s["step"] < hi) & (s["feasible"] == 1)]
        if len(ok) == 0:
            lines.append("| %s | %d-%d | 0 | - | - | - | - |" % (name, lo + 1, hi))
            continue
        lines.append("| %s | %d-%d | %d | %.0f%% | %.2f ms | %.1f%% | %.3f |" % (
            name, lo + 1, hi, len(ok), 100 * fused_share([a.decode() for a in ok["arch"]]),
            float(np.mean(ok["latency_ms"])), 100 * float(np.mean(ok["accuracy"])), float(np.mean(ok["reward"]))))
    return lines


def text(a):
    return a.decode() if isinstance(a, bytes) else a


def winner_line(name, f, s, first=None):
    """A markdown row of the search's /winners row 1 (module doc, 5), with its latency from /samples. Under --first N
    (`s` holds steps 0..N-1 only), a winner past step N-1 is not what those steps found: the row gives instead the
    best feasible sample of those steps by reward (ties: the earlier step), with its search (validation) accuracy and
    no test-split accuracy, which only the winner was scored on."""
    if "winners" not in f or len(f["winners"]) == 0:
        return "| %s | - | - | - | no /winners row (a run before test-split scoring, or nothing feasible) | |" % name
    w = f["winners"][0]
    if first is not None and int(w["step"]) >= first:
        ok = s[s["feasible"] == 1]
        if len(ok) == 0:
            return "| %s | - | - | - | nothing feasible in steps 0-%d (the winner is step %d) | |" % (
                name, first - 1, int(w["step"]))
        i = min(range(len(ok)), key=lambda j: (-float(ok["reward"][j]), int(ok["step"][j])))
        return "| %s | %d | %.2f ms | %.2f%% | - (best of steps 0-%d; the winner, step %d, is past them) | `%s` |" % (
            name, int(ok["step"][i]), float(ok["latency_ms"][i]), 100 * float(ok["accuracy"][i]), first - 1,
            int(w["step"]), text(ok["arch"][i]))
    lat = s["latency_ms"][s["step"] == w["step"]]
    return "| %s | %d | %.2f ms | %.2f%% | %.2f%% | `%s` |" % (
        name, int(w["step"]), float(lat[0]) if len(lat) else float("nan"), 100 * float(w["val_accuracy"]),
        100 * float(w["test_accuracy"]), text(w["arch"]))


def pooled_name(names):
    """The name of pooled replicates: their names joined by +, a reward control they all share in brackets once
    ("a [no-latency]", "b [no-latency]" -> "a+b [no-latency]")."""
    suffixes = {n[n.index(" ["):] if " [" in n else "" for n in names}
    if len(suffixes) != 1 or suffixes == {""}:
        return "+".join(names)
    suffix = suffixes.pop()
    return "+".join(n[:-len(suffix)] for n in names) + suffix


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def read_search(path, first):
    """(name, /samples rows (steps < first when given), quarter rows, winner row) of one NAS output; the name is the
    file's stem, with its reward control in brackets when it has one."""
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
        quarters = quarter_lines(name, s, first if first is not None else int(s["step"].max()) + 1)
        return name, s, quarters, winner_line(name, f, s, first)


def main(argv):
    k, first, flags = 20, None, set()
    while len(argv) > 2 and argv[1] in ("--top", "--first", "--pairs", "--quarters"):
        if argv[1] in ("--pairs", "--quarters"):
            flags.add(argv[1])
            argv = argv[:1] + argv[2:]
            continue
        if not argv[2].isdigit():
            fail("choice_report.py: %s expects a whole number, got '%s'" % (argv[1], argv[2]))
        if argv[1] == "--top":
            k = int(argv[2])
        else:
            first = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) < 3 or k < 1 or (first is not None and first < 1):
        fail("usage: choice_report.py [--top K >= 1] [--first N >= 1] [--pairs] [--quarters] SEARCH.h5 SEARCH.h5 "
             "[SEARCH.h5 ...] (SEARCH: FILE.h5 or FILE.h5+FILE.h5... to pool replicates)")
    names, tops, corr, quarters, winners = [], [], [], [], []
    for arg in argv[1:]:
        group = [read_search(path, first) for path in arg.split("+")]
        names.append(pooled_name([g[0] for g in group]))
        tops.append([a for g in group for a in top_archs(g[1], k)])
        quarters += [line for g in group for line in g[2]]
        winners += [g[3] for g in group]
        ok = [g[1][g[1]["feasible"] == 1] for g in group]
        fused = [sum(v == "fused" for v in parse_arch(a.decode()).values()) for o in ok for a in o["arch"]]
        acc = [x for o in ok for x in o["accuracy"]]
        lat = [x for o in ok for x in o["latency_ms"]]
        corr.append((names[-1], len(acc), pearson(fused, acc), pearson(fused, lat)))
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
    if "--pairs" in flags:
        print()
        print("Fisher's exact test (two-sided) per choice for each pair of searches, on the top-%d counts above: p "
              "(Bonferroni-adjusted); -: the choice does not vary in the pair" % k)
        print()
        print("\n".join(pair_table(names, tops)))
    if "--quarters" in flags:
        print()
        print("| search | steps | feasible | fused share of blocks | mean latency | mean proxy accuracy | mean "
              "reward |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(quarters))
        print()
        print("| search | winner's step | latency | validation accuracy (search) | test-split accuracy | arch |")
        print("|---|---|---|---|---|---|")
        print("\n".join(winners))


if __name__ == "__main__":
    main(sys.argv)
