"""Ridgepoint from Python: the simulator library in process, with the CLI's figures and error messages.

    import ridgepoint as rp
    r = rp.simulate("efficientnet-b0", accel="tpuv3", batch=128, set={"hbm.bandwidth_gbps": 1200})
    r.latency_ms, r.units["matrix"]["busy_fraction"], r.roofline["E"], r.layers[0]["name"]
    r.to_pandas()                       # per-layer DataFrame (pandas installed)
    rp.info("efficientnet-b0")          # params, MACs, FLOPs, layers (as `ridgepoint info --json`)
    rp.models(), rp.accelerators()
    net = rp.Network.from_blocks(["r1_k3_s11_e1_i32_o16_se0.25", ...], name="mine")
    rp.simulate(net, accel="v100"); rp.simulate("my-net.yaml")
    rp.run("experiments/whatif/hbm-bandwidth.yaml")

Every figure is the one `ridgepoint simulate ... --json` prints for the same arguments (same library, same JSON
builders). Bad input raises UsageError (a ValueError) with the CLI's message; a simulation that cannot run raises
SimulationError (a RuntimeError). The GIL is released while a network is built and simulated; simulations from
several threads take turns (the SystemC kernel is not thread-safe), and a fork waits for the one in progress, so
the child can simulate. Results pickle, so multiprocessing pools can return them. The module does not load
LibTorch: run() of a kind that trains models (nas, lacs, hurricane) runs the `ridgepoint` executable this module was
built with, as a subprocess. Documentation: docs/python.md.
"""
import operator
import os
import subprocess

from . import _paths
from ._core import Interrupted, Network, SimulationError, UsageError, __version__
from . import _core

__all__ = ["Interrupted", "Network", "Result", "SimulationError", "UsageError", "accelerators", "cli_path", "info", "models", "run",
           "simulate", "__version__"]


def _network(model):
    """A Network from a Network, a zoo name or a YAML network file (str or path-like)."""
    if isinstance(model, Network):
        return model
    if isinstance(model, (str, os.PathLike)):
        return Network(os.fspath(model))
    raise TypeError(f"model: expected a zoo name, a YAML network file or a ridgepoint.Network, got {type(model).__name__}")


def _set_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Result:
    """One simulation: the object `ridgepoint simulate --json` prints, as attributes.

    latency_ms, throughput, batch, model, accelerator, family, precision; units (dict: unit kind -> figures);
    layers (list of dicts, one per fusion group / kernel); roofline (W, Q, I, achieved, ideal, E, peak,
    bandwidth); json (the whole object). Results are equal when their JSON objects are; they pickle and copy (so a
    multiprocessing pool can return them)."""

    def __init__(self, data):
        self.json = data

    def __reduce__(self):
        # pickle and copy rebuild a Result from its JSON object (plain dicts, lists, numbers, strings), so Results
        # cross process boundaries (multiprocessing) and copy.deepcopy copies the object.
        return (Result, (self.json,))

    def __eq__(self, other):
        return self.json == other.json if isinstance(other, Result) else NotImplemented

    __hash__ = None  # equal Results must hash equal, and the JSON object (dicts) cannot be hashed

    def __getattr__(self, name):
        # Python calls this only when normal lookup fails. It reads __dict__ directly and never self.json: on an
        # object made without __init__ (as pickle and copy do before they set the state), self.json would call
        # __getattr__ again, without end. Special names (__setstate__, __deepcopy__ ...) are never JSON fields.
        data = self.__dict__.get("json")
        if data is None or (name.startswith("__") and name.endswith("__")):
            raise AttributeError(f"Result has no attribute '{name}'")
        try:
            return data[name]
        except KeyError:
            raise AttributeError(f"Result has no field '{name}' (fields: {', '.join(sorted(data))})") from None

    def __getitem__(self, key):
        return self.json[key]

    @property
    def roofline(self):
        j = self.json
        return {"W": j["flops"], "Q": j["hbm_bytes"], "I": j["operational_intensity"], "achieved": j["achieved_flops"],
                "ideal": j["ideal_flops"], "E": j["efficiency"], "peak": j["peak_flops"],
                "bandwidth": j["hbm_bandwidth"]}

    def to_pandas(self):
        """The per-layer table (fusion groups on TPUs, kernels on GPUs) as a pandas DataFrame; `fused` is the
        number of IR layers in the group, as in `simulate --csv`."""
        import pandas as pd
        rows = [dict(row, fused=len(row["fused"])) for row in self.json["layers"]]
        return pd.DataFrame(rows)

    def units_to_pandas(self):
        """The per-unit figures as a pandas DataFrame indexed by unit name."""
        import pandas as pd
        return pd.DataFrame.from_dict(self.json["units"], orient="index")

    def __repr__(self):
        j = self.json
        return (f"<ridgepoint.Result {j['model']} on {j['accelerator']} batch {j['batch']}: "
                f"{j['latency_ms']:.3f} ms, E {j['efficiency']:.3f}>")


