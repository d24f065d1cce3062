#!/usr/bin/python3
"""Runs cases of the bad-input corpus (cases.tsv) against the ridgepoint binary.

usage: run_cases.py --bin RIDGEPOINT --ts DIR [--timeout S] (ID ... | --manifest MIN_CASES)

Each case runs in a fresh, empty work directory (its current directory, so relative `output:` paths land there)
and passes only when
  - the exit code is the expected one (never 0, never a signal, never a timeout: a hang fails),
  - stdout is empty and stderr is exactly one line containing the expected substring,
  - the work directory is left exactly as it was: no new file (no output, no .tmp, no journal) and every
    generated input unchanged (a foreign HDF5 that Ridgepoint refused to overwrite keeps its bytes).
--manifest checks the manifest itself: at least MIN_CASES cases, unique ids, every {in:...} file present and
every file under inputs/ used by some case.
"""
import argparse
import hashlib
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases.tsv")
INPUTS = os.path.join(HERE, "inputs")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def read_cases():
    """id -> (rc, substring, args template), in file order."""
    cases = {}
    with open(CASES, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if ";" in line:
                sys.exit(f"cases.tsv:{n}: ';' would split the line where CMake reads the case ids")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 4 or not ID_RE.match(fields[0]) or not fields[1].isdigit() or not fields[2]:
                sys.exit(f"cases.tsv:{n}: expected ID<TAB>EXIT CODE<TAB>MESSAGE<TAB>ARGS, got {line!r}")
            if fields[0] in cases:
                sys.exit(f"cases.tsv:{n}: duplicate case id '{fields[0]}'")
            cases[fields[0]] = (int(fields[1]), fields[2], fields[3])
    return cases


# ---- generated inputs (too big, binary or odd to commit) ----

NETWORK_HEAD = "name: gen\nresolution: 224\nactivation: swish\nstem: {filters: 32}\nhead: {filters: 1280, classes: 10}\n"


def gen_huge_yaml(path):
    # 17 MiB: a valid network file padded with comment lines, past the 16 MiB limit on any YAML input.
    with open(path, "w") as f:
        f.write(NETWORK_HEAD + "blocks: [r1_k3_s11_e1_i32_o16]\n")
        line = "# " + "x" * 1022 + "\n"
        for _ in range(17 * 1024):
            f.write(line)


def gen_binary(path):
    data = bytes((i * 7919 + 13) % 256 for i in range(4096))
    with open(path, "wb") as f:
        f.write(data)


def gen_deep_nesting(path):
    # 100000 nested flow sequences: a recursive parser would run out of stack.
    with open(path, "w") as f:
        f.write(NETWORK_HEAD + "blocks: " + "[" * 100000 + "]" * 100000 + "\n")


def gen_deep_block_nesting(path):
    # 5000 nested block mappings (indentation), the other way to nest deeply.
    with open(path, "w") as f:
        f.write(NETWORK_HEAD + "blocks: [r1_k3_s11_e1_i32_o16]\nextra:\n")
        for d in range(1, 5000):
            f.write(" " * d + f"k{d}:\n")
        f.write(" " * 5000 + "v: 1\n")


def gen_alias_bomb(path):
    # "Billion laughs": 9 levels of 10 aliases each expand to 10^9 leaves for a naive tree walk.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with open(path, "w") as f:
        f.write("name: bomb\nfamily: tpu\n" + "\n".join(lines) + "\n")


def gen_grid(path, n):
    values = ", ".join(str(600 + i) for i in range(n))
    rows = ", ".join(str(8 + i) for i in range(n))
    with open(path, "w") as f:
        f.write("kind: sweep\nmodels: [mnasnet-a1]\naccelerators: [tpuv3]\noutput: out.h5\n"
                f"grid:\n  hbm.bandwidth_gbps: [{values}]\n  matrix_unit.rows: [{rows}]\n")


def gen_foreign_h5(path):
    import h5py  # Debian's python3-h5py (scripts/install-deps.sh)
    with h5py.File(path, "w") as f:
        f["results"] = [1.0, 2.0, 3.0]
        f["results"].attrs["note"] = "a user's data, not written by Ridgepoint"


def gen_truncated_h5(path):
    # A Ridgepoint-looking file (/meta with tool_version) cut in half: no longer a readable HDF5 file.
    import h5py
    with h5py.File(path, "w") as f:
        f.create_group("meta").attrs["tool_version"] = "0.1.0"
        f["points"] = list(range(1000))
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size // 2)


def gen_text_file(path):
    with open(path, "w") as f:
        f.write("my notes, not an HDF5 file\n")


def gen_fifo(path):
    os.mkfifo(path)  # opening it for reading would wait for a writer forever


def gen_victim(path):
    with open(path, "w") as f:
        f.write("a user's file that a symlink points to: must never be overwritten\n")


def gen_symlink_to_victim(path):
    # A symlink (to victim.txt, created beside it) where Ridgepoint writes an output or its temporary.
    victim = os.path.join(os.path.dirname(path), "victim.txt")
    if not os.path.exists(victim):
        gen_victim(victim)
    os.symlink("victim.txt", path)


def gen_empty(path):
    open(path, "w").close()


def gen_dir(path):
    os.mkdir(path)


def gen_truncated_pt(path, ts_dir):
    with open(os.path.join(ts_dir, "tiny.pt"), "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(data[: len(data) // 2])


def gen_zero_pt(path, ts_dir):
    del ts_dir
    with open(path, "wb") as f:
        f.write(b"PK\x03\x04" + b"\0" * 60)  # a zip local-file header and nothing else


def gen_onnx(path, node=None, pads=(0, 0, 0, 0), hw=(8, 8)):
    """A small ONNX model (onnx.helper; Debian's python3-onnx): input x [1, 3, H, W] -> Conv 3x3 (pads) -> `node`."""
    from onnx import TensorProto, helper
    w = helper.make_tensor("w", TensorProto.FLOAT, [4, 3, 3, 3], [0.0] * 108)
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv", pads=list(pads))]
    nodes.append(node or helper.make_node("Relu", ["c"], ["y"], name="relu"))
    graph = helper.make_graph(nodes, "bad", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, *hw])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [w])
    with open(path, "wb") as f:
        f.write(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())


