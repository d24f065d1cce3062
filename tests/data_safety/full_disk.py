#!/usr/bin/python3
"""full_disk.py: runs one command at many levels of free disk space and checks that it never loses data.

usage: full_disk.py --root DIR --output NAME [--levels N] [--max-free BYTES] [--scale output|all] [--mode ...]
                    [--shim LIB] [--success REGEX] [--same CMD] [--reason REGEX] [--one-error-line] [--timeout S]
                    -- COMMAND ARGS...

COMMAND writes its output to @DIR@/NAME: every argument's "@DIR@" is replaced by the directory under test (always
the same path, so the output's bytes do not depend on the level). First a reference run with plenty of room gives
the "previous output". Then, for each of N levels (default 12) of free space, N - 2 of them spread evenly from 0
bytes to 1.25 times the reference output (--scale all: 1.25 times everything the reference run wrote into the
directory: journal, side files, checkpoints) and the last two at --max-free (default: twice that scale plus
64 KiB), the command runs once with the directory holding nothing (even levels) or the previous output (odd
levels), and the level passes only if
  - the command did not crash: exit code in [0, 128), no signal, no core file, no hang (--timeout, default 120 s);
  - exit code 0: the success line (--success REGEX, on stdout or stderr) was printed and the output is complete:
    the previous output byte for byte, or, with --same CMD, `CMD PREVIOUS OUTPUT` exits 0 (for formats that store timestamps:
    e.g. --same "/usr/bin/python3 tests/experiments/h5_content.py");
  - any other exit code: no success line, and the output path holds what it held before (nothing, or the previous
    output byte for byte); with --reason REGEX, stderr matches it (e.g. "No space left on device"); with
    --one-error-line, stderr is exactly one line (no HDF5 error stack, no message printed by a destructor);
  - either way no *.tmp file is left anywhere under the directory.
The test also fails unless at least one level failed to write (the disk was really full) and the level with the most
room succeeded (there was room to write), so it cannot pass without testing anything.

Free space, two mechanisms (--mode auto picks the first that works):
  tmpfs:   a small tmpfs mounted at ROOT/mnt for each level (needs root, or CAP_SYS_ADMIN), with a filler file
           sized so that exactly the level's bytes are free (checked with statvfs); the directory under test is
           ROOT/mnt/work. Free space is counted in the tmpfs's pages (4 KiB).
  preload: ROOT/mnt/work on the ordinary disk, with LD_PRELOAD=--shim (enospc_shim.c): writes to files under it
           fail with ENOSPC once the level's bytes are written (shared by child processes; freed space is not given
           back, stdio-internal writes are not seen: see the shim).
To add a case (one CTest per experiment kind, tests/data_safety/CMakeLists.txt): rp_full_disk_test(NAME OUTPUT
[SAME CMD] [SUCCESS REGEX] ARGS ...) with the command's arguments naming @DIR@/OUTPUT.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

PAGE = 4096


def run(cmd, **kw):
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def unmount(mnt):
    while os.path.ismount(mnt):
        if run(["umount", mnt]).returncode != 0:
            sys.exit(f"full_disk.py: cannot unmount {mnt}")


def mount_tmpfs(mnt, size):
    os.makedirs(mnt, exist_ok=True)
    unmount(mnt)
    r = run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", mnt])
    return r.returncode == 0


def free_bytes(path):
    s = os.statvfs(path)
    return s.f_bavail * s.f_frsize


class Disk:
    """ROOT/mnt/work with a chosen amount of free space (one of the two mechanisms)."""

    def __init__(self, root, mode, shim):
        self.mnt = os.path.join(root, "mnt")
        self.work = os.path.join(self.mnt, "work")
        self.state = os.path.join(root, "shim-state")
        self.shim = shim
        self.mode = mode
        self.effective = None  # the free space set, in the tmpfs's whole pages
        if mode == "auto":
            self.mode = "tmpfs" if mount_tmpfs(self.mnt, PAGE) else "preload"
            unmount(self.mnt)
        if self.mode == "preload" and not (shim and os.path.isfile(shim)):
            sys.exit("full_disk.py: mounting a tmpfs is not allowed here and no --shim library was given")

    def prepare(self, free, previous):
        """Empties the directory, puts `previous` (bytes or None) at OUTPUT, leaves `free` bytes (None: plenty)."""
        if self.mode == "tmpfs":
            room = free if free is not None else 1 << 30
            size = len(previous or b"") + room + 16 * PAGE
            size = (size + PAGE - 1) // PAGE * PAGE
            if not mount_tmpfs(self.mnt, size):
                sys.exit(f"full_disk.py: mount -t tmpfs -o size={size} failed")
        else:
            unmount(self.mnt)
            shutil.rmtree(self.mnt, ignore_errors=True)
        os.makedirs(self.work)
        if previous is not None:
            with open(self.output, "wb") as f:
                f.write(previous)
        if self.mode == "tmpfs" and free is not None:
            self.fill(free)

    def fill(self, free):
        want = (free + PAGE - 1) // PAGE * PAGE
        filler = os.path.join(self.mnt, "filler")
        with open(filler, "wb") as f:
            f.write(b"\0" * max(0, free_bytes(self.mnt) - want))
        if free_bytes(self.mnt) != want:
            sys.exit(f"full_disk.py: could not set the free space to {want} bytes (got {free_bytes(self.mnt)})")
        self.effective = want

    def env(self, free):
        env = dict(os.environ)
        if self.mode == "preload" and free is not None:
            with open(self.state, "wb") as f:
                f.write(b"\0" * 8)
            env.update(LD_PRELOAD=self.shim, RP_ENOSPC_DIR=self.work, RP_ENOSPC_BUDGET=str(free),
                       RP_ENOSPC_STATE=self.state, ASAN_OPTIONS="verify_asan_link_order=0")
        return env

    def release(self):
        if self.mode == "tmpfs":
            unmount(self.mnt)


def leftovers(work):
    return sorted(os.path.relpath(os.path.join(r, n), work) for r, _, files in os.walk(work) for n in files
                  if n.endswith(".tmp"))


def read(path):
    if not os.path.lexists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def execute(a, disk, free, cwd):
    args = [w.replace("@DIR@", disk.work) for w in a.command]
    try:
        p = run(args, cwd=cwd, env=disk.env(free), timeout=a.timeout)
    except subprocess.TimeoutExpired:
        return None, "", f"no exit within {a.timeout} s (a hang)"
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def same_output(a, previous_path, out_path, out):
    if out is None:
        return False
    if a.same:
        return run(a.same.split() + [previous_path, out_path]).returncode == 0
    return out == read(previous_path)


def check_level(a, disk, free, start, prev_path, cwd):
    """Runs one level; returns (errors, summary)."""
    previous = read(prev_path)
    disk.prepare(free, previous if start == "previous" else None)
    rc, out, err = execute(a, disk, free, cwd)
    errors = []
    output = read(disk.output)
    succeeded = bool(a.success.search(out) or a.success.search(err)) if a.success else rc == 0
    if rc is None:
        errors.append(err)
    elif rc < 0 or rc >= 128:
        errors.append(f"crashed: exit code {rc}")
    if [n for n in os.listdir(cwd) if n.startswith("core")]:
        errors.append("left a core file")
    if rc == 0:
        if not succeeded:
            errors.append("exit code 0 without the success line")
        if not same_output(a, prev_path, disk.output, output):
            errors.append("exit code 0 but the output is missing or not the complete output")
    elif rc is not None:
        if succeeded:
            errors.append(f"exit code {rc} but the success line was printed")
        if a.reason and not a.reason.search(err):
            errors.append(f"stderr does not match /{a.reason.pattern}/")
        if a.one_error_line and len(err.splitlines()) != 1:
            errors.append(f"stderr has {len(err.splitlines())} lines, expected one: {err[:300]!r}")
        expected = previous if start == "previous" else None
        if output != expected:
            errors.append("the output changed although the command failed" if expected is not None else
                          "a failed run left an output")
    left = leftovers(disk.work)
    if left:
        errors.append(f"left temporaries: {left}")
    disk.release()
    first = (err.strip().splitlines() or [""])[-1][:110]
    free = disk.effective if disk.mode == "tmpfs" else free
    summary = f"free {free:>9} B  start {start:<8}  exit {rc}  {first}"
    return errors, summary, rc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, help="scratch directory of this test (mount point inside it)")
    ap.add_argument("--output", required=True, help="the output's name inside @DIR@")
    ap.add_argument("--levels", type=int, default=12)
    ap.add_argument("--max-free", type=int, default=0)
    ap.add_argument("--scale", choices=["output", "all"], default="output")
    ap.add_argument("--mode", choices=["auto", "tmpfs", "preload"], default="auto")
    ap.add_argument("--shim", default="")
    ap.add_argument("--success", type=re.compile, default=None)
    ap.add_argument("--same", default="")
    ap.add_argument("--reason", type=re.compile, default=None)
    ap.add_argument("--one-error-line", action="store_true")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    if a.command[:1] == ["--"]:
        a.command = a.command[1:]
    if not a.command or a.levels < 10:
        sys.exit("full_disk.py: give a command after -- and at least 10 levels")
    if os.sep in a.command[0]:
        a.command[0] = os.path.abspath(a.command[0])  # the command runs in a directory of its own
    root = os.path.abspath(a.root)
    os.makedirs(root, exist_ok=True)
    disk = Disk(root, a.mode, os.path.abspath(a.shim) if a.shim else "")
    disk.output = os.path.join(disk.work, a.output)
    cwd = tempfile.mkdtemp(prefix="cwd-", dir=root)  # on the real disk: a core file would land here
    try:
        return levels(a, disk, root, cwd)
    finally:
        disk.release()
        shutil.rmtree(cwd, ignore_errors=True)


def levels(a, disk, root, cwd):
    disk.prepare(None, None)
    rc, out, err = execute(a, disk, None, cwd)
    reference = read(disk.output)
    written = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(disk.work) for f in fs)
    disk.release()
    if rc != 0 or reference is None or (a.success and not (a.success.search(out) or a.success.search(err))):
        print(f"reference run with room failed (exit {rc}): {err.strip()[-500:]}")
        return 1
    prev_path = os.path.join(root, "previous-" + os.path.basename(a.output))
    with open(prev_path, "wb") as f:
        f.write(reference)
    # --scale all: a run writes more than its output (a journal, side files, checkpoints): scale by all it wrote.
    scale = written if a.scale == "all" else len(reference)
    max_free = a.max_free or 2 * scale + 16 * PAGE
    # Most levels where the writes may run out of room (0 to 1.25 x the scale, at least a page apart: a tmpfs counts
    # whole pages, so every level is a different amount of room), the last two with plenty.
    partial = max(min(max_free, scale * 5 // 4), (a.levels - 3) * PAGE)
    max_free = max(max_free, partial + PAGE)
    frees = [partial * i // (a.levels - 3) for i in range(a.levels - 2)] + [max_free] * 2
    print(f"{disk.mode}: reference output {len(reference)} bytes ({written} written in all); {a.levels} levels of free space: "
          f"0 to {partial} bytes, then {max_free} twice")
    failures, written, refused = 0, 0, 0
    for i, free in enumerate(frees):
        errors, summary, rc = check_level(a, disk, free, "previous" if i % 2 else "empty", prev_path, cwd)
        print(("FAIL " if errors else "ok   ") + summary)
        for e in errors:
            print("       " + e)
        failures += bool(errors)
        written += rc == 0
        refused += rc not in (0, None)
    if refused == 0:
        print("FAIL: no level ran out of space: the test exercised nothing (lower --max-free?)")
        failures += 1
    if rc != 0:
        print("FAIL: the level with the most room did not write the output (raise --max-free?)")
        failures += 1
    print(f"{a.levels} levels: {written} wrote the output, {refused} failed cleanly, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