def models():
    """The model zoo: [{name, resolution, description}] (as `ridgepoint models --json`)."""
    return _core.models()


def accelerators():
    """The built-in accelerators: [{name, family, precision, default_batch, peak_flops, hbm_bandwidth, yaml}]
    (as `ridgepoint accelerators --json`); `yaml` is the installed copy to start an edited one from."""
    return _core.accelerators(_paths.CONFIGS if os.path.isdir(_paths.CONFIGS) else "")


def info(model, batch=1, resolution=None, dtype="fp32"):
    """Parameters, MACs, FLOPs and per-layer shapes of a network (as `ridgepoint info MODEL --json`)."""
    return _core.info(_network(model), batch, resolution or 0, dtype)


def simulate(model, accel="tpuv3", batch=None, resolution=None, set=None):  # noqa: A002 - the CLI's --set
    """Simulates `model` (zoo name, YAML network file or Network) on `accel` (built-in name or YAML file) with
    `set` overrides {key: value} (as `--set key=value`); batch None: the accelerator's default_batch."""
    sets = [f"{k}={_set_text(v)}" for k, v in (set or {}).items()]
    return Result(_core.simulate(_network(model), os.fspath(accel), batch or 0, resolution or 0, sets))


def cli_path():
    """The `ridgepoint` executable built (or installed) with this module."""
    return _paths.CLI


# `ridgepoint run --jobs` at most (run::kMaxJobs, experiments/run/run_context.h; test_run_bounds_are_the_clis
# checks that the CLI and Python refuse the same values).
_MAX_JOBS = _core.MAX_JOBS
_INT64_MAX = 2**63 - 1  # max_points is a C++ int64 (long long, as --max-points)