def gen_onnx_unsupported(path):
    from onnx import helper
    gen_onnx(path, helper.make_node("LeakyRelu", ["c"], ["y"], name="leaky", alpha=0.1))


def gen_onnx_pad(path):
    """x [1, 3, 8, 8] -> Conv -> a zero Pad by 1 on H and W read by a Relu: no Conv or AveragePool takes it."""
    from onnx import TensorProto, helper
    w = helper.make_tensor("w", TensorProto.FLOAT, [4, 3, 3, 3], [0.0] * 108)
    pads = helper.make_tensor("pads", TensorProto.INT64, [8], [0, 0, 1, 1, 0, 0, 1, 1])
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
             helper.make_node("Pad", ["c", "pads"], ["p"], name="pad", mode="constant"),
             helper.make_node("Relu", ["p"], ["y"], name="relu")]
    graph = helper.make_graph(nodes, "bad", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [w, pads])
    with open(path, "wb") as f:
        f.write(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())


GENERATORS = {
    "huge.yaml": gen_huge_yaml,
    "garbage.bin": gen_binary,
    "garbage.yaml": gen_binary,
    "deep-flow.yaml": gen_deep_nesting,
    "deep-block.yaml": gen_deep_block_nesting,
    "alias-bomb.yaml": gen_alias_bomb,
    "grid-3000x3000.yaml": lambda p: gen_grid(p, 3000),
    "grid-1001x1001.yaml": lambda p: gen_grid(p, 1001),
    "foreign.h5": gen_foreign_h5,
    "truncated.h5": gen_truncated_h5,
    "notes.h5": gen_text_file,
    "empty.yaml": gen_empty,
    "empty.pt": gen_empty,
    "a-directory": gen_dir,
    "a-fifo": gen_fifo,
    "link-to-victim": gen_symlink_to_victim,
    "out.h5.tmp": gen_symlink_to_victim,
    "out.json.tmp": gen_symlink_to_victim,
    "out.csv.tmp": gen_symlink_to_victim,
    "truncated.pt": gen_truncated_pt,
    "header-only.pt": gen_zero_pt,
    "empty.onnx": gen_empty,
    "text.onnx": gen_text_file,
    "garbage.onnx": gen_binary,
    "leaky.onnx": gen_onnx_unsupported,
    "asym-pad.onnx": lambda p: gen_onnx(p, pads=(0, 0, 1, 1)),
    "symbolic-hw.onnx": lambda p: gen_onnx(p, hw=("height", 8)),
    "pad-to-relu.onnx": gen_onnx_pad,
}
NEEDS_TS = {gen_truncated_pt, gen_zero_pt}


