#!/usr/bin/env python3
"""startup-cpu-bench.py OLD NEW [RUNS] [ARGS...]: the whole `ridgepoint ARGS` process (default: simulate
efficientnet-b0 --accel tpuv3) with two executables, alternating in one run so both see the same machine load:
median wall time, median user+sys CPU time (the child's rusage, microsecond resolution: on a shared machine it
says what the process itself costs, whatever waits it had), and how many shared libraries each links (ldd).
Used for the start-up figures of README.md and docs/architecture.md (issue 23: "a simulate process at most 40 ms")."""
import os
import statistics
import subprocess
import sys
import time


def one_run(argv):
    """(wall s, user+sys s) of one process, its output discarded; exits on a failed run."""
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, null.fileno(), 1),
                                                                       (os.POSIX_SPAWN_DUP2, null.fileno(), 2)])
        _, status, ru = os.wait4(pid, 0)
        t1 = time.perf_counter()
    if status != 0:
        sys.exit(f"startup-cpu-bench: failed ({status}): {' '.join(argv)}")
    return t1 - t0, ru.ru_utime + ru.ru_stime


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    old, new = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    args = sys.argv[4:] or ["simulate", "efficientnet-b0", "--accel", "tpuv3"]
    got = {old: [], new: []}
    for _ in range(runs):
        for exe in (old, new):
            got[exe].append(one_run([exe] + args))
    print(f"ridgepoint {' '.join(args)}: {runs} runs each, alternating")
    for tag, exe in (("old", old), ("new", new)):
        libs = len(subprocess.run(["ldd", exe], capture_output=True, text=True, check=True).stdout.splitlines())
        wall = statistics.median(w for w, _ in got[exe]) * 1e3
        cpu = statistics.median(c for _, c in got[exe]) * 1e3
        print(f"{tag}: median wall {wall:6.1f} ms   median user+sys {cpu:6.1f} ms   ldd lines {libs:3d}   {exe}")


main()
