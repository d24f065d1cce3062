"""The module across processes: Results pickle and copy (so a multiprocessing pool can return them), and a fork
while another thread simulates leaves a child that can simulate. Every wait here has a timeout, so a hang fails the
test instead of hanging CTest. Run by CTest (`python: pytest`) with build/python on PYTHONPATH."""
import copy
import functools
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading
import time

import pytest

import ridgepoint as rp

# Small zoo models with different layers: their simulations differ, so a pool that mixed up results would fail.
MODELS = ["efficientnet-b0", "mnasnet-a1", "resnet-50"]


def _simulate(model):
    return rp.simulate(model, accel="tpuv3", batch=1)


def test_result_pickles_and_copies():
    r = _simulate("efficientnet-b0")
    copies = [pickle.loads(pickle.dumps(r, protocol)) for protocol in range(pickle.HIGHEST_PROTOCOL + 1)]
    copies += [copy.copy(r), copy.deepcopy(r)]
    for c in copies:
        assert isinstance(c, rp.Result) and c == r
        assert c.latency_ms == r.latency_ms and c.json == r.json
    deep = copy.deepcopy(r)
    deep.json["units"]["matrix"]["busy_fraction"] = -1.0
    assert r.units["matrix"]["busy_fraction"] >= 0  # a deep copy shares nothing with the original
    assert r != _simulate("mnasnet-a1")


def test_result_without_state_raises_attribute_error():
    # pickle and copy make the object without __init__ and then look up __setstate__ / __deepcopy__ on it.
    bare = rp.Result.__new__(rp.Result)
    with pytest.raises(AttributeError):
        bare.latency_ms  # noqa: B018
    assert not hasattr(bare, "__setstate__")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_returns_the_serial_results(method):
    serial = [_simulate(m) for m in MODELS]
    assert len({r.latency_ms for r in serial}) == len(MODELS)
    pool = multiprocessing.get_context(method).Pool(2)
    try:
        pooled = pool.map_async(functools.partial(rp.simulate, accel="tpuv3", batch=1), MODELS).get(timeout=120)
    except multiprocessing.TimeoutError:
        pytest.fail("multiprocessing.Pool(2).map(simulate) did not return within 120 s")
    finally:
        pool.terminate()
    assert pooled == serial
    assert [r.latency_ms for r in pooled] == [r.latency_ms for r in serial]


def _wait(pid, timeout):
    """The child's exit code, or None after killing it when it has not exited within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def test_fork_while_another_thread_simulates():
    # The thread simulates back to back, each batch twice: the first run of a batch runs the engine (new core
    # shares: the engine mutex held most of the time), the second comes from the accelerator's group memo (its own
    # mutex taken and released). Without the fork hooks the child would start with the engine locked by a thread it
    # does not have, or with a memo's lock held, and its simulate() would never return.
    stop = threading.Event()

    def loop():
        i = 0
        while not stop.is_set():
            rp.simulate("efficientnet-b0", accel="tpuv3", batch=1 + i // 2)
            i += 1

    worker = threading.Thread(target=loop)
    worker.start()
    codes = []
    try:
        for _ in range(5):
            time.sleep(0.02)
            pid = os.fork()
            if pid == 0:  # the child: one simulation, then out, whatever happens (never back into pytest)
                code = 3
                try:
                    code = 0 if _simulate("efficientnet-b0").latency_ms > 0 else 4
                finally:
                    os._exit(code)
            codes.append(_wait(pid, 60))
    finally:
        stop.set()
        worker.join()
    assert codes == [0] * 5, f"child exit codes (None: hung, killed after 60 s): {codes}"


def test_run_forks_its_workers_with_the_fork_hooks_registered(tmp_path):
    # run(jobs=2) forks its workers in C++ while it holds the engine; the module's fork hooks must not run there
    # (they would wait for the engine its own thread holds). In a subprocess, so a hang fails after 120 s.
    yaml, out = tmp_path / "s.yaml", tmp_path / "s.h5"
    yaml.write_text("kind: sweep\nmodels: [efficientnet-b0]\naccelerators: [tpuv3]\nbatch: 1\n"
                    f"output: {out}\ngrid:\n  hbm.bandwidth_gbps: [600, 900, 1200, 1800]\n")
    code = f"import ridgepoint as rp; s = rp.run({str(yaml)!r}, jobs=2); print(s.computed, s.complete)"
    p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["4", "True"]  # 4 grid points, all computed by the workers


_CTRL_C_RUN = r"""
import os, signal, sys, threading, time
import ridgepoint as rp
exp = sys.argv[1]
threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
t0 = time.monotonic()
try:
    rp.run(exp)
    print("finished")
except rp.Interrupted:
    print(f"interrupted after {time.monotonic() - t0:.2f} s")
assert signal.getsignal(signal.SIGINT) is signal.default_int_handler, signal.getsignal(signal.SIGINT)
s = rp.run(exp)  # resumes: the stop was not remembered, the journal was
print(f"resumed {s.done_before} of {s.total}, complete {s.complete}")
"""


def test_ctrl_c_stops_an_in_process_run_and_python_gets_its_handler_back(tmp_path):
    # A sweep of a few seconds; SIGINT after 1 s must raise ridgepoint.Interrupted (a KeyboardInterrupt) within a
    # second of the signal, leave Python's own SIGINT handler in place, and a second run must resume and finish.
    exp = tmp_path / "long.yaml"
    exp.write_text("kind: sweep\nmodels: [efficientnet-b7, efficientnet-b5]\naccelerators: [tpuv3]\n"
                   f"output: {tmp_path / 'long.h5'}\n"
                   "grid: {hbm.bandwidth_gbps: [300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200],\n"
                   "       matrix_unit.rows: [64, 128, 256, 512], batch: [64, 128, 256, 512, 1024]}\n")
    p = subprocess.run([sys.executable, "-c", _CTRL_C_RUN, str(exp)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("interrupted after "), p.stdout
    assert float(lines[0].split()[2]) < 2.0  # the signal came at 1 s
    done_before, total = int(lines[1].split()[1]), int(lines[1].split()[3].rstrip(','))
    assert 0 < done_before < total and lines[1].endswith("complete True"), p.stdout
