"""Python threads: one thread vs two on the same calls, measured in one run (issue 23: "two Python threads at least
1.7x one"). Prints, per workload, the time per call of one thread and of two (the same number of calls split
between them), each the best of --trials timed trials run alternately (the one least disturbed by other processes),
the ratio, and the process CPU seconds per wall second of that trial (how many cores the calls kept busy).

Beside them, a figure that other processes' load does not move: the share of a call's CPU time that holds the GIL,
p = 1 - (thread CPU time inside the module's GIL-released sections, _core._gil_released_seconds()) / (the calling
thread's CPU time over the calls, time.thread_time()), the median of the one-thread trials (their range beside
it: another process's burst can slow the memory-bound Python part more), and the bounds it puts
on two threads: Amdahl's 2 / (1 + p) (the GIL-held part never overlaps the other thread's work) and min(2, 1/p)
(it always does); a measured ratio on two idle cores lies near or between them. Cold and off calls are bound
further by the engine mutex (SystemC runs take turns), which this share does not count.

On a machine whose other processes leave this one less than two cores, the ratio cannot show what two idle cores
would give; the scheduler states of the two threads can: how often both were runnable (running or waiting only for
a core) and how often one slept waiting for the other (the GIL or a lock). They are sampled from another process
every 0.2 ms in separate, untimed two-thread trials after the timed ones (the sampler takes CPU, which on two cores
would slow the very trial it watches).

Workloads (rp.simulate, TPUv3, batch 8, random B0-shaped candidates made with rp.Network.from_blocks: per stage of
EfficientNet-B0's seven, kernel 3 or 5, expansion 1, 4 or 6, SE 0 or 0.25, 1-4 repeats; filters and strides B0's;
each call reads the result's latency_ms, as a search does):
  warm  - candidates already simulated once: every fusion group is in the accelerator's group memo, no SystemC
          runs, and the calls run in parallel;
  json  - warm, and each call also reads the whole result (Result.json: every field converted to Python objects,
          under the GIL; what every call did before results were converted when read);
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
import statistics
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


def timed(calls, threads, sample=False):
    """Runs `calls` (functions) split round-robin between `threads` threads: (wall seconds, process CPU seconds, the
    threads' own CPU seconds summed, CPU seconds the module ran with the GIL released, sampler counts [runnable,
    asleep] or None). sample: the threads' scheduler states are sampled from another process meanwhile."""
    parts = [calls[t::threads] for t in range(threads)]
    go = threading.Event()
    thread_cpu = []

    def work(part):
        go.wait()
        t = time.thread_time()
        for c in part:
            c()
        thread_cpu.append(time.thread_time() - t)

    workers = [threading.Thread(target=work, args=(p,)) for p in parts]
    for w in workers:
        w.start()
    sampler = None
    if sample:
        sampler = subprocess.Popen([sys.executable, "-c", SAMPLER, str(os.getpid())] +
                                   [str(w.native_id) for w in workers], stdout=subprocess.PIPE, text=True)
        sampler.stdout.readline()  # "ready"
    released = _core._gil_released_seconds()
    wall, cpu = time.perf_counter(), time.process_time()
    go.set()
    for w in workers:
        w.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    released = _core._gil_released_seconds() - released
    states = None
    if sampler:
        states = list(map(int, sampler.communicate()[0].split()))
    return wall, cpu, sum(thread_cpu), released, states


def report(name, trials, sampled=None):
    """trials: (calls for one thread, calls for two threads) pairs, run alternately; the best (least disturbed by
    other processes) time per call of each is reported, with the cores that trial kept busy, the GIL-held share
    of the one-thread trials' CPU time and the memo's hit rate over the timed trials. Then untimed two-thread runs
    of `sampled` (lists of calls; default: the first trial's two-thread calls, twice) with the scheduler sampler:
    a cold workload passes calls of its own, since the trials' calls are memoized once they have run."""
    before = _core._accelerator_cache_stats()
    best = {1: (float("inf"), 0.0), 2: (float("inf"), 0.0)}
    shares, one_cpu = [], 0.0
    for calls_one, calls_two in trials:
        for k, calls in ((1, calls_one), (2, calls_two)):
            wall, cpu, thread_cpu, released, _ = timed(calls, k)
            if k == 1:
                one_cpu += thread_cpu
                shares.append(1 - released / thread_cpu)
            if wall / len(calls) < best[k][0]:
                best[k] = (wall / len(calls), cpu / wall)
    after = _core._accelerator_cache_stats()  # the timed trials' alone
    states = [0, 0]
    for calls in sampled or [trials[0][1]] * 2:
        counts = timed(calls, 2, sample=True)[4]
        states = [states[0] + counts[0], states[1] + counts[1]]
    (one, cores_one), (two, cores_two) = best[1], best[2]
    held = statistics.median(shares)
    print(f"{name:5s}  {len(trials)} x {len(trials[0][0]):4d} calls  1 thread {one * 1e3:6.3f} ms/call "
          f"({cores_one:4.2f} cores)  2 threads {two * 1e3:6.3f} ms/call ({cores_two:4.2f} cores)  "
          f"ratio {one / two:5.2f}x")
    calls_one = sum(len(t[0]) for t in trials)
    print(f"       GIL held in {held:.1%} of a call's CPU (median; {min(shares):.1%}-{max(shares):.1%}; "
          f"{one_cpu / calls_one * 1e3:.3f} ms CPU/call, one thread):\n"
          f"       the GIL alone lets two threads reach at most {2 / (1 + held):.2f}x (Amdahl) to "
          f"{min(2.0, 1 / max(held, 1e-9)):.2f}x (overlapped)")
    print(f"       untimed, sampled: 2 threads both runnable in {states[0] / max(1, sum(states)):.1%} of "
          f"{sum(states)} samples, one asleep (GIL, lock) in {states[1] / max(1, sum(states)):.1%}")
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
    sim = lambda net: (lambda: rp.simulate(net, accel="tpuv3", batch=8).latency_ms)  # noqa: E731
    sim_json = lambda net: (lambda: rp.simulate(net, accel="tpuv3", batch=8).json)  # noqa: E731

    warm = [candidate(rng, f"warm{i}") for i in range(args.candidates)]
    for net in warm:  # every group recorded
        sim(net)()
    calls = [sim(net) for _ in range(args.rounds) for net in warm]
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {args.candidates} candidates")
    report("warm", [(calls, calls)] * args.trials)
    calls_json = [sim_json(net) for _ in range(args.rounds) for net in warm]
    report("json", [(calls_json, calls_json)] * args.trials)

    fresh = [[sim(candidate(rng, f"cold{t}.{i}", rng.randrange(128, 324, 4))) for i in range(args.candidates)]
             for t in range(2 * args.trials + 2)]
    report("cold", [(fresh[2 * t], fresh[2 * t + 1]) for t in range(args.trials)], sampled=fresh[-2:])

    _core._set_group_memo(False)
    try:
        off = [sim(net) for net in warm]
        report("off", [(off, off)] * args.trials)
    finally:
        _core._set_group_memo(True)


if __name__ == "__main__":
    main()
