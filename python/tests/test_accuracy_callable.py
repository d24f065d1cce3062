"""The `python` accuracy source (docs/accuracy.md): rp.run(FILE, accuracy=CALLABLE) with `method: python`.

Tiny budgets, as the `command` source's tests (tests/experiments/accuracy/accuracy_test.sh): NAS 8 random samples,
LACS a 2x2x2 grid, no training; under a second a run. HURRICANE's retraining trains a 4-layer supernet on 400
images first: about 5 s.
"""
import glob
import math
import socket
import subprocess
import threading

import h5py
import pytest

import ridgepoint as rp
from cli_helpers import cli_error

NAS = """kind: nas
space: efficientnet-x
accelerator: tpuv3
batch: 8
target_latency_ms: 9.0
reward: {w: -0.07}
search: {method: random, samples: SAMPLES, seed: 1}
accuracy: ACCURACY
output: nas.h5
"""

LACS = """kind: lacs
base: efficientnet-b0
accelerator: tpuv3
batch: 8
objective: latency-aware
grid: {alpha: [1.0, 1.1, 0.1], beta: [1.0, 1.1, 0.1], gamma: [1.0, 1.1, 0.1]}
refine: false
phi: 1
accuracy: {method: python, version: lacs-1}
output: lacs.h5
"""

# accuracy_test.sh's: a 4-layer search whose /result holds two distinct architectures.
HURRICANE = """kind: hurricane
accelerator: v100
latency_constraint_ms: 15.01
space: {layers: 4, p: 2, alpha: 0.5, exploring_layers: 1}
supernet: {train_images: 400, epochs: 1, seed: 1, val_images: 100, bn_images: 100, stage2_fraction: 0.25}
search: {population: 4, generations: 2, t: 2, seed: 1}
retrain: {method: python, version: h1}
output: hurricane.h5
"""


def nas_file(tmp_path, accuracy="{method: python, version: v1}", samples=8):
    path = tmp_path / "nas.yaml"
    path.write_text(NAS.replace("ACCURACY", accuracy).replace("SAMPLES", str(samples)))
    return str(path)


def k5_share(arch):
    """The known function of a NAS architecture the callables below answer: 0.5 + 0.4 x the share of its blocks
    (the comma-separated fields after the stem field s2d0 / s2d1) with a 5x5 kernel; in [0.5, 0.9]."""
    blocks = arch.split(",")[1:]
    return 0.5 + 0.4 * sum(b.startswith("k5_") for b in blocks) / len(blocks)


def by_arch(network, proxy):
    # The network file a command trial gets: its header names the architecture proxy.json holds.
    assert "arch: " + proxy["arch"] in network and proxy["kind"] == "nas"
    return k5_share(proxy["arch"])


def test_nas_rows_are_the_callables_answers(tmp_path):
    res = rp.run(nas_file(tmp_path), jobs=2, accuracy=by_arch)  # two forked workers ask the one callable
    samples = res["samples"]
    assert len(samples["arch"]) == 8
    assert (samples["feasible"] == 1).all(), samples["reason"]
    for arch, acc in zip(samples["arch"], samples["accuracy"]):
        assert acc == k5_share(arch)  # exact: the answer crosses as repr(float), read back by strtod
    assert (samples["accuracy_source"] == "python").all()
    attrs = res.attributes
    assert attrs["accuracy_source"] == "python"
    assert attrs["accuracy_budget"] == "python test_accuracy_callable.by_arch version 'v1'"
    best = glob.glob(str(tmp_path / "nas.files" / "best*.yaml"))
    assert best and "# accuracy source: python test_accuracy_callable.by_arch version 'v1'" in open(best[0]).read()


def test_lacs_rows_are_the_callables_answers(tmp_path):
    (tmp_path / "lacs.yaml").write_text(LACS)
    calls = []

    def by_resolution(network, proxy):  # a known function of the candidate: its input resolution / 1000
        calls.append(proxy["network_sha256"])
        assert proxy["kind"] == "lacs" and f"resolution: {proxy['resolution']}" in network
        return proxy["resolution"] / 1000

    res = rp.run(str(tmp_path / "lacs.yaml"), accuracy=by_resolution)
    grid, family = res["grid"], res["family"]
    assert len(set(calls)) == 8  # the 2 x 2 x 2 grid's networks (the family's members are rated again)
    for table in (grid, family):
        assert (table["feasible"] == 1).all()
        assert (table["accuracy_source"] == "python").all()
        for res_px, acc in zip(table["resolution"], table["accuracy"]):
            assert acc == 100 * (res_px / 1000)  # LACS works in percent: 100 x the fraction
    assert set(grid["resolution"]) == {224, 248}  # gamma 1.0 and 1.1 of B0's 224 (lacs rounds to 8)
    assert "version 'lacs-1'" in res.attributes["accuracy_budget"]


