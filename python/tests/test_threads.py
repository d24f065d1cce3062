"""Two Python threads simulating at once through the accelerator's group memo (python/src/module.cpp) get exactly
the results of serial whole simulations: the memo is shared between the threads and only its engine runs take
turns."""
import random
import threading

import ridgepoint as rp
from ridgepoint import _core

# EfficientNet-B0's stages (tests/data/b0-blocks.yaml): (stride, input filters, output filters).
B0_STAGES = [(1, 32, 16), (2, 16, 24), (2, 24, 40), (2, 40, 80), (1, 80, 112), (2, 112, 192), (1, 192, 320)]


def candidates(n, seed):
    """n random B0-shaped networks: per stage kernel 3 or 5, expansion 1, 4 or 6, SE or not, 1-3 repeats."""
    rng = random.Random(seed)
    nets = []
    for c in range(n):
        blocks = [f"r{rng.randint(1, 3)}_k{rng.choice([3, 5])}_s{s}{s}_e{rng.choice([1, 4, 6])}_i{i}_o{o}"
                  f"{rng.choice(['', '_se0.25'])}" for s, i, o in B0_STAGES]
        nets.append(rp.Network.from_blocks(blocks, name=f"c{c}"))
    return nets


def test_two_threads_give_the_serial_results_exactly():
    nets = candidates(12, seed=5)
    _core._set_accelerator_cache(0)  # a fresh cache: a new, empty group memo for the accelerator below
    _core._set_accelerator_cache(32)
    try:
        _core._set_group_memo(False)  # serial, each network simulated whole: the reference
        serial = [rp.simulate(n, accel="tpuv3", batch=2).json for n in nets]
    finally:
        _core._set_group_memo(True)
    before = _core._accelerator_cache_stats()
    got = [[None] * len(nets) for _ in range(2)]
    errors = []

    def work(t):
        # Thread 0 from the front, thread 1 from the back, twice: the second pass of each assembles networks from
        # records (some made by the other thread) while the other thread does the same or simulates.
        try:
            for _ in range(2):
                order = range(len(nets)) if t == 0 else reversed(range(len(nets)))
                for i in order:
                    got[t][i] = rp.simulate(nets[i], accel="tpuv3", batch=2).json
        except Exception as e:  # noqa: BLE001 (reported below: a thread's exception would be lost)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not any(th.is_alive() for th in threads) and not errors, errors
    for t in range(2):
        for i, ref in enumerate(serial):
            assert got[t][i]["latency_ms"] == ref["latency_ms"] > 0, (t, i)
            assert got[t][i]["energy_j"] == ref["energy_j"] > 0, (t, i)
            assert got[t][i] == ref, (t, i)  # every field: units, layers, energy parts
    after = _core._accelerator_cache_stats()
    # 48 calls; each thread's second pass (2 x 12) finds every group recorded by its own first pass at least.
    assert after["assembled"] - before["assembled"] >= 24
    assert (after["assembled"] - before["assembled"]) + (after["full_runs"] - before["full_runs"]) == 48
