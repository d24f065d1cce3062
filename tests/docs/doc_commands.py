#!/usr/bin/python3
"""doc_commands.py DOC.md --bin BUILD/experiments --pythonpath BUILD/python [--list]

Docs that cannot rot: runs every command a documentation page shows, in page order, in a scratch copy of the
repository's tracked example files, and fails on the first command that exits non-zero (printing the command, its
line and its output).

What is run, from fenced code blocks:
- untagged / sh / bash / console blocks: each line starting with `$R`, `ridgepoint`, `build/experiments/ridgepoint`,
  `python3`, `/usr/bin/python3`, `mpirun`, `bash scripts/` or `(cd ` (one bash command each; `# comments` are
  bash's);
- python blocks: each block as one script, run with /usr/bin/python3.
- Blocks tagged `yaml file=NAME` are written to NAME in the scratch directory before anything runs (examples
  whose commands refer to a file the page shows).
Lines `R=...` are skipped: R is the ridgepoint under test (--bin), `build/experiments/ridgepoint` is read as $R,
and `ridgepoint` and `python3` on PATH are the one under test and Debian's /usr/bin/python3.

Not run, or run smaller (the allow-list; every entry says why):
- SKIP: `bash scripts/quickstart.sh`, `bash scripts/test.sh`: the README's two top commands are CI itself;
  `bash scripts/sanitize.sh` and `bash scripts/fuzz.sh` (docs/testing.md): builds of their own and long runs.
- SUBSTITUTE: a command replaced by a shorter variant of itself (see SUBSTITUTE below).
- SHRINK: experiment files whose full run takes minutes are run as written but with smaller budgets written into
  the scratch copy (fewer samples, training images, grid points, family levels); see SHRINK below.
Each command has a time limit (TIMEOUT_S)."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 120
PREFIXES = ("$R ", "ridgepoint ", "build/experiments/ridgepoint ", "python3 ", "/usr/bin/python3 ", "mpirun ",
            "bash scripts/", "(cd ")
SKIP = {
    "bash scripts/quickstart.sh": "the README's first command (install, build, first result) is what CI runs",
    "bash scripts/test.sh": "the README's test command is what CI runs",
    "bash scripts/sanitize.sh undefined": "a second build and the whole suite under UBSan: a CI step of its own",
    "bash scripts/sanitize.sh": "a second build and the whole suite under ASan: over an hour on 2 cores",
    "bash scripts/fuzz.sh ci": "a clang build and a minute of fuzzing per harness: a CI step of its own",
    "bash scripts/fuzz.sh": "a clang build and 10^6 executions per harness: about an hour",
}
SUBSTITUTE = {
    "$R calibrate --accel tpuv3 --loo --lofo": (
        "$R calibrate --accel tpuv3",
        "--loo and --lofo refit once per published row or family (14 fits, over 2 minutes on 2 cores); one fit runs"),
}
HURRICANE_SMALL = {"space.layers": 4, "space.p": 2, "space.exploring_layers": 1,
                   "supernet.train_images": 300, "supernet.epochs": 1, "supernet.val_images": 100,
                   "supernet.bn_images": 100, "search.population": 4, "search.generations": 2, "search.t": 2,
                   "retrain.train_images": 300}
# Experiment files the docs run whose full budgets take minutes: (file, {dotted key: smaller value}).
SHRINK = {
    "experiments/nas/tpuv3-efficientnet-x.yaml": {"search.samples": 2, "accuracy.train_images": 200},
    # HURRICANE runs: 4 learnable layers, 300 training images, populations of 4 (about a minute each).
    "experiments/hurricane/v100.yaml": HURRICANE_SMALL,
    "experiments/hurricane/v100-generated.yaml": HURRICANE_SMALL,
    "experiments/lacs/tpuv3-lacs.yaml": {"grid": {"alpha": [1.0, 1.2, 0.1], "beta": [1.0, 1.2, 0.1],
                                                  "gamma": [1.0, 1.2, 0.1]}, "refine": False, "phi": 3},
}
# The tracked files a page's commands may read, copied into the scratch directory.
COPIED = ("experiments", "accel_models/configs", "tests/data", "scripts", "docs")


def blocks(path):
    """(info string, first line number, lines) of every fenced block of a markdown file."""
    out, cur = [], None
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("```"):
                if cur is None:
                    cur = (line[3:].strip(), n + 1, [])
                else:
                    out.append(cur)
                    cur = None
            elif cur is not None:
                cur[2].append(line.rstrip("\n"))
    return out


def steps(path):
    """The page's runnable steps in order: ("sh", line, command) / ("python", line, script) / ("file", name, text)."""
    out = []
    for info, first, lines in blocks(path):
        words = info.split()
        lang = words[0] if words else ""
        if lang == "yaml":
            for w in words[1:]:
                if w.startswith("file="):
                    out.insert(0, ("file", w[5:], "\n".join(lines) + "\n"))
        elif lang == "python":
            out.append(("python", first, "\n".join(lines) + "\n"))
        elif lang in ("", "sh", "bash", "console"):
            for i, line in enumerate(lines):
                cmd = line.strip()
                if cmd.startswith(PREFIXES):
                    out.append(("sh", first + i, cmd))
    return out