def test_failures_are_infeasible_rows_with_reasons(tmp_path):
    # Each architecture gets one failure mode, in the order of first calls, cycling, so that 8 samples see all five.
    modes = {}
    answers = [
        (lambda a: (_ for _ in ()).throw(ValueError("no training for\n" + a[:4])),
         lambda a: "python callable raised ValueError: no training for " + a[:4]),  # one line: the newline a space
        (lambda a: "0.7", lambda a: "python callable returned str '0.7', not a number"),
        (lambda a: math.nan, lambda a: "python callable returned nan, not a number in [0, 1]"),
        (lambda a: 73.5, lambda a: "python callable returned 73.5, outside [0, 1] (a fraction, not percent)"),
        (lambda a: True, lambda a: "python callable returned bool True, not a number"),
    ]

    def garbage(network, proxy):
        arch = proxy["arch"]
        modes.setdefault(arch, len(modes) % len(answers))
        return answers[modes[arch]][0](arch)

    res = rp.run(nas_file(tmp_path), accuracy=garbage)  # the run completes
    s = res["samples"]
    assert set(modes.values()) == set(range(len(answers)))
    assert (s["feasible"] == 0).all()
    for arch, reason in zip(s["arch"], s["reason"]):
        assert reason == answers[modes[arch]][1](arch)


def test_method_python_needs_a_callable_and_a_callable_needs_it(tmp_path):
    rc, line = cli_error("run", nas_file(tmp_path))
    assert rc == 2
    assert line.endswith("key 'accuracy.method': python is usable only from Python: "
                         "ridgepoint.run(FILE, accuracy=CALLABLE) (docs/accuracy.md)")
    with pytest.raises(rp.UsageError, match=r"accuracy.method': python is usable only from Python"):
        rp.run(nas_file(tmp_path))
    with pytest.raises(rp.UsageError, match=r"an accuracy callable was given .* but the method is proxy, not python"):
        rp.run(nas_file(tmp_path, "{method: proxy}"), accuracy=by_arch)
    with pytest.raises(rp.UsageError, match=r"key 'accuracy.version': applies to method: python only"):
        rp.run(nas_file(tmp_path, "{method: proxy, version: v1}"))
    with pytest.raises(rp.UsageError, match=r"run: accuracy: kind sweep rates no accuracy"):
        rp.run({"kind": "sweep", "models": ["efficientnet-b0"], "accelerators": ["tpuv3"], "batch": 1,
                "output": str(tmp_path / "s.h5")}, accuracy=by_arch)
    with pytest.raises(TypeError, match=r"run: accuracy: expected a callable"):
        rp.run(nas_file(tmp_path), accuracy=0.5)
    assert not (tmp_path / "nas.h5").exists()


def first_quarter(network, proxy):
    return 0.25


def test_a_resume_never_mixes_callables_or_versions(tmp_path):
    file = nas_file(tmp_path, samples=4)
    part = rp.run(file, max_points=2, accuracy=first_quarter)
    assert not part.complete
    with pytest.raises(rp.UsageError, match=r"python accuracy callable file test_accuracy_callable.by_arch was not "
                                            r"read by the journaled run"):
        rp.run(file, accuracy=by_arch)
    (tmp_path / "nas.yaml").write_text(open(file).read().replace("version: v1", "version: v2"))
    with pytest.raises(rp.UsageError, match=r"the experiment's settings changed"):
        rp.run(file, accuracy=first_quarter)
    (tmp_path / "nas.yaml").write_text(open(file).read().replace("version: v2", "version: v1"))
    done = rp.run(file, accuracy=first_quarter)  # same callable, same version: resumes
    assert done.complete and (done["samples"]["accuracy"] == 0.25).all()


def test_hurricane_retraining_rates_every_reported_row(tmp_path):
    (tmp_path / "hurricane.yaml").write_text(HURRICANE)
    rated = {}

    def ops(network, proxy):  # 0.5 + 0.1 x the architecture's op count with squeeze-and-excitation
        rated[proxy["arch"]] = 0.5 + 0.1 * proxy["arch"].count("_SE")
        return rated[proxy["arch"]]

    res = rp.run(str(tmp_path / "hurricane.yaml"), accuracy=ops)
    r = res["result"]
    assert (r["accuracy_source"] == "python").all()
    assert len(set(r["arch"])) == len(rated) >= 2  # each distinct architecture rated once
    for arch, acc, note in zip(r["arch"], r["retrain_val_accuracy"], r["retrain_note"]):
        assert acc == rated[arch] and note == ""


