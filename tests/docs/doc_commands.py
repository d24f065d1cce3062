#!/usr/bin/python3
"""doc_commands.py DOC.md --prefix PREFIX --pythonpath PREFIX/lib/pythonX.Y/dist-packages [--list]

Docs that cannot rot, for an installed user: runs every command a documentation page shows, in page order, with the
installed tree PREFIX (`cmake --install`: PREFIX/bin on PATH, its Python package on PYTHONPATH) in a scratch
directory outside the source tree, and fails on the first command that exits non-zero (printing the command, its
line and its output).

The scratch directory holds only what the page's commands name: a copy of the installed experiments
(PREFIX/share/ridgepoint/experiments, as `experiments/`) when a command names `experiments/`, of the installed
scripts (PREFIX/share/ridgepoint/scripts, as `scripts/`) when one names `scripts/`, and the files the page shows as
`yaml file=NAME` blocks. The copies of installed files are read-only, as an installed user's are: a command that
writes among them (an experiment run without `--output PATH`) fails the page.

What is run, from fenced code blocks:
- untagged / sh / bash / console blocks: each line starting with `$R`, `ridgepoint`, `python3`, `/usr/bin/python3`,
  `mpirun`, `bash scripts/` or `(cd ` (one bash command each; `# comments` are bash's);
- python blocks: each block as one script, run with /usr/bin/python3.
- Blocks tagged `yaml file=NAME` are written to NAME in the scratch directory before anything runs (examples
  whose commands refer to a file the page shows).
Lines `R=...` are skipped: R is the installed ridgepoint, and `ridgepoint` and `python3` on PATH are it and Debian's
/usr/bin/python3. No line of a page's commands may name a build-tree path (`build/`): it fails the page, listed.

Not run, or run smaller (the allow-list; every entry says why):
- SKIP: `bash scripts/quickstart.sh`, `bash scripts/test.sh`: the README's two top commands are CI itself;
  `bash scripts/sanitize.sh` and `bash scripts/fuzz.sh` (docs/testing.md): builds of their own and long runs;
  `/usr/bin/python3 scripts/import_table.py tables` (docs/imports.md): tens of minutes of exports.
- SUBSTITUTE: a command replaced by a shorter variant of itself (see SUBSTITUTE below).
- SHRINK: experiment files whose full run takes minutes are run as written but with smaller budgets written into
  the scratch copies (fewer samples, training images, grid points, family levels); see SHRINK below.
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
PREFIXES = ("$R ", "ridgepoint ", "python3 ", "/usr/bin/python3 ", "mpirun ", "bash scripts/", "(cd ")
BUILD_PATH = re.compile(r"(^|[^\w.-])build/")
SKIP = {
    "bash scripts/quickstart.sh": "the README's first command (install, build, first result) is what CI runs",
    "bash scripts/test.sh": "the README's test command is what CI runs",
    "bash scripts/sanitize.sh undefined": "a second build and the whole suite under UBSan: a CI step of its own",
    "bash scripts/sanitize.sh": "a second build and the whole suite under ASan: over an hour on 2 cores",
    "bash scripts/fuzz.sh ci": "a clang build and a minute of fuzzing per harness: a CI step of its own",
    "bash scripts/fuzz.sh": "a clang build and 10^6 executions per harness: about an hour",
    "/usr/bin/python3 scripts/import_table.py tables": (
        "docs/imports.md's table: exports 35 torchvision models twice and imports each both ways, tens of minutes"),
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
    "experiments/nas/tpuv3-efficientnet-x.yaml": {"search.samples": 2, "accuracy.train_images": 200,
                                                  "accuracy.test_images": 200},
    # HURRICANE runs: 4 learnable layers, 300 training images, populations of 4 (about a minute each).
    "experiments/hurricane/v100.yaml": HURRICANE_SMALL,
    "experiments/hurricane/v100-generated.yaml": HURRICANE_SMALL,
    "experiments/lacs/tpuv3-lacs.yaml": {"grid": {"alpha": [1.0, 1.2, 0.1], "beta": [1.0, 1.2, 0.1],
                                                  "gamma": [1.0, 1.2, 0.1]}, "refine": False, "phi": 3},
}
# The installed directories a page's commands may read (PREFIX/share/ridgepoint/NAME), copied into the scratch
# directory as NAME/ when a command names NAME/.
INSTALLED = ("experiments", "scripts")


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


def build_paths(path):
    """(line, text) of every line of the page's command blocks (sh, python) that names a build-tree path."""
    out = []
    for info, first, lines in blocks(path):
        lang = (info.split() or [""])[0]
        if lang in ("", "sh", "bash", "console", "python"):
            out += [(first + i, line.strip()) for i, line in enumerate(lines) if BUILD_PATH.search(line)]
    return out