def _integer(name, value):
    """value as an int, or TypeError naming the argument (bool, float and str are refused, as the CLI refuses
    '--jobs 2.0': a silent truncation would run something else than asked)."""
    if isinstance(value, bool):
        raise TypeError(f"run: {name} must be an integer, got bool {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"run: {name} must be an integer, got {type(value).__name__} {value!r}") from None


def _check_run_arguments(jobs, max_points, fresh):
    """The CLI's checks of `ridgepoint run --jobs N --max-points N --fresh`, before anything is read or run;
    returns (jobs, max_points) as ints (max_points may stay None). fresh must be a bool: the subprocess kinds would
    take any true value, "no" included, as --fresh, which discards earlier progress."""
    jobs = _integer("jobs", jobs)
    if not 1 <= jobs <= _MAX_JOBS:
        raise UsageError(f"run: jobs must be in [1, {_MAX_JOBS}], got {jobs}")
    if max_points is not None:
        max_points = _integer("max_points", max_points)
        if max_points < 0:
            raise UsageError(f"run: max_points must be >= 0, got {max_points}")
        if max_points > _INT64_MAX:
            raise UsageError(f"run: max_points must be <= {_INT64_MAX}, got {max_points}")
    if not isinstance(fresh, bool):
        raise TypeError(f"run: fresh must be True or False, got {type(fresh).__name__} {fresh!r}")
    return jobs, max_points


def run(experiment, jobs=1, max_points=None, fresh=False):
    """Runs an experiment YAML as `ridgepoint run` does; returns {output, total, done_before, computed, complete}.

    simulate / sweep kinds run in this process (forking `jobs` workers). Kinds that train models (nas, lacs,
    hurricane) need LibTorch, which this module does not load: they run `ridgepoint run FILE` as a subprocess
    (cli_path()) and return {output, complete, log} (log: its stderr, the progress lines); a failure raises
    UsageError (exit code 2) or SimulationError with the CLI's error line. jobs and max_points are checked first,
    against the CLI's bounds (experiments/cli/cmd_run.cpp): jobs in [1, 1024], max_points >= 0 (None: no limit)."""
    jobs, max_points = _check_run_arguments(jobs, max_points, fresh)
    file = os.fspath(experiment)
    if _core.peek_scalar(file, "kind") in _core.torch_kinds():
        args = [cli_path(), "run", file, "--jobs", str(jobs)]
        if max_points is not None:
            args += ["--max-points", str(max_points)]
        if fresh:
            args.append("--fresh")
        p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            lines = p.stderr.strip().splitlines()
            line = lines[-1] if lines else f"{args[0]} exited with code {p.returncode}"
            for prefix in ("ridgepoint: error: ", "ridgepoint: failed: "):
                line = line[len(prefix):] if line.startswith(prefix) else line
            raise (UsageError if p.returncode == 2 else SimulationError)(line)
        return {"output": _core.peek_scalar(file, "output"), "complete": True, "log": p.stderr}
    return _core.run(file, jobs, -1 if max_points is None else max_points, fresh)


# ---- calibrate (issue 26: fit the stack: values to your own measurements; docs/validation.md) ----
def calibrate(measurements=None, accel=None, fit=None, set=None, loo=False, lofo=False, sweeps=None):  # noqa: A002
    """As `ridgepoint calibrate --accel ACCEL [--measurements CSV] [--fit KEY=LO:HI ...] [--set k=v ...] [--loo]
    [--lofo] [--sweeps N] --json`: fits the accelerator's software-stack (stack:) values to your measurements (a
    CSV with columns model,batch,latency_ms[,name]) or, measurements None, to its published rows, and returns the
    dictionary --json prints (accelerator, measurements, rows, values, objective, mape, leave_one_out, ...).
    fit: ["KEY=LO:HI", ...] or {key: (lo, hi)}; set: {key: value}; sweeps None: 6 with measurements, else 2."""
    if accel is None:
        raise UsageError("calibrate: accel is required (a built-in name, NAME-PROFILE or a YAML file)")
    for name, flag in (("loo", loo), ("lofo", lofo)):
        if not isinstance(flag, bool):
            raise TypeError(f"calibrate: {name} must be True or False, got {type(flag).__name__} {flag!r}")
    if sweeps is not None and (isinstance(sweeps, bool) or not isinstance(sweeps, int)):
        raise TypeError(f"calibrate: sweeps must be an integer, got {type(sweeps).__name__} {sweeps!r}")
    if sweeps is not None and not 1 <= sweeps <= 100:
        raise UsageError(f"calibrate: --sweeps must be in [1, 100], got {sweeps}")
    if isinstance(fit, dict):
        fit = [f"{k}={_set_text(lo)}:{_set_text(hi)}" for k, (lo, hi) in fit.items()]
    sets = [f"{k}={_set_text(v)}" for k, v in (set or {}).items()]
    return _core.calibrate(os.fspath(accel), None if measurements is None else os.fspath(measurements),
                           list(fit or []), sets, loo, lofo, sweeps)
