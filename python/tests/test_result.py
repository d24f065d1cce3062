"""Results converted when read (python/src/result_py.h): a Result of simulate() or compare() keeps the JSON object
in C++ and converts a field when it is first read; every way of reading it gives the object a whole conversion
gives. The common call's fast path (simulate(), compare() in python/ridgepoint/__init__.py) gives what the full
checks give, and leaves other values to them. The GIL-released clock counts time."""
import pathlib
import pickle
import sys
import threading
import time

import pytest

import ridgepoint as rp
from ridgepoint import _core

NET = "efficientnet-b0"


def test_fields_read_one_by_one_equal_the_whole_object():
    whole = rp.simulate(NET, batch=2).json  # read first: one conversion of the whole object
    lazy = rp.simulate(NET, batch=2)
    fields = {k: getattr(lazy, k) for k in whole}  # each converted alone
    assert fields == whole
    assert lazy["latency_ms"] == whole["latency_ms"] > 0
    assert lazy.json == whole and list(lazy.json) == list(whole)  # same keys, same order
    assert all(lazy.json[k] is fields[k] for k in whole)  # a field read before is the object json holds


def test_a_field_read_first_is_the_object_in_json():
    r = rp.simulate(NET, batch=2)
    layers = r.layers
    assert r.json["layers"] is layers and r.layers is layers
    r.json["latency_ms"] = -1.0  # json is the Result's object, as before: fields read after it follow it
    assert r.latency_ms == -1.0 and r["latency_ms"] == -1.0


def test_missing_fields_and_other_keys_raise_as_before():
    r = rp.simulate(NET, batch=2)
    with pytest.raises(AttributeError, match=r"^Result has no field 'nope' \(fields: accelerator, achieved_flops"):
        r.nope
    with pytest.raises(KeyError, match="nope"):
        r["nope"]
    with pytest.raises(KeyError):
        r[0]  # a dict's KeyError, as json[0]
    assert "json" in dir(r) and "latency_ms" in dir(r) and "_lazy" not in dir(r)


def test_pickle_repr_and_equality_of_an_unread_result():
    a, b = rp.simulate(NET, batch=2), rp.simulate(NET, batch=2)
    assert repr(a).startswith(f"<ridgepoint.Result {NET} on tpuv3 batch 2: ")
    assert pickle.loads(pickle.dumps(a)) == b  # pickled as the whole object, equal to another unread one
    assert a.roofline == {"W": b.flops, "Q": b.hbm_bytes, "I": b.operational_intensity, "achieved": b.achieved_flops,
                          "ideal": b.ideal_flops, "E": b.efficiency, "peak": b.peak_flops, "bandwidth": b.hbm_bandwidth}


def test_compare_gives_the_results_of_simulate():
    got = rp.compare([NET, "mnasnet-a1"], batch=2)
    assert [r.json for r in got] == [rp.simulate(m, batch=2).json for m in (NET, "mnasnet-a1")]


def test_the_common_call_equals_the_fully_checked_one():
    # resolution=0 and set={} are the defaults spelled out: they take the full checks.
    assert rp.simulate(NET, batch=3).json == rp.simulate(NET, batch=3, resolution=0, set={}).json
    assert rp.simulate(NET).batch == rp.simulate(NET, set={}).batch  # batch None: the accelerator's default
    assert [r.json for r in rp.compare([NET], batch=3)] == [r.json for r in rp.compare([NET], batch=3, set={})]
    # Values the fast path leaves to the checks keep their messages.
    with pytest.raises(TypeError, match=r"^simulate: batch: expected an int, got bool True$"):
        rp.simulate(NET, batch=True)
    with pytest.raises(rp.UsageError, match=r"^simulate: batch must be <= 1000000, got 1000001$"):
        rp.simulate(NET, batch=1000001)
    with pytest.raises(rp.UsageError, match=r"^compare: batch must be >= 1, got 0$"):
        rp.compare([NET], batch=0)
    with pytest.raises(TypeError, match=r"^simulate: accel: expected a str or path, got int 3$"):
        rp.simulate(NET, accel=3)
    # A path-like accel is left to the full checks (os.fspath): the same result as the name.
    assert rp.simulate(NET, accel=pathlib.Path("tpuv3"), batch=2).json == rp.simulate(NET, batch=2).json


def test_threads_reading_fresh_results_agree_on_each_field():
    # Threads read the same unread Results at once, switching every microsecond: each field is converted once (a
    # field read first is the object `json` later holds) and no read fails (before the conversion took a lock,
    # 4 threads x 300 Results gave KeyError '_lazy' and hundreds of split identities).
    results = [rp.simulate(NET, batch=2) for _ in range(300)]
    seen, errors = [[] for _ in results], []

    def read(order):
        try:
            for i in order:
                r = results[i]
                layers = r.layers
                seen[i].append((layers, r.json))
        except Exception as e:  # noqa: BLE001 - any failure is the test's
            errors.append(repr(e))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=read, args=(list(range(len(results)))[::step],)) for step in (1, 1, -1, -1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    for i, reads in enumerate(seen):
        assert len(reads) == 4
        first_json = reads[0][1]
        assert all(j is first_json for _, j in reads), i  # one json object per Result
        assert all(layers is first_json["layers"] for layers, _ in reads), i  # the field is the one in json


def test_the_gil_released_clock_counts_a_calls_released_time():
    rp.simulate(NET, batch=2)  # the accelerator built and its groups memoized
    released, cpu = _core._gil_released_seconds(), time.thread_time()
    for _ in range(20):
        rp.simulate(NET, batch=2)
    released, cpu = _core._gil_released_seconds() - released, time.thread_time() - cpu
    # Released time is part of this thread's CPU time (a 1 ms margin for the clocks' granularity), and a call
    # builds and simulates with the GIL released: more than none.
    assert 0 < released <= cpu + 1e-3
