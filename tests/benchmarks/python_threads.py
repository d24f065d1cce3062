"""Python threads: one thread vs two on the same calls, measured in one run (issue 23: "two Python threads at least
1.7x one"). Prints, per workload, the time per call of one thread and of two (the same number of calls split
between them), each the best of --trials trials run alternately (the one least disturbed by other processes), the
ratio, and the process CPU seconds per wall second of that trial (how many cores the calls kept busy). On a machine
whose other processes leave this one less than two cores, the ratio cannot show what two idle cores would give; the
scheduler states of the two threads, sampled from another process, can: how often both were runnable (running or
waiting only for a core) and how often one slept waiting for the other (the GIL or a lock).

Workloads (rp.simulate, TPUv3, batch 8, random B0-shaped candidates made with rp.Network.from_blocks: per stage of
EfficientNet-B0's seven, kernel 3 or 5, expansion 1, 4 or 6, SE 0 or 0.25, 1-4 repeats; filters and strides B0's):
  warm  - candidates already simulated once: every fusion group is in the accelerator's group memo, no SystemC
          runs, and the calls run in parallel;
  cold  - new candidates at a random resolution (128-320), so their groups are new to the memo (memo on): each
          runs SystemC, under the engine mutex, while the rest of the call (building, lowering, recording, the
          result) runs in parallel;
  off   - the group memo off (_core._set_group_memo(False)): each call simulates whole under the engine mutex (the
          behaviour before), so two threads take turns.

  PYTHONPATH=build/python /usr/bin/python3 tests/benchmarks/python_threads.py [--candidates N] [--rounds R] [--trials T]
The machine's load matters (the ratio needs two idle cores): the script prints the load average beside the figures.
"""
import argparse
import os
import random
import subprocess
import sys
import threading
import time

import ridgepoint as rp
from ridgepoint import _core

# EfficientNet-B0's stages (tests/data/b0-blocks.yaml): (stride, input filters, output filters).
B0_STAGES = [(1, 32, 16), (2, 16, 24), (2, 24, 40), (2, 40, 80), (1, 80, 112), (2, 112, 192), (1, 192, 320)]


def candidate(rng, name, resolution=224):
    blocks = []
    for s, i, o in B0_STAGES:
        r, k, e = rng.randint(1, 4), rng.choice([3, 5]), rng.choice([1, 4, 6])
        se = rng.choice(["", "_se0.25"])
        blocks.append(f"r{r}_k{k}_s{s}{s}_e{e}_i{i}_o{o}{se}")
    return rp.Network.from_blocks(blocks, name=name, resolution=resolution)


# Run as a separate process (it must not take this one's GIL): samples the scheduler state of the given threads of
# process PID every 0.2 ms while they all exist, and prints how often all were runnable (state R: running, or ready
# and waiting only for a core) and how often one was asleep (waiting for the GIL or a lock).
SAMPLER = r"""
import sys, time
pid, tids = sys.argv[1], sys.argv[2:]
runnable = asleep = 0
print("ready", flush=True)
while True:
    try:
        states = [open(f"/proc/{pid}/task/{t}/stat").read() for t in tids]
    except OSError:
        break
    if all(st[st.rindex(")") + 2] == "R" for st in states):
        runnable += 1
    else:
        asleep += 1
    time.sleep(0.0002)
print(runnable, asleep)
"""


def timed(calls, threads, states=None):
    """Wall and process CPU seconds of running `calls` (functions) split round-robin between `threads` threads;
    `states` (a [runnable, asleep] pair): the sampler's counts are added to it."""
    parts = [calls[t::threads] for t in range(threads)]
    go = threading.Event()
    workers = [threading.Thread(target=lambda p=p: go.wait() and [c() for c in p]) for p in parts]
    for w in workers:
        w.start()
    sampler = None
    if states is not None:
        sampler = subprocess.Popen([sys.executable, "-c", SAMPLER, str(os.getpid())] +
                                   [str(w.native_id) for w in workers], stdout=subprocess.PIPE, text=True)
        sampler.stdout.readline()  # "ready"
    wall, cpu = time.perf_counter(), time.process_time()
    go.set()
    for w in workers:
        w.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if sampler:
        runnable, asleep = map(int, sampler.communicate()[0].split())
        states[0] += runnable
        states[1] += asleep
    return wall, cpu


def report(name, trials):
    """trials: (calls for one thread, calls for two threads) pairs, run alternately; the best (least disturbed by
    other processes) time per call of each is reported, with the cores that trial kept busy."""
    before = _core._accelerator_cache_stats()
    best = {1: (float("inf"), 0.0), 2: (float("inf"), 0.0)}
    states = [0, 0]
    for calls_one, calls_two in trials:
        for k, calls in ((1, calls_one), (2, calls_two)):
            wall, cpu = timed(calls, k, states if k == 2 else None)
            if wall / len(calls) < best[k][0]:
                best[k] = (wall / len(calls), cpu / wall)
    after = _core._accelerator_cache_stats()
    (one, cores_one), (two, cores_two) = best[1], best[2]
    print(f"{name:5s}  {len(trials)} x {len(trials[0][0]):4d} calls  1 thread {one * 1e3:6.3f} ms/call "
          f"({cores_one:4.2f} cores)  2 threads {two * 1e3:6.3f} ms/call ({cores_two:4.2f} cores)  "
          f"ratio {one / two:5.2f}x")
    print(f"       2 threads both runnable in {states[0] / max(1, sum(states)):.1%} of {sum(states)} samples, "
          f"one asleep (GIL, lock) in {states[1] / max(1, sum(states)):.1%}")
    if after["memo"]:
        hits, misses = (after[k] - before[k] for k in ("group_hits", "group_misses"))
        print(f"       group memo hit rate {hits / max(1, hits + misses):.4f} "
              f"({after['assembled'] - before['assembled']} networks assembled, "
              f"{after['full_runs'] - before['full_runs']} simulated whole)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--trials", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(1)
    sim = lambda net: (lambda: rp.simulate(net, accel="tpuv3", batch=8))  # noqa: E731

    warm = [candidate(rng, f"warm{i}") for i in range(args.candidates)]
    for net in warm:  # every group recorded
        sim(net)()
    calls = [sim(net) for _ in range(args.rounds) for net in warm]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.candidates} candidates")
    report("warm", [(calls, calls)] * args.trials)

    fresh = [[sim(candidate(rng, f"cold{t}.{i}", rng.randrange(128, 324, 4))) for i in range(args.candidates)]
             for t in range(2 * args.trials)]
    report("cold", [(fresh[2 * t], fresh[2 * t + 1]) for t in range(args.trials)])

    _core._set_group_memo(False)
    try:
        off = [sim(net) for net in warm]
        report("off", [(off, off)] * args.trials)
    finally:
        _core._set_group_memo(True)


if __name__ == "__main__":
    main()