def serve(tmp_path, answer):
    """A stand-in for AccuracyBridge speaking the protocol wrongly: each connection's trial line is read and
    answer(line) sent back (None: the connection closed without an answer). Returns (socket path, stop)."""
    path = str(tmp_path / "s")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(8)
    sock.settimeout(0.1)
    done = threading.Event()

    def loop():
        while not done.is_set():
            try:
                conn, _ = sock.accept()
            except socket.timeout:
                continue
            with conn:
                line = conn.makefile("rb").readline()
                reply = answer(line)
                if reply is not None:
                    conn.sendall(reply)

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return path, lambda: (done.set(), t.join(), sock.close())


def test_the_run_checks_the_answers_it_reads(tmp_path):
    # Ridgepoint does not trust the socket: a malformed line or an out-of-range "ok" is the candidate's failure.
    calls = []

    def answer(line):  # the first connection is answered "ok 1.5", the others "maybe 0.5"
        calls.append(line)
        return b"ok 1.5\n" if len(calls) == 1 else b"maybe 0.5\n"

    path, stop = serve(tmp_path, answer)
    try:
        p = subprocess.run([rp.cli_path(), "run", nas_file(tmp_path, samples=4), "--python-accuracy", path,
                            "--python-accuracy-name", "stand.in"], stderr=subprocess.PIPE, text=True)
    finally:
        stop()
    assert p.returncode == 0, p.stderr
    with h5py.File(tmp_path / "nas.h5") as f:
        reasons = {r.decode() for r in f["samples"][:]["reason"]}
        assert (f["samples"][:]["feasible"] == 0).all()
    assert reasons == {"python accuracy: malformed answer 'ok 1.5'", "python accuracy: malformed answer 'maybe 0.5'"}


def test_a_silent_socket_fails_the_run_in_one_line(tmp_path):
    path, stop = serve(tmp_path, lambda line: None)
    try:
        p = subprocess.run([rp.cli_path(), "run", nas_file(tmp_path, samples=2), "--python-accuracy", path,
                            "--python-accuracy-name", "stand.in"], stderr=subprocess.PIPE, text=True)
    finally:
        stop()
    assert p.returncode == 1
    assert p.stderr.strip().splitlines()[-1] == (
        f"ridgepoint: failed: python accuracy: cannot reach the callable's process at {path}: it closed the "
        "connection without an answer (method: python runs only under ridgepoint.run(FILE, accuracy=CALLABLE))")


def test_a_socket_path_too_long_is_one_usage_error_and_leaves_nothing(tmp_path, monkeypatch):
    # AF_UNIX paths hold at most 108 bytes (unix(7)): a TMPDIR of 120 characters cannot hold the bridge's socket.
    from ridgepoint._accuracy import AccuracyBridge
    long_dir = tmp_path / ("d" * 120)
    long_dir.mkdir()
    monkeypatch.setenv("TMPDIR", str(long_dir))
    monkeypatch.setattr("tempfile.tempdir", None)  # tempfile caches TMPDIR: read it again
    with pytest.raises(rp.UsageError, match="python accuracy: cannot listen on .*set TMPDIR to a shorter directory"):
        AccuracyBridge(lambda network, proxy: 0.5)
    assert list(long_dir.iterdir()) == []  # the private directory is removed


def test_one_call_at_a_time_across_bridges():
    # A callable still running from an interrupted run's bridge holds _CALLS: another bridge's call waits for it.
    from ridgepoint import _accuracy
    started, release, order = threading.Event(), threading.Event(), []

    def slow(network, proxy):
        started.set()
        release.wait(5)
        order.append("slow")
        return 0.5

    def quick(network, proxy):
        order.append("quick")
        return 0.25

    t = threading.Thread(target=_accuracy.rating, args=(slow, "", {}))
    t.start()
    assert started.wait(5)
    q = threading.Thread(target=_accuracy.rating, args=(quick, "", {}))
    q.start()
    q.join(0.2)
    assert q.is_alive() and order == []  # waiting for the first call, not running beside it
    release.set()
    t.join(5)
    q.join(5)
    assert order == ["slow", "quick"]
