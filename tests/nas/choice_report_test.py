#!/usr/bin/python3
"""choice_report_test.py CHOICE_REPORT.py: experiments/nas/choice_report.py on two small synthetic searches it
writes here, against statistics worked out by hand (in the comments)."""
import importlib.util
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

SCRIPT = sys.argv[1]
spec = importlib.util.spec_from_file_location("choice_report", SCRIPT)
cr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cr)


def write(path, rows, control="none", winner=None):
    """rows: (arch, latency_ms, accuracy, reward, feasible), steps in order; winner: (step, val, test) or None."""
    dt = np.dtype([("step", "<i8"), ("arch", "S200"), ("latency_ms", "<f8"), ("accuracy", "<f8"), ("reward", "<f8"),
                   ("feasible", "u1")])
    a = np.array([(i,) + r[:1] + r[1:] for i, r in enumerate(rows)], dtype=dt)
    with h5py.File(path, "w") as f:
        f.create_dataset("samples", data=a)
        f.attrs["reward_control"] = control
        if winner is not None:
            wt = np.dtype([("rank", "<i8"), ("step", "<i8"), ("arch", "S200"), ("val_accuracy", "<f8"),
                           ("test_accuracy", "<f8"), ("test_note", "S40")])
            f.create_dataset("winners", data=np.array([(1, winner[0], rows[winner[0]][0]) + winner[1:] + (b"t",)],
                                                      dtype=wt))


# Two stages; only conv differs (kernel k3, SE se0, ReLU, s2d0 everywhere; expansion and width only make the texts
# distinct). A: stage 0 fused 4 of 4, stage 1 fused 3 of 4; B: stage 0 fused 0 of 4, stage 1 fused 1 of 4.
def arch(e, c0, c1):
    return "s2d0,k3_%s_se0_w1_l+0_%s_relu,k3_e6_se0_w1_l+0_%s_relu" % (e, c0, c1)


A = [(arch("e1", "fused", "fused"), 4.0, 0.5, 0.9, 1), (arch("e4", "fused", "fused"), 3.0, 0.6, 0.8, 1),
     (arch("e6", "fused", "fused"), 2.0, 0.7, 0.7, 1), (arch("e1", "fused", "dw"), 1.0, 0.8, 0.6, 1),
     (arch("e4", "dw", "dw"), 0.0, 0.0, 0.0, 0)]  # infeasible: left out everywhere (it would change stage 0)
B = [(arch("e1", "dw", "fused"), 1.0, 0.4, 0.9, 1), (arch("e4", "dw", "dw"), 2.0, 0.1, 0.8, 1),
     (arch("e6", "dw", "dw"), 3.0, 0.2, 0.7, 1), (arch("e1", "dw", "dw"), 4.0, 0.3, 0.6, 1)]

# The chi-square tail against published values: df 1: erfc(sqrt(x/2)) (erfc(2) = 0.004677734981, erfc(1) =
# 0.157299207050, Abramowitz & Stegun table 7.1); df 2: e^(-x/2) (e^-4 = 0.018315638889); df 3 at x = 7.815: 0.05
# (the 5% critical value of chi-square with 3 df, A&S table 26.8).
assert abs(cr.chi2_sf(8.0, 1) - 0.004677734981) < 1e-11
assert abs(cr.chi2_sf(2.0, 1) - 0.157299207050) < 1e-11
assert abs(cr.chi2_sf(8.0, 2) - 0.018315638889) < 1e-11
assert abs(cr.chi2_sf(7.815, 3) - 0.05) < 1e-4
# Three searches, stage fused 4/0, 0/4, 2/2: every expected count is 12 x 4 x 6 / 12^2 ... = 2, so
# chi2 = 4 x (2^2 / 2) + 2 x 0 = 8 with (3 - 1)(2 - 1) = 2 df.
chi2, df, emin = cr.chi_square([[4, 0], [0, 4], [2, 2]])
assert (chi2, df, emin) == (8.0, 2, 2.0), (chi2, df, emin)
assert cr.chi_square([[3, 0], [5, 0]])[1] == 0  # nobody varies the choice: nothing to test
# Fisher's exact test, two-sided. Margins 4, 4 / 4, 4 (n 8): P(a = x) = C(4, x) C(4, 4 - x) / C(8, 4) = (1, 16, 36,
# 16, 1) / 70 for x = 0..4. [[4, 0], [0, 4]]: the tables no more probable than x = 4 are x = 0 and 4: 2 / 70.
# [[3, 1], [1, 3]]: x = 0, 1, 3, 4: 34 / 70. [[3, 0], [1, 2]]: rows 3, 3, first column 4 (n 6): x = 1..3 with
# C(3, x) C(3, 4 - x) / C(6, 4) = (3, 9, 3) / 15; seen x = 3: 3 / 15, two-sided (3 + 3) / 15 = 0.4.
assert abs(cr.fisher_exact([[4, 0], [0, 4]]) - 2 / 70) < 1e-12
assert abs(cr.fisher_exact([[3, 1], [1, 3]]) - 34 / 70) < 1e-12
assert abs(cr.fisher_exact([[3, 0], [1, 2]]) - 0.4) < 1e-12
assert cr.fisher_exact([[3, 0], [5, 0]]) == 1.0  # an option nobody picked: nothing to test