def copy_installed(prefix, scratch, todo):
    """Copies the installed directories the steps name into `scratch`; returns their paths there."""
    copied = []
    text = "\n".join(what for kind, _, what in todo if kind != "file")
    for name in INSTALLED:
        if re.search(rf"(^|[^\w.-]){name}/", text):
            shutil.copytree(os.path.join(prefix, "share", "ridgepoint", name), os.path.join(scratch, name))
            copied.append(os.path.join(scratch, name))
    return copied


def read_only(top):
    for d, dirs, files in os.walk(top):
        for n in files + dirs:
            p = os.path.join(d, n)
            os.chmod(p, os.lstat(p).st_mode & ~0o222)
    os.chmod(top, os.lstat(top).st_mode & ~0o222)


def snapshot(tops):
    """Every path under `tops` with its size and modification time (root ignores read-only modes: this catches a
    write all the same)."""
    out = {}
    for top in tops:
        for d, dirs, files in os.walk(top):
            for n in files + dirs:
                st = os.lstat(os.path.join(d, n))
                out[os.path.join(d, n)] = (st.st_size, st.st_mtime_ns)
    return out


def shrink(scratch):
    import yaml
    for rel, changes in SHRINK.items():
        path = os.path.join(scratch, rel)
        if not os.path.exists(os.path.join(scratch, rel.split("/")[0])):
            continue  # the page names no installed experiments: none were copied
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
    ap.add_argument("--prefix", required=True, help="the installed tree under test (cmake --install --prefix)")
    ap.add_argument("--pythonpath", required=True, help="directory of the installed ridgepoint Python package")
    ap.add_argument("--list", action="store_true", help="print the steps, run nothing")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    page = os.path.relpath(os.path.abspath(a.doc), root)
    todo = steps(a.doc)
    if a.list:
        for kind, where, what in todo:
            print(f"{kind} {where}: {what.splitlines()[0] if what else ''}")
        return 0

    bad = build_paths(a.doc)
    if bad:
        print(f"FAILED {page}: build-tree paths in commands (an installed user has none; use `ridgepoint`):")
        for where, line in bad:
            print(f"  {page}:{where}: {line}")
        return 1
    prefix = os.path.abspath(a.prefix)
    scratch = tempfile.mkdtemp(prefix="rp-docs-")
    if os.path.commonpath([os.path.realpath(scratch), os.path.realpath(root)]) == os.path.realpath(root):
        raise SystemExit(f"doc_commands.py: the scratch directory {scratch} is inside the source tree")
    try:
        installed = copy_installed(prefix, scratch, todo)
        shrink(scratch)
        for top in installed:
            read_only(top)
        shims = os.path.join(scratch, ".bin")
        os.makedirs(shims)
        os.symlink("/usr/bin/python3", os.path.join(shims, "python3"))
        env = dict(os.environ, R=os.path.join(prefix, "bin", "ridgepoint"),
                   PATH=f"{os.path.join(prefix, 'bin')}:{shims}:{os.environ.get('PATH', '')}",
                   PYTHONPATH=os.path.abspath(a.pythonpath), PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
        if os.getuid() == 0:  # mpirun refuses root unless told (the page says so); CI runs as root
            env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
        before = snapshot(installed)
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
                cmd = ["bash", "-c", what]
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
            after = snapshot(installed)
            if after != before:
                changed = sorted(set(after.items()) ^ set(before.items()))
                print(f"FAILED {page}:{where}: {first}\n  wrote among the installed files, which an installed user "
                      f"cannot (give --output PATH): {os.path.relpath(changed[0][0], scratch)}")
                return 1
            ran += 1
            print(f"ok   {page}:{where}: {first}  ({time.monotonic() - start:.1f} s)")
        print(f"{page}: {ran} commands ran")
        return 0
    finally:
        for d, dirs, _ in os.walk(scratch):  # the read-only copies: writable again, to be removed
            os.chmod(d, 0o755)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