def generate(name, work, ts_dir):
    """Creates the generated input NAME in `work` (once) and returns its path; "mkdir:D" makes a directory D,
    "copy:F" copies inputs/F (a data set an experiment names by a relative path)."""
    if name.startswith("mkdir:"):
        path = os.path.join(work, name[len("mkdir:"):])
        os.makedirs(path, exist_ok=True)
        return path
    if name.startswith("copy:"):  # "copy:F": inputs/F (a file or a directory tree) copied into `work` by its name
        src = os.path.join(INPUTS, name[len("copy:"):])
        path = os.path.join(work, os.path.basename(src))
        if not os.path.exists(path):
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, path)
        return path
    gen = GENERATORS[name]
    path = os.path.join(work, name)
    if not os.path.exists(path):
        if gen in NEEDS_TS:
            gen(path, ts_dir)
        else:
            gen(path)
    return path


def expand(template, work, ts_dir):
    """The shell words of `template` with {in:F}, {data:F}, {ts:F}, {gen:NAME} and {work} substituted ({in:F} of a
    `run` case: a copy of F in the work directory, by its name, as an experiment's relative paths follow its file). A word that
    is only {pre:NAME} creates NAME in the work directory (as {gen:NAME} does) and is not passed on: an input an
    experiment names by a relative path, e.g. `output: foreign.h5`."""
    run = template.split()[:1] == ["run"]

    def sub(m):
        kind, _, arg = m.group(1).partition(":")
        if kind == "in" and run:
            # An experiment's relative paths (`output:`) are relative to its file: run a copy in the work directory,
            # by its name, so they land there (and messages name them as the file gives them).
            shutil.copy(os.path.join(INPUTS, arg), os.path.join(work, os.path.basename(arg)))
            return os.path.basename(arg)
        if kind == "in":
            return os.path.join(INPUTS, arg)
        if kind == "data":
            return os.path.join(HERE, "..", "data", arg)
        if kind == "ts":
            return os.path.join(ts_dir, arg)
        if kind == "work":
            return work
        if kind == "gen":
            return generate(arg, work, ts_dir)
        raise KeyError(m.group(0))
    out = []
    for w in shlex.split(template):
        pre = re.fullmatch(r"\{pre:([^}]*)\}", w)
        if pre:
            generate(pre.group(1), work, ts_dir)
        else:
            out.append(re.sub(r"\{([a-z]+(?::[^}]*)?)\}", sub, w))
    return out


def snapshot(work):
    """Every path under `work` with a digest of its content (directories as such; a symlink by its target, never
    followed; a FIFO or other special file by its kind, never opened)."""
    out = {}
    for root, dirs, files in os.walk(work):
        for d in dirs:
            p = os.path.join(root, d)
            out[os.path.relpath(p, work)] = "link -> " + os.readlink(p) if os.path.islink(p) else "dir"
        for name in files:
            p = os.path.join(root, name)
            mode = os.lstat(p).st_mode
            if stat.S_ISLNK(mode):
                out[os.path.relpath(p, work)] = "link -> " + os.readlink(p)
                continue
            if not stat.S_ISREG(mode):
                out[os.path.relpath(p, work)] = f"special file, mode {mode:o}"
                continue
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            out[os.path.relpath(p, work)] = h.hexdigest()
    return out


