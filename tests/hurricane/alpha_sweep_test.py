#!/usr/bin/python3
"""alpha_sweep_test.py ALPHA_SWEEP.py RIDGEPOINT: a bad input of experiments/hurricane/alpha_sweep.py stops with one
line on stderr, exit 2 and nothing on stdout (no table header before the error); a good one prints the header and
one row per accelerator and alpha (space generation only: well under a second each)."""
import subprocess
import sys

SCRIPT, R = sys.argv[1], sys.argv[2]


def sweep(*args):
    return subprocess.run([sys.executable, SCRIPT, "--ridgepoint", R, "--layers", "4", *args], capture_output=True,
                          text=True)


# The second accelerator is unknown: its failure comes after v100's space, yet before any output.
for args, named in ((("--accel", "v100,tpuv9", "--alpha", "0.5"), "tpuv9"),
                    (("--accel", "v100", "--alpha", "0.5,x"), "--alpha"),
                    (("--accel", "v100", "--alpha", "0.5,-1"), "alpha")):
    p = sweep(*args)
    assert p.returncode == 2 and p.stdout == "", (args, p.returncode, p.stdout)
    assert len(p.stderr.splitlines()) == 1 and named in p.stderr, (args, p.stderr)
p = sweep("--accel", "v100", "--alpha", "0,0.5")
lines = p.stdout.splitlines()
assert p.returncode == 0 and lines[0].startswith("accel  alpha") and len(lines) == 3, (p.returncode, p.stdout)
assert lines[1].split()[:2] == ["v100", "0"] and lines[2].split()[:2] == ["v100", "0.5"], lines
print("alpha_sweep: bad inputs stop before output; 2 rows for 2 alphas")