def tracked(root, top):
    """Tracked files under `top` (git ls-files), or every file when the tree is not a git checkout."""
    try:
        names = subprocess.run(["git", "-C", root, "ls-files", "-z", "--", top], check=True,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().split("\0")
        return [n for n in names if n]
    except (OSError, subprocess.CalledProcessError):
        return [os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(os.path.join(root, top)) for f in fs]


def shrink(scratch):
    import yaml
    for rel, changes in SHRINK.items():
        path = os.path.join(scratch, rel)
        with open(path) as f:
            doc = yaml.safe_load(f)
        for key, value in changes.items():
            node = doc
            *parents, last = key.split(".")
            for p in parents:
                node = node[p]
            if last not in node:
                raise SystemExit(f"doc_commands.py: SHRINK: {rel} has no key '{key}' (update the allow-list)")
            node[last] = value
        with open(path, "w") as f:
            yaml.safe_dump(doc, f, sort_keys=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("doc")
    ap.add_argument("--bin", required=True, help="directory of the ridgepoint executable under test")
    ap.add_argument("--pythonpath", required=True, help="directory holding the ridgepoint Python package")
    ap.add_argument("--list", action="store_true", help="print the steps, run nothing")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    page = os.path.relpath(os.path.abspath(a.doc), root)
    todo = steps(a.doc)
    if a.list:
        for kind, where, what in todo:
            print(f"{kind} {where}: {what.splitlines()[0] if what else ''}")
        return 0

    scratch = tempfile.mkdtemp(prefix="rp-docs-")
    try:
        for top in COPIED:
            for rel in tracked(root, top):
                dst = os.path.join(scratch, rel)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(os.path.join(root, rel), dst)
        shrink(scratch)
        shims = os.path.join(scratch, ".bin")
        os.makedirs(shims)
        os.symlink("/usr/bin/python3", os.path.join(shims, "python3"))
        env = dict(os.environ, R=os.path.join(os.path.abspath(a.bin), "ridgepoint"),
                   PATH=f"{os.path.abspath(a.bin)}:{shims}:{os.environ.get('PATH', '')}",
                   PYTHONPATH=os.path.abspath(a.pythonpath), PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
        if os.getuid() == 0:  # mpirun refuses root unless told (the page says so); CI runs as root
            env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
        ran = 0
        for kind, where, what in todo:
            if kind == "file":
                with open(os.path.join(scratch, where), "w") as f:
                    f.write(what)
                continue
            if kind == "sh":
                bare = what.split(" #")[0].strip()
                if bare in SKIP:
                    print(f"skip {page}:{where}: {bare}  ({SKIP[bare]})")
                    continue
                if bare in SUBSTITUTE:
                    print(f"run smaller {page}:{where}: {SUBSTITUTE[bare][0]}  ({SUBSTITUTE[bare][1]})")
                    what = SUBSTITUTE[bare][0]
                cmd = ["bash", "-c", re.sub(r"^build/experiments/ridgepoint ", "$R ", what)]
            else:
                cmd = ["/usr/bin/python3", "-c", what]
            start = time.monotonic()
            try:
                p = subprocess.run(cmd, cwd=scratch, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   timeout=TIMEOUT_S)
                rc, output = p.returncode, p.stdout.decode(errors="replace")
            except subprocess.TimeoutExpired as e:
                rc, output = f"timeout after {TIMEOUT_S} s", (e.stdout or b"").decode(errors="replace")
            first = what.splitlines()[0]
            if rc != 0:
                print(f"FAILED {page}:{where}: {first}\n  exit: {rc}\n" + output[-3000:])
                return 1
            ran += 1
            print(f"ok   {page}:{where}: {first}  ({time.monotonic() - start:.1f} s)")
        print(f"{page}: {ran} commands ran")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
