"""The module across processes: Results pickle and copy (so a multiprocessing pool can return them). Every wait
here has a timeout, so a hang fails the test instead of hanging CTest. Run by CTest (`python: pytest`) with
build/python on PYTHONPATH."""
import copy
import functools
import multiprocessing
import pickle

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