def run_case(case_id, case, binary, ts_dir, timeout):
    rc, needle, template = case
    work = tempfile.mkdtemp(prefix=f"rp-bad-{case_id}-")
    try:
        args = [binary] + expand(template, work, ts_dir)
        before = snapshot(work)
        p = subprocess.Popen(args, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # the case's whole process group: forked workers too
            p.communicate()
            return [f"no exit within {timeout} s (a hang)", "command: " + " ".join(shlex.quote(a) for a in args)]
        errors = []
        err = err.decode("utf-8", "replace")
        if p.returncode < 0:
            errors.append(f"killed by signal {-p.returncode} (a crash)")
        elif p.returncode != rc:
            errors.append(f"exit code {p.returncode}, expected {rc}")
        lines = err.splitlines()
        if len(lines) != 1:
            errors.append(f"stderr has {len(lines)} lines, expected exactly 1")
        if needle not in err:
            errors.append(f"stderr does not contain {needle!r}")
        if out:
            errors.append(f"stdout not empty: {out[:200]!r}")
        after = snapshot(work)
        for path in sorted(set(after) - set(before)):
            errors.append(f"left behind: {path}")
        for path in sorted(before):
            if after.get(path) != before[path]:
                errors.append(f"changed or removed: {path}")
        if errors:
            errors.append("command: " + " ".join(shlex.quote(a) for a in args))
            errors.append("stderr: " + err[:2000].rstrip())
        return errors
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_manifest(cases, min_cases):
    errors = []
    if len(cases) < min_cases:
        errors.append(f"{len(cases)} cases, expected at least {min_cases}")
    used = set()
    for case_id, (_, _, template) in cases.items():
        for name in re.findall(r"\{in:([^}]*)\}", template):
            used.add(name)
            if not os.path.isfile(os.path.join(INPUTS, name)):
                errors.append(f"{case_id}: no input file inputs/{name}")
        if "{ts:" in template and not case_id.startswith("ts-"):
            errors.append(f"{case_id}: uses an exported TorchScript model, so its id must start with 'ts-'")
        for name in re.findall(r"\{(?:gen|pre):([^}]*)\}", template):
            if name.startswith("copy:"):
                used.add(name[len("copy:"):])
                if not os.path.exists(os.path.join(INPUTS, name[len("copy:"):])):
                    errors.append(f"{case_id}: no input inputs/{name[len('copy:'):]}")
            elif name not in GENERATORS and not name.startswith("mkdir:"):
                errors.append(f"{case_id}: no generator '{name}'")
    for name in sorted(os.listdir(INPUTS)):
        if name not in used and name != "README.md":
            errors.append(f"inputs/{name} is used by no case")
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--ts", default="", help="directory of the exported TorchScript test models")
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--manifest", type=int, metavar="MIN_CASES")
    ap.add_argument("ids", nargs="*")
    a = ap.parse_args()
    a.bin = os.path.abspath(a.bin)
    a.ts = os.path.abspath(a.ts) if a.ts else ""
    cases = read_cases()
    if a.manifest is not None:
        errors = check_manifest(cases, a.manifest)
        print(f"{len(cases)} cases in cases.tsv")
    else:
        ids = a.ids or list(cases)
        errors = []
        for case_id in ids:
            if case_id not in cases:
                errors.append(f"{case_id}: no such case")
                continue
            errors += [f"{case_id}: {e}" for e in run_case(case_id, cases[case_id], a.bin, a.ts, a.timeout)]
        print(f"{len(ids)} cases run, {len({e.split(':')[0] for e in errors})} failed")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