with tempfile.TemporaryDirectory() as d:
    pa, pb = os.path.join(d, "a.h5"), os.path.join(d, "b.h5")
    write(pa, A, winner=(0, 0.5, 0.45))
    write(pb, B, "no-latency")
    out = subprocess.run([sys.executable, SCRIPT, pa, pb], check=True, capture_output=True, text=True).stdout
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]] for line in out.splitlines()
            if line.startswith("| ") and not line.startswith("| choice") and not line.startswith("| search")}
    assert "b [no-latency]" in out, out  # the control is named
    # Stage 0: [[4, 0], [0, 4]]: chi2 = N (ad - bc)^2 / (row and column totals) = 8 x 16^2 / 4^4 = 8, df 1,
    # p = erfc(2) = 0.004678; two choices vary (stage 0 and 1 conv), so Bonferroni doubles it: 0.009355.
    r0 = rows["stage 0 conv (fused/dw)"]
    assert r0[:4] == ["4/0", "0/4", "8.000", "1"], r0
    assert r0[4].startswith("0.004678") and r0[5] == "0.009355", r0
    # Stage 1: [[3, 1], [1, 3]]: 8 x (9 - 1)^2 / 4^4 = 2, p = erfc(1) = 0.1573, x 2 = 0.3146.
    r1 = rows["stage 1 conv (fused/dw)"]
    assert r1[:4] == ["3/1", "1/3", "2.000", "1"] and r1[4].startswith("0.1573") and r1[5] == "0.3146", r1
    assert rows["stage 0 kernel (k3/k5)"][:4] == ["4/0", "4/0", "0.000", "0"]  # the same everywhere: p = 1
    assert rows["space-to-depth (s2d0/s2d1)"][:2] == ["4/0", "4/0"]
    # Fused blocks against accuracy and latency (feasible rows). A: x = (2, 2, 2, 1), accuracy (.5, .6, .7, .8):
    # dx = (.25, .25, .25, -.75), dy = (-.15, -.05, .05, .15): sum dx dy = -.15, sum dx^2 = .75, sum dy^2 = .05,
    # r = -.15 / sqrt(.0375) = -sqrt(.6) = -0.775; latency (4, 3, 2, 1): dy = (1.5, .5, -.5, -1.5), sum dx dy = 1.5,
    # sum dy^2 = 5, r = 1.5 / sqrt(3.75) = +0.775. B: x = (1, 0, 0, 0), accuracy (.4, .1, .2, .3): +0.775;
    # latency (1, 2, 3, 4): -0.775.
    assert rows["a"] == ["4", "-0.775", "0.775"], rows["a"]
    assert rows["b [no-latency]"] == ["4", "0.775", "-0.775"], rows["b [no-latency]"]
    # --top 1: only the best reward of each (A: e1 fused/fused; B: e1 dw/fused): stage 1 is fused in both.
    out1 = subprocess.run([sys.executable, SCRIPT, "--top", "1", pa, pb], check=True, capture_output=True,
                          text=True).stdout
    assert "| stage 1 conv (fused/dw) | 1/0 | 1/0 | 0.000 | 0 |" in out1, out1
    # --first 2: steps 0-1 only: A's stage 1 fused 2/0, B's 1/1.
    out2 = subprocess.run([sys.executable, SCRIPT, "--first", "2", pa, pb], check=True, capture_output=True,
                          text=True).stdout
    assert "| stage 1 conv (fused/dw) | 2/0 | 1/1 |" in out2, out2
    # --pairs: Fisher's exact test on a's and b's top-20 counts. Stage 0 [[4, 0], [0, 4]]: p = 2 / 70 = 0.02857;
    # stage 1 [[3, 1], [1, 3]]: 34 / 70 = 0.4857 (above); two pair tests vary, so Bonferroni doubles them.
    out3 = subprocess.run([sys.executable, SCRIPT, "--pairs", pa, pb], check=True, capture_output=True,
                          text=True).stdout
    assert "| stage 0 conv | 0.02857 (0.05714) |" in out3, out3
    assert "| stage 1 conv | 0.4857 (0.9714) |" in out3, out3
    assert "| stage 0 kernel | - |" in out3, out3
    # --quarters: a has 5 steps (4 feasible): quarters of 5 are steps 1-1, 2-2, 3-3, 4-5 (counted from 1). Step 1:
    # fused/fused (2 of 2 blocks), 4 ms, 50%, reward 0.9; steps 4-5: one feasible (fused/dw: 1 of 2), 1 ms, 80%, 0.6.
    # b (4 steps), step 2: dw/dw, 2 ms, 10%, 0.8. Winners: a's /winners row (step 0, 4 ms, 50% / 45%); b has none.
    out4 = subprocess.run([sys.executable, SCRIPT, "--quarters", pa, pb], check=True, capture_output=True,
                          text=True).stdout
    assert "| a | 1-1 | 1 | 100% | 4.00 ms | 50.0% | 0.900 |" in out4, out4
    assert "| a | 4-5 | 1 | 50% | 1.00 ms | 80.0% | 0.600 |" in out4, out4
    assert "| b [no-latency] | 2-2 | 1 | 0% | 2.00 ms | 10.0% | 0.800 |" in out4, out4
    assert "| a | 0 | 4.00 ms | 50.00%% | 45.00%% | `%s` |" % A[0][0] in out4, out4
    assert "| b [no-latency] | - | - | - | no /winners row" in out4, out4
    # a.h5+b.h5 pools two replicates: top-4 lists of both (stage 0 conv 4/0 + 0/4 = 4/4) against b's 0/4:
    # [[4, 4], [0, 4]], chi2 = N (ad - bc)^2 / (row and column totals) = 12 x 16^2 / (8 x 4 x 4 x 8) = 3, df 1;
    # the pooled feasible samples are a's 4 and b's 4.
    out5 = subprocess.run([sys.executable, SCRIPT, pa + "+" + pb, pb], check=True, capture_output=True,
                          text=True).stdout
    assert "| stage 0 conv (fused/dw) | 4/4 | 0/4 | 3.000 | 1 |" in out5, out5
    assert "| a+b [no-latency] | 8 |" in out5, out5
    # --first 2 with a winner past step 1 (w: a's samples, winner step 3): the row is the best feasible sample of
    # steps 0-1 by reward, step 0 (reward 0.9: 4 ms, accuracy 50%), without test-split accuracy; never "nan ms".
    pw = os.path.join(d, "w.h5")
    write(pw, A, winner=(3, 0.8, 0.75))
    out6 = subprocess.run([sys.executable, SCRIPT, "--quarters", "--first", "2", pw, pb], check=True,
                          capture_output=True, text=True).stdout
    assert "| w | 0 | 4.00 ms | 50.00%% | - (best of steps 0-1; the winner, step 3, is past them) | `%s` |" % A[0][0] \
        in out6, out6
    assert "nan ms" not in out6, out6
    # Two replicates of one control pooled: the bracket once ("b+c [no-latency]"), not after each name.
    pc = os.path.join(d, "c.h5")
    write(pc, B, "no-latency")
    out7 = subprocess.run([sys.executable, SCRIPT, pb + "+" + pc, pa], check=True, capture_output=True,
                          text=True).stdout
    assert "| b+c [no-latency] | 8 |" in out7 and "b [no-latency]+c" not in out7, out7
    # Fewer than two files: a usage line, exit status 2; a file that is not a NAS output: one line naming it.
    bad = subprocess.run([sys.executable, SCRIPT, pa], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.startswith("usage: choice_report.py"), bad
    bad = subprocess.run([sys.executable, SCRIPT, pa, os.path.join(d, "none.h5")], capture_output=True, text=True)
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1 and "none.h5" in bad.stderr, bad
print("choice_report: all checks passed")
