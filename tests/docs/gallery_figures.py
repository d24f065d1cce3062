#!/usr/bin/python3
"""gallery_figures.py --bin BUILD/experiments [--update]

The gallery (docs/gallery.md) cannot rot: runs the page's commands in a scratch copy of the repository's tracked
experiments/ (the `yaml file=NAME` blocks written first, then every `ridgepoint ...` line of its plain code blocks,
with the ridgepoint under test first on PATH) and compares every figure a `ridgepoint plot ... -o X` wrote (into
the current directory, as a reader's command would) with the committed docs/gallery/X: equal bytes, or PNGs of the same size whose pixels differ by at most
TOLERANCE (root mean square over the 0-255 channel values; a different matplotlib or FreeType may antialias a
little differently). Fails as well when the page shows an image no command makes, or docs/gallery/ holds one the
page does not show. --update copies the regenerated figures into docs/gallery/ instead (after a deliberate change).
Exit code 0 when every figure matches, 1 otherwise."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

TOLERANCE = 1.0
TIMEOUT_S = 300
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, "docs", "gallery.md")


def page_steps(path):
    """(files {name: text}, commands [line]) of the page: yaml file= blocks and `ridgepoint` lines."""
    files, commands, block = {}, [], None
    with open(path) as f:
        for line in f:
            if line.startswith("```"):
                if block is None:
                    block = (line[3:].strip().split(), [])
                    continue
                info, lines = block
                name = [w[5:] for w in info[1:] if w.startswith("file=")]
                if info[:1] == ["yaml"] and name:
                    files[name[0]] = "".join(lines)
                elif not info:
                    commands += [x.strip() for x in lines if x.strip().startswith("ridgepoint ")]
                block = None
            elif block is not None:
                block[1].append(line)
    return files, commands


def figures_of(commands):
    """{committed figure docs/gallery/NAME: the file its plot command writes with -o NAME} (the page's commands write
    into the current directory, as a reader's would; the committed copies live in docs/gallery/)."""
    out = {}
    for c in commands:
        m = re.match(r"ridgepoint plot .* -o ([^/\s]+)$", c)
        if m:
            out["docs/gallery/" + m.group(1)] = m.group(1)
    return out


def same_picture(expected, actual):
    """'' when the two files show the same picture, else why not."""
    with open(expected, "rb") as a, open(actual, "rb") as b:
        if a.read() == b.read():
            return ""
    if not expected.endswith(".png"):
        return "the bytes differ"
    import matplotlib.image
    import numpy as np
    e, g = matplotlib.image.imread(expected), matplotlib.image.imread(actual)
    if e.shape != g.shape:
        return f"size {g.shape[1]}x{g.shape[0]} instead of {e.shape[1]}x{e.shape[0]}"
    rms = float(np.sqrt(np.mean((e.astype(float) * 255 - g.astype(float) * 255) ** 2)))
    return "" if rms <= TOLERANCE else f"pixels differ: RMS {rms:.2f} > {TOLERANCE} (0-255 scale)"


def tracked(top):
    names = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--", top], check=True,
                           stdout=subprocess.PIPE).stdout.decode().split("\0")
    return [n for n in names if n]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="directory of the ridgepoint executable under test")
    ap.add_argument("--update", action="store_true", help="write the regenerated figures into docs/gallery/")
    a = ap.parse_args()
    files, commands = page_steps(PAGE)
    wanted = figures_of(commands)
    shown = re.findall(r"!\[[^]]*\]\((gallery/[^)]+)\)", open(PAGE).read())
    problems = [f"docs/{s}: shown on the page, made by no command" for s in shown if "docs/" + s not in wanted]
    on_disk = sorted("docs/gallery/" + n for n in os.listdir(os.path.join(ROOT, "docs", "gallery")))
    problems += [f"{d}: committed, not on the page" for d in on_disk if d[len("docs/"):] not in shown]
    if not wanted:
        problems.append("docs/gallery.md: no `ridgepoint plot ... -o NAME` command found")
    scratch = tempfile.mkdtemp(prefix="rp-gallery-")
    try:
        for rel in tracked("experiments"):
            os.makedirs(os.path.join(scratch, os.path.dirname(rel)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, rel), os.path.join(scratch, rel))
        for name, text in files.items():
            with open(os.path.join(scratch, name), "w") as f:
                f.write(text)
        env = dict(os.environ, PATH=f"{os.path.abspath(a.bin)}:{os.environ.get('PATH', '')}")
        for c in commands:
            start = time.monotonic()
            p = subprocess.run(["bash", "-c", c], cwd=scratch, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=TIMEOUT_S)
            if p.returncode != 0:
                print(f"FAILED {c}\n  exit {p.returncode}\n{p.stdout.decode(errors='replace')[-3000:]}")
                return 1
            print(f"ok   {c}  ({time.monotonic() - start:.1f} s)")
        for rel, written in wanted.items():
            made, committed = os.path.join(scratch, written), os.path.join(ROOT, rel)
            if a.update:
                shutil.copyfile(made, committed)
                print(f"updated {rel}")
            elif not os.path.isfile(committed):
                problems.append(f"{rel}: not committed (run with --update)")
            else:
                why = same_picture(committed, made)
                print(f"{'same' if not why else 'DIFFERENT'} {rel}{': ' + why if why else ''}")
                if why:
                    problems.append(f"{rel}: {why}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if a.update:
        problems = [p for p in problems if "committed, not on the page" not in p and "not committed" not in p]
    for p in problems:
        print(f"PROBLEM {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
