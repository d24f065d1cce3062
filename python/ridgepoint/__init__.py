"""Ridgepoint from Python: the simulator library in process, with the CLI's figures and error messages.

    import ridgepoint as rp
    r = rp.simulate("efficientnet-b0", accel="tpuv3", batch=128, set={"hbm.bandwidth_gbps": 1200})
    r.latency_ms, r.units["matrix"]["busy_fraction"], r.roofline["E"], r.layers[0]["name"]
    r.to_pandas()                       # per-layer DataFrame (pandas installed)
    rp.simulate("resnet-50", accel="a100", precision="int8", trace="r50.h5", csv="r50.csv")
    rp.compare(["efficientnet-b0", "efficientnet-x-b0"], accel="tpuv3")   # [Result, Result]
    rp.validate(accel="tpuv3")          # as `ridgepoint validate --json`
    rp.info("efficientnet-b0")          # params, MACs, FLOPs, layers (as `ridgepoint info --json`)
    rp.models(), rp.accelerators()
    net = rp.Network.from_blocks(["r1_k3_s11_e1_i32_o16_se0.25", ...], name="mine")
    rp.simulate(net, accel="v100"); rp.simulate("my-net.yaml")
    res = rp.run("experiments/whatif/hbm-bandwidth.yaml")   # or rp.run({"kind": "sweep", ...})
    res.tables, res["points"]["latency_ms"], res.to_pandas("points")
    rp.run("nas.yaml", accuracy=my_training)   # accuracy: {method: python}: my_training(network_yaml, proxy) -> [0, 1]
    rp.plot("hbm-bandwidth.h5", out="hbm.png")   # the figure `ridgepoint plot` draws (docs/gallery.md)

Every figure is the one the CLI prints with --json for the same arguments (same library, same JSON builders). Bad
input raises UsageError (a ValueError) with the CLI's message; an argument of the wrong type raises TypeError naming
the function and the argument; a simulation that cannot run raises SimulationError (a RuntimeError). The GIL is
released while a network is built and simulated; simulations whose fusion groups the accelerator's group memo has
seen run in parallel in several threads, and only SystemC engine runs take turns (the SystemC kernel is not
thread-safe); a fork waits for engine runs and run() in progress, and the child starts with a new, empty
accelerator cache, so it can simulate. Results pickle, so
multiprocessing pools can return them. The module does not load LibTorch: run() of a kind that trains models (nas,
lacs, hurricane) runs the `ridgepoint` executable this module was built with, as a subprocess. Documentation:
docs/python.md.
"""
import json
import numbers
import operator
import os
import re
import shutil
import subprocess
import tempfile
import threading

from . import _paths
from ._core import Interrupted, Network, SimulationError, UsageError, __version__
from . import _core
from . import figures
from ._accuracy import AccuracyBridge
from .figures import plot  # rp.plot(OUTPUT.h5): matplotlib and h5py load only when a figure is drawn

__all__ = ["Interrupted", "Network", "Result", "RunResults", "SimulationError", "UsageError", "accelerators",
           "calibrate", "cli_path", "compare", "info", "models", "plot", "run", "simulate", "validate", "__version__"]


def _raise_cli_error(args, p):
    """A failed ridgepoint subprocess as the module's own error: its last stderr line without the CLI's prefix;
    exit code 2 (bad usage) is a UsageError, any other failure a SimulationError."""
    if p.returncode == 0:
        return
    lines = p.stderr.strip().splitlines()
    line = lines[-1] if lines else f"{args[0]} exited with code {p.returncode}"
    for prefix in ("ridgepoint: error: ", "ridgepoint: failed: "):
        line = line[len(prefix):] if line.startswith(prefix) else line
    raise (UsageError if p.returncode == 2 else SimulationError)(line)


# Argument checks, before anything reaches C++ (where a wrong type would raise pybind11's "incompatible function
# arguments" with its signature dump): one line naming the call, the argument, what was expected and what came.

def _got(value):
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def _type_error(call, name, expected, value):
    return TypeError(f"{call}: {name}: expected {expected}, got {_got(value)}")


def _int(call, name, value):
    """value as an int; bool, float and str are refused (nothing is rounded: 2.5 would run something else)."""
    if isinstance(value, bool):
        raise _type_error(call, name, "an int", value)
    try:
        return operator.index(value)
    except TypeError:
        raise _type_error(call, name, "an int", value) from None


def _number(call, name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _type_error(call, name, "a number", value)
    return float(value)


def _str(call, name, value):
    if not isinstance(value, str):
        raise _type_error(call, name, "a str", value)
    return value


def _path(call, name, value, none_ok=False):
    """A file name (str or path-like) as str; None stays None where the argument is optional."""
    if value is None and none_ok:
        return None
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise _type_error(call, name, "a str or path" + (" or None" if none_ok else ""), value)


def _bool(call, name, value):
    if not isinstance(value, bool):
        raise _type_error(call, name, "True or False", value)
    return value


def _batch(call, value, none_ok):
    """The batch, checked as the CLI checks --batch (traces::check_build_options: [1, 1000000]); None (where
    allowed) is the accelerator's default_batch. 0 is refused: it is not a batch."""
    if value is None and none_ok:
        return None
    value = _int(call, "batch", value)
    if value < 1:
        raise UsageError(f"{call}: batch must be >= 1, got {value}")
    if value > _core.MAX_BATCH:
        raise UsageError(f"{call}: batch must be <= {_core.MAX_BATCH}, got {value}")
    return value


def _plain_batch(value):
    """value is a batch _batch(call, value, True) returns as it is: None or an int (not a bool) in [1, MAX_BATCH]."""
    return value is None or (type(value) is int and 1 <= value <= _core.MAX_BATCH)


def _resolution(call, value):
    """The resolution as the CLI checks --resolution: 0 or None (the model's own) or in [8, 4096]."""
    if value is None:
        return 0
    value = _int(call, "resolution", value)
    if value != 0 and not _core.MIN_RESOLUTION <= value <= _core.MAX_RESOLUTION:
        raise UsageError(f"{call}: resolution must be 0 (the model's own) or in [{_core.MIN_RESOLUTION}, "
                         f"{_core.MAX_RESOLUTION}], got {value}")
    return value


def _seq_len(call, value):
    """The sequence length as the CLI checks --seq-len: None (the model's own) or in [1, 1048576]."""
    if value is None:
        return 0
    value = _int(call, "seq_len", value)
    if value < 1:  # the CLI's messages, with the argument's name in place of --seq-len
        raise UsageError(f"{call}: seq_len must be >= 1, got {value}")
    if value > _core.MAX_SEQ_LEN:
        raise UsageError(f"{call}: seq_len must be 0 (the model's own) or in [1, {_core.MAX_SEQ_LEN}], got {value}")
    return value


def _network(call, model, name="model"):
    """A Network from a Network, a zoo name, a YAML network file or a model file (.pt, .onnx; str or path-like)."""
    if isinstance(model, Network):
        return model
    if isinstance(model, (str, os.PathLike)):
        path = _path(call, name, model)
        return _from_file(path) if path.endswith(_IMPORTED) else Network(path)
    raise _type_error(call, name, "a zoo name, a YAML network file or a ridgepoint.Network", model)


# The importers' extensions (experiments/kinds/model_files.h, importers()).
_IMPORTED = (".pt", ".pth", ".ptl", ".onnx")


def _input_shape(call, value):
    """input_shape (N, C, H, W) as --input-shape's text, or None."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        raise _type_error(call, "input_shape", "a tuple (N, C, H, W) of 4 ints", value)
    return ",".join(str(_int(call, f"input_shape[{i}]", v)) for i, v in enumerate(value))


def _import(call, path, input_shape, batch, torchscript):
    """A model file imported by `ridgepoint import` (a subprocess: LibTorch loads there, never in this module) into
    a layer-list network file, read back into memory; the temporary file is removed."""
    path = _path(call, "path", path)
    shape = _input_shape(call, input_shape)
    batch = _batch(call, batch, True)
    if torchscript:
        args = [cli_path(), "import", "--torchscript", path]
    else:
        args = [cli_path(), "import", path]
    if shape is not None:
        args += ["--input-shape", shape]
    if batch is not None:
        args += ["--batch", str(batch)]
    input_batch = batch if batch is not None else (int(shape.split(",")[0]) if shape is not None else 0)
    with tempfile.TemporaryDirectory(prefix="rp-import-") as tmp:
        out = os.path.join(tmp, "net.yaml")
        p = subprocess.run(args + ["-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _raise_cli_error(args, p)
        return Network._from_layer_list(out, path, input_batch)


def _from_torchscript(path, input_shape=None, batch=None):
    """A TorchScript model (.pt, whatever its extension), imported once, as `ridgepoint import --torchscript PATH
    --input-shape N,C,H,W --batch B`. Its batch in simulate() / compare() without batch=: `batch`, else the input
    shape's N, else the accelerator's default_batch (docs/networks.md, the batch rule)."""
    return _import("Network.from_torchscript", path, input_shape, batch, True)


def _from_onnx(path, input_shape=None, batch=None):
    """An ONNX model (.onnx), imported once, as `ridgepoint import PATH.onnx`; the batch as from_torchscript's."""
    call = "Network.from_onnx"
    if not _path(call, "path", path).endswith(".onnx"):
        raise UsageError(f"{call}: expected a .onnx file, got {os.fspath(path)!r}")
    return _import(call, path, input_shape, batch, False)


def _from_file(path, input_shape=None, batch=None):
    """Any network file: a model file (.pt, .pth, .ptl, .onnx, by extension) imported once, or a YAML network file
    (read at each call, like Network(path))."""
    call = "Network.from_file"
    path = _path(call, "path", path)
    if path.endswith(_IMPORTED):
        return _import(call, path, input_shape, batch, False)
    if input_shape is not None or batch is not None:
        raise UsageError(f"{call}: input_shape and batch apply only to a model file (.pt, .onnx), not to {path}")
    return Network(path)


def _set_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sets(call, overrides, precision):
    """`set` {key: value} and `precision` as the CLI's --set key=value texts (precision=P is --set precision=P)."""
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, dict):
        raise _type_error(call, "set", "a dict {key: value} or None", overrides)
    texts = []
    for key, value in overrides.items():
        _str(call, "set key", key)
        if not isinstance(value, (str, bool, numbers.Real)):
            raise _type_error(call, f"set[{key!r}]", "a str, number or bool", value)
        texts.append(f"{key}={_set_text(value)}")
    if precision is not None:
        _str(call, "precision", precision)
        if "precision" in overrides:
            raise UsageError(f"{call}: give precision={precision!r} or set={{'precision': ...}}, not both")
        texts.append(f"precision={precision}")
    return texts


# Network is the C++ class; its constructor and from_blocks check their arguments here first.
_network_init = Network.__init__
_from_blocks = Network.from_blocks


def _checked_network_init(self, model):
    _network_init(self, _path("Network", "model", model))


def _checked_from_blocks(blocks, name, resolution=224, activation="swish", width=1.0, depth=1.0,
                         se_coefficient=1.0, stem_filters=32, stem_kernel=3, stem_stride=2, head_filters=1280,
                         classes=1000):
    """A network from block strings, with the fields and limits of a network file (docs/models.md)."""
    call = "Network.from_blocks"
    if not isinstance(blocks, (list, tuple)):
        raise _type_error(call, "blocks", "a list of block strings", blocks)
    for i, b in enumerate(blocks):
        _str(call, f"blocks[{i}]", b)
    name = _str(call, "name", name)
    ints = dict(resolution=resolution, stem_filters=stem_filters, stem_kernel=stem_kernel, stem_stride=stem_stride,
                head_filters=head_filters, classes=classes)
    for arg, value in ints.items():
        ints[arg] = _int(call, arg, value)
        lo, hi = _core.NETWORK_LIMITS[arg]
        if not lo <= ints[arg] <= hi:  # the C++ check's message (python/src/module.cpp, in_range)
            raise UsageError(f"{name}: {arg} must be in [{lo}, {hi}], got {ints[arg]}")
    scales = {arg: _number(call, arg, v) for arg, v in
              dict(width=width, depth=depth, se_coefficient=se_coefficient).items()}
    return _from_blocks(list(blocks), name, activation=_str(call, "activation", activation), **scales, **ints)


Network.__init__ = _checked_network_init
Network.from_blocks = staticmethod(_checked_from_blocks)
Network.from_torchscript = staticmethod(_from_torchscript)
Network.from_onnx = staticmethod(_from_onnx)
Network.from_file = staticmethod(_from_file)


# Held while a Result converts fields from C++ for the first time (Result._field, `json`): a reentrant lock, as the
# first read of `json` converts through _field.
_RESULT_LOCK = threading.RLock()


class Result:
    """One simulation: the object `ridgepoint simulate --json` prints, as attributes.

    latency_ms, throughput, batch, model, accelerator, family, precision; units (dict: unit kind -> figures);
    layers (list of dicts, one per fusion group / kernel); roofline (W, Q, I, achieved, ideal, E, peak,
    bandwidth); json (the whole object). dir() lists every field (so tab completion offers them). Results are equal
    when their JSON objects are; they pickle and copy (so a multiprocessing pool can return them).

    A Result of simulate() or compare() keeps the object in C++ (_core.ResultJson) and converts each field to
    Python objects when it is first read, and the whole object when `json` is first read (the same values either
    way; a field read before is the same object in `json`): converting needs the GIL, and a call whose caller reads
    only latency_ms then holds it for one float rather than the per-layer table."""

    def __init__(self, data):
        # data: the JSON object (a dict), or a _core.ResultJson converted field by field when read.
        if isinstance(data, _core.ResultJson):
            self._lazy, self._fields = data, {}
        else:
            self.json = data

    def __reduce__(self):
        # pickle and copy rebuild a Result from its JSON object (plain dicts, lists, numbers, strings), so Results
        # cross process boundaries (multiprocessing) and copy.deepcopy copies the object.
        return (Result, (self.json,))

    def __eq__(self, other):
        return self.json == other.json if isinstance(other, Result) else NotImplemented

    __hash__ = None  # equal Results must hash equal, and the JSON object (dicts) cannot be hashed

    def _field(self, name):
        """The field `name` (KeyError when there is none): from `json` once it is converted, else converted alone
        and kept, so a second read, and `json` later, give the same object. The unconverted branch runs under
        _RESULT_LOCK: threads reading one Result for the first time convert each field once and agree on it."""
        data = self.__dict__.get("json")
        if data is not None:
            return data[name]
        with _RESULT_LOCK:
            d = self.__dict__
            data = d.get("json")
            if data is not None:  # converted whole by another thread meanwhile
                return data[name]
            if "_lazy" not in d:  # made without __init__ (pickle and copy, before they set the state)
                raise AttributeError(f"Result has no attribute '{name}'")
            fields = d["_fields"]
            value = fields.get(name, fields)
            if value is fields:
                value = fields[name] = d["_lazy"].field(name)
            return value

    def _keys(self):
        with _RESULT_LOCK:
            d = self.__dict__
            data = d.get("json")
            return list(data.keys()) if data is not None else d["_lazy"].keys() if "_lazy" in d else []

    def __getattr__(self, name):
        # Python calls this only when normal lookup fails. It reads __dict__ directly and never self.json: on an
        # object made without __init__ (as pickle and copy do before they set the state), self.json would call
        # __getattr__ again, without end. Special names (__setstate__, __deepcopy__ ...) are never JSON fields.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"Result has no attribute '{name}'")
        if name == "json":  # first read of a lazy Result: the whole object, with the fields already read in it
            with _RESULT_LOCK:
                d = self.__dict__
                if d.get("json") is not None:  # another thread converted it meanwhile
                    return d["json"]
                if "_lazy" not in d:
                    raise AttributeError(f"Result has no attribute '{name}'")
                lazy, fields = d["_lazy"], d["_fields"]
                data = lazy.whole() if not fields else {k: self._field(k) for k in lazy.keys()}
                d["json"] = data
                d.pop("_lazy", None)  # the C++ copy is freed (with the GIL released)
                fields.clear()
                return data
        try:
            return self._field(name)
        except KeyError:
            raise AttributeError(f"Result has no field '{name}' (fields: {', '.join(sorted(self._keys()))})") from None

    def __dir__(self):
        # The JSON fields are attributes through __getattr__; dir() (and so tab completion) lists them too, and
        # `json`; not the private _lazy and _fields.
        d = self.__dict__
        fields = set(self._keys()) if d.get("json") is not None or "_lazy" in d else set()
        return sorted((set(super().__dir__()) - {"_lazy", "_fields"}) | fields | {"json"})

    def __getitem__(self, key):
        return self._field(key) if isinstance(key, str) else self.json[key]

    @property
    def roofline(self):
        f = self._field
        return {"W": f("flops"), "Q": f("hbm_bytes"), "I": f("operational_intensity"), "achieved": f("achieved_flops"),
                "ideal": f("ideal_flops"), "E": f("efficiency"), "peak": f("peak_flops"),
                "bandwidth": f("hbm_bandwidth")}

    def to_pandas(self):
        """The per-layer table (fusion groups on TPUs, kernels on GPUs) as a pandas DataFrame; `fused` is the
        number of IR layers in the group, as in `simulate --csv`."""
        pd = _pandas("Result.to_pandas")
        rows = [dict(row, fused=len(row["fused"])) for row in self._field("layers")]
        return pd.DataFrame(rows)

    def units_to_pandas(self):
        """The per-unit figures as a pandas DataFrame indexed by unit name."""
        pd = _pandas("Result.units_to_pandas")
        return pd.DataFrame.from_dict(self._field("units"), orient="index")

    def __repr__(self):
        f = self._field
        return (f"<ridgepoint.Result {f('model')} on {f('accelerator')} batch {f('batch')}: "
                f"{f('latency_ms'):.3f} ms, E {f('efficiency'):.3f}>")


def _pandas(call):
    try:
        import pandas
    except ImportError:
        raise ImportError(f"{call} needs pandas, which is not installed (Debian: apt install python3-pandas; "
                          "or pip install pandas)") from None
    return pandas


def _h5py(call):
    try:
        import h5py
    except ImportError:
        raise ImportError(f"{call} needs h5py, which is not installed (Debian: apt install python3-h5py; "
                          "or pip install h5py)") from None
    return h5py


def _decoded(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RunResults:
    """What run() returns: the run's summary and its HDF5 output, read when asked.

    path (the output file, absolute), kind, complete, total / done_before / computed (units of work: None for the
    kinds run as a subprocess), log (their stderr; None in process); attributes (the root's attributes: kind,
    experiment, tool_version, ... as str / numbers), tables (the names of its tables, e.g. ["points"]),
    table(name) or [name] (a dict column -> numpy array, string columns as str), to_pandas(name) (a DataFrame).
    A run stopped before it finished (max_points, Ctrl-C) has no output yet: complete is False and reading a
    table raises RuntimeError."""

    def __init__(self, path, kind, complete, total=None, done_before=None, computed=None, log=None):
        self.path, self.kind, self.complete = path, kind, complete
        self.total, self.done_before, self.computed, self.log = total, done_before, computed, log

    def _open(self, call):
        if not self.complete:
            raise RuntimeError(f"{call}: {self.path}: no output yet: the run stopped before it finished "
                               f"({self.done_before + self.computed if self.total is not None else '?'} of "
                               f"{self.total if self.total is not None else '?'} done); run it again to finish")
        return _h5py(call).File(self.path, "r")

    @property
    def attributes(self):
        with self._open("RunResults.attributes") as f:
            return {k: _decoded(v.item() if hasattr(v, "item") and getattr(v, "ndim", 1) == 0 else v)
                    for k, v in f.attrs.items()}

    @property
    def tables(self):
        with self._open("RunResults.tables") as f:
            names = []
            f.visititems(lambda n, o: names.append(n) if getattr(o, "dtype", None) is not None
                         and o.dtype.names else None)
            return names

    def table(self, name):
        """The table `name` as {column: numpy array}; string columns (variable-length UTF-8 in the file, which
        h5py returns as bytes) as arrays of str."""
        with self._open("RunResults.table") as f:
            d = f.get(name)
            if d is None or getattr(d, "dtype", None) is None or not d.dtype.names:
                raise KeyError(f"no table '{name}' in {self.path} (tables: {', '.join(self.tables)})")
            return figures.columns(d[()])

    def __getitem__(self, name):
        return self.table(name)

    def to_pandas(self, name):
        """The table `name` as a pandas DataFrame (string columns as str)."""
        return _pandas("RunResults.to_pandas").DataFrame(self.table(name))

    def __repr__(self):
        state = "complete" if self.complete else "incomplete"
        return f"<ridgepoint.RunResults {self.kind} {self.path} ({state})>"


def models():
    """The model zoo: [{name, resolution, description}] (as `ridgepoint models --json`)."""
    return _core.models()


def accelerators():
    """The built-in accelerators (as `ridgepoint accelerators --json`): [{name, family, precision, default_batch,
    clock_mhz, hbm.bandwidth_gbps, peak_flops, yaml}]; the config keys under their names and in their units (as
    `--set` takes them), peak_flops in FLOP/s (derived), `yaml` the installed copy to start an edited one from."""
    return _core.accelerators(_paths.CONFIGS if os.path.isdir(_paths.CONFIGS) else "")


def info(model, batch=None, resolution=None, dtype="fp32", seq_len=None):
    """Parameters, MACs, FLOPs and per-layer shapes of a network (as `ridgepoint info MODEL --json`); batch None:
    an imported model's input_shape N, else 1 (as the CLI's info); seq_len None: a sequence model's own length."""
    return _core.info(_network("info", model), _batch("info", batch, True), _resolution("info", resolution),
                      _seq_len("info", seq_len), _str("info", "dtype", dtype))


def _call_text(call, model, kwargs):
    """The Python call, for the traces' `command` (where the CLI records its command line)."""
    if isinstance(model, Network):
        shown = repr(model.name) if model.source != "blocks" else f"Network.from_blocks(..., name={model.name!r})"
    else:
        shown = repr(os.fspath(model))
    args = "".join(f", {k}={os.fspath(v) if isinstance(v, os.PathLike) else v!r}"
                   for k, v in kwargs.items() if v is not None)
    return f"ridgepoint.{call}({shown}{args})"


def simulate(model, accel="tpuv3", batch=None, resolution=None, set=None, precision=None,  # noqa: A002 (--set)
             trace=None, csv=None, chrome_trace=None, seq_len=None):
    """Simulates `model` (zoo name, YAML network file or Network) on `accel` (built-in name or YAML file), as
    `ridgepoint simulate MODEL --accel ACCEL --batch B --resolution R --set k=v ... --json`: `set` overrides
    {key: value}, `precision` (e.g. "int8") as --set precision=P; batch None: the accelerator's default_batch.
    trace / csv / chrome_trace write the files --trace F.h5 / --csv F.csv / --chrome-trace F.json write (the same
    library call: each written whole, then renamed into place). seq_len: --seq-len S (None: the model's own)."""
    if (resolution is None and set is None and precision is None and trace is None and csv is None
            and chrome_trace is None and seq_len is None and type(accel) is str and _plain_batch(batch)):
        # The common call (a search's), with the GIL held for less: the checks below, of these values, pass and
        # give what this passes; anything else takes them (and their messages).
        return Result(_core.simulate(_network("simulate", model), accel, batch, 0, 0, [], "", "", "", ""))
    call = "simulate"
    net = _network(call, model)
    accel = _path(call, "accel", accel)
    batch = _batch(call, batch, True)
    resolution = _resolution(call, resolution)
    seq = _seq_len(call, seq_len)
    sets = _sets(call, set, precision)
    files = {k: _path(call, k, v, none_ok=True) for k, v in
             dict(trace=trace, csv=csv, chrome_trace=chrome_trace).items()}
    command = ""
    if files["trace"] or files["chrome_trace"]:
        command = _call_text(call, model, dict(accel=accel, batch=batch, resolution=resolution or None, set=set,
                                               precision=precision, seq_len=seq or None, **files))
    return Result(_core.simulate(net, accel, batch, resolution, seq, sets, files["trace"] or "",
                                 files["chrome_trace"] or "", files["csv"] or "", command))


def compare(models, accel="tpuv3", batch=None, set=None, precision=None, seq_len=None):  # noqa: A002 (--set)
    """Simulates several networks on one accelerator, as `ridgepoint compare MODEL... --accel ACCEL --batch B
    --set k=v ... --json`: a list of Results, one per model, in order. models: a list of zoo names, YAML network
    files or Networks; the other arguments as simulate()'s."""
    call = "compare"
    if not isinstance(models, (list, tuple)):
        raise _type_error(call, "models", "a list of models", models)
    nets = [_network(call, m, f"models[{i}]") for i, m in enumerate(models)]
    if set is None and precision is None and seq_len is None and type(accel) is str and _plain_batch(batch):
        return [Result(j) for j in _core.compare(nets, accel, batch, 0, [])]  # as simulate()'s common call
    accel = _path(call, "accel", accel)
    batch = _batch(call, batch, True)
    seq = _seq_len(call, seq_len)
    sets = _sets(call, set, precision)
    return [Result(j) for j in _core.compare(nets, accel, batch, seq, sets)]


def validate(accel=None):
    """Simulated vs published latencies, as `ridgepoint validate [--accel A ...] --json`: {batch_per_device, rows:
    [{model, paper_model, accel, source, paper_row, batch, fitted_on, simulated_ms, measured_ms, error}],
    accelerators: {name: {rows, mape, max_error, spearman, ratios}}}. accel: None (every accelerator with data), a
    name (tpuv3, v100, v100-modern, a100-modern) or a list of names."""
    call = "validate"
    if accel is None:
        names = []
    elif isinstance(accel, str):
        names = [accel]
    elif isinstance(accel, (list, tuple)):
        names = [_str(call, f"accel[{i}]", a) for i, a in enumerate(accel)]
    else:
        raise _type_error(call, "accel", "a str, a list of str or None", accel)
    return _core.validate(names)


def cli_path():
    """The `ridgepoint` executable built (or installed) with this module."""
    return _paths.CLI


# `ridgepoint run --jobs` at most (run::kMaxJobs, experiments/run/run_context.h; test_run_bounds_are_the_clis
# checks that the CLI and Python refuse the same values).
_MAX_JOBS = _core.MAX_JOBS
_INT64_MAX = 2**63 - 1  # max_points is a C++ int64 (long long, as --max-points)


def _check_run_arguments(jobs, max_points, fresh):
    """The CLI's checks of `ridgepoint run --jobs N --max-points N --fresh`, before anything is read or run;
    returns (jobs, max_points) as ints (max_points may stay None). fresh must be a bool: the subprocess kinds would
    take any true value, "no" included, as --fresh, which discards earlier progress."""
    jobs = _int("run", "jobs", jobs)
    if not 1 <= jobs <= _MAX_JOBS:
        raise UsageError(f"run: jobs must be in [1, {_MAX_JOBS}], got {jobs}")
    if max_points is not None:
        max_points = _int("run", "max_points", max_points)
        if max_points < 0:
            raise UsageError(f"run: max_points must be >= 0, got {max_points}")
        if max_points > _INT64_MAX:
            raise UsageError(f"run: max_points must be <= {_INT64_MAX}, got {max_points}")
    _bool("run", "fresh", fresh)
    return jobs, max_points


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")


def _yaml(value, indent="", where=""):
    """An experiment dict as block YAML (one key per line, so the CLI's file:line errors point somewhere);
    scalars and lists as JSON, which YAML reads as the same values. `where`: the dotted key of `value`."""
    lines = []
    for key, v in value.items():
        if not isinstance(key, str):
            raise _type_error("run", f"experiment key{' in ' + where.rstrip('.') if where else ''}", "a str", key)
        k = key if _PLAIN_KEY.match(key) else json.dumps(key)
        if isinstance(v, dict) and v:
            lines.append(f"{indent}{k}:\n{_yaml(v, indent + '  ', where + key + '.')}")
        else:
            try:
                text = json.dumps(v, allow_nan=False)
            except (TypeError, ValueError):
                raise _type_error("run", f"experiment[{where + key!r}]",
                                  "YAML data (str, number, bool, list, dict)", v) from None
            lines.append(f"{indent}{k}: {text}")
    return "\n".join(lines)


def _output_path(file, output):
    """The run's output as an absolute path: `output` (run(output=...), relative to the current directory, as
    `ridgepoint run --output`), else the file's `output` key, relative to the file's directory (docs/experiments.md)."""
    if output is not None:
        return os.path.abspath(output)
    return os.path.join(os.path.dirname(os.path.abspath(file)), _core.peek_scalar(file, "output"))


def run(experiment, jobs=1, max_points=None, fresh=False, output=None, accuracy=None):
    """Runs an experiment as `ridgepoint run` does and returns a RunResults (its output's tables and attributes).

    experiment: an experiment YAML file (str or path-like) or a dict with the same keys; a dict is written to a
    temporary YAML file, with a relative `output` made absolute against the current directory. A file's relative
    `output` is relative to the file's directory; output= replaces it (relative to the current directory), as
    `ridgepoint run FILE --output PATH`. simulate / sweep kinds run in this process (forking `jobs` workers). Kinds
    that train models (nas, lacs, hurricane) need LibTorch, which this module does not load: they run `ridgepoint
    run FILE` as a subprocess (cli_path()); a failure raises UsageError (exit code 2) or SimulationError with the
    CLI's error line. jobs and max_points are checked first, against the CLI's bounds (experiments/cli/cmd_run.cpp):
    jobs in [1, 1024], max_points >= 0 (None: no limit).

    accuracy: a callable rating candidates, for an experiment whose accuracy source is `method: python` (nas, lacs:
    `accuracy: {method: python, version: V}`; hurricane: `retrain: {method: python, version: V}`), and only for
    one (either without the other is a UsageError). It is called as accuracy(network, proxy) once per candidate:
    network is the candidate's ImageNet-scale network file (YAML text, as `ridgepoint simulate` reads it), proxy the
    dict a `command` trial finds in proxy.json (kind, arch, seed, train_images, epochs, ...); it returns the
    accuracy as a fraction in [0, 1]. An exception, or a value that is not a number in [0, 1] (a bool, NaN,
    percent), makes that candidate an infeasible row whose reason names it ("python callable raised ValueError:
    ..."); the run goes on. It is called in this process, from one thread that the run's subprocess asks over a
    Unix socket, one candidate at a time whatever `jobs` (the workers fork in the subprocess and never run Python).
    The run records accuracy_source "python" in every row and the callable's MODULE.QUALNAME and `version` in the
    attribute accuracy_budget and the run's identity: Ridgepoint cannot hash Python code, so change `version` when
    the callable's behaviour changes, or a resume mixes old and new ratings. docs/accuracy.md."""
    jobs, max_points = _check_run_arguments(jobs, max_points, fresh)
    output = _path("run", "output", output, none_ok=True)
    if accuracy is not None and not callable(accuracy):
        raise _type_error("run", "accuracy", "a callable accuracy(network, proxy) -> float", accuracy)
    if isinstance(experiment, dict):
        return _run_dict(experiment, jobs, max_points, fresh, output, accuracy)
    file = _path("run", "experiment", experiment)
    s = _run_file(file, jobs, max_points, fresh, output, accuracy)
    log = s.get("log")
    complete = s["complete"] and not (log and "stopped with" in log)  # a subprocess run that --max-points stopped
    return RunResults(s["output"], _core.peek_scalar(file, "kind"), complete, s.get("total"), s.get("done_before"),
                      s.get("computed"), log)


def _from_cwd(value):
    """A dict's file references made absolute against the current directory (the temporary YAML lives elsewhere, and
    a file's references are read relative to the file): strings that name a file as the settings reader sees it (a
    '/' or a .yaml / .yml ending) and exist here; lists and mappings element by element; anything else as it is."""
    if isinstance(value, dict):
        return {k: _from_cwd(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_from_cwd(v) for v in value]
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    names_file = isinstance(value, str) and ("/" in value or value.endswith((".yaml", ".yml") + _IMPORTED))
    return os.path.abspath(value) if names_file and not os.path.isabs(value) and os.path.exists(value) else value


def _run_dict(experiment, jobs, max_points, fresh, output, accuracy=None):
    """run() of a dict: its YAML in a temporary directory (removed after), errors naming the dict, not the file.
    Relative paths in it (output, accelerator and network files) are relative to the current directory."""
    data = _from_cwd(dict(experiment))
    if isinstance(data.get("output"), (str, os.PathLike)):
        data["output"] = os.path.abspath(os.fspath(data["output"]))
    text = _yaml(data) + "\n"
    tmp = tempfile.mkdtemp(prefix="ridgepoint-run-")
    try:
        file = os.path.join(tmp, "experiment.yaml")
        with open(file, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            return run(file, jobs, max_points, fresh, output, accuracy)
        except (UsageError, SimulationError) as e:
            message = re.sub(re.escape(file) + r"(:\d+)?", "run(experiment dict)", str(e))
            raise type(e)(message) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _run_file(file, jobs, max_points, fresh, output, accuracy=None):
    """The run of an experiment file: in process, {output, total, done_before, computed, complete}; the kinds that
    need LibTorch, and runs whose `models:` name a TorchScript file, as a `ridgepoint run` subprocess, {output,
    complete, log} (log: its stderr, the progress lines). accuracy: the callable of `method: python` (run())."""
    kind = _core.peek_scalar(file, "kind")
    if accuracy is not None and kind not in _core.torch_kinds():
        raise UsageError(f"run: accuracy: kind {kind or '?'} rates no accuracy (a callable applies to kinds "
                         f"{', '.join(_core.torch_kinds())} with method: python)")
    if accuracy is not None:
        with AccuracyBridge(accuracy) as bridge:
            extra = ["--python-accuracy", bridge.socket_path, "--python-accuracy-name", bridge.name]
            return _run_subprocess(file, jobs, max_points, fresh, output, extra)
    if kind not in _core.torch_kinds():
        try:
            s = _core.run(file, jobs, -1 if max_points is None else max_points, fresh, output or "")
            s["output"] = os.path.abspath(s["output"])
            return s
        except _core.NeedsLibTorch:  # raised while the settings load, before the run begins
            pass
    return _run_subprocess(file, jobs, max_points, fresh, output, [])


def _run_subprocess(file, jobs, max_points, fresh, output, extra):
    """`ridgepoint run FILE ... EXTRA` as a subprocess: {output, complete, log}."""
    args = [cli_path(), "run", file, "--jobs", str(jobs)] + extra
    if max_points is not None:
        args += ["--max-points", str(max_points)]
    if fresh:
        args.append("--fresh")
    if output is not None:
        args += ["--output", output]
    p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _raise_cli_error(args, p)
    return {"output": _output_path(file, output), "complete": True, "log": p.stderr}


def calibrate(measurements=None, accel=None, fit=None, set=None, loo=False, lofo=False, sweeps=None):  # noqa: A002
    """As `ridgepoint calibrate --accel ACCEL [--measurements CSV] [--fit KEY=LO:HI ...] [--set k=v ...] [--loo]
    [--lofo] [--sweeps N] --json`: fits the accelerator's software-stack (stack:) values to your measurements (a
    CSV with columns model,batch,latency_ms[,name][,intensity]; docs/validation.md) or, measurements None, to its
    published rows, latency and intensity together where rows give an intensity, and returns the dictionary --json
    prints (accelerator, measurements, rows, values, objective, mape, intensity, leave_one_out, leave_family_out
    with each family's fitted values, ...). fit: ["KEY=LO:HI", ...] or {key: (lo, hi)}; set: {key: value}; sweeps
    None: 6 with measurements, else 2."""
    call = "calibrate"
    if accel is None:
        raise UsageError("calibrate: accel is required (a built-in name, NAME-PROFILE or a YAML file)")
    accel = _path(call, "accel", accel)
    measurements = _path(call, "measurements", measurements, none_ok=True)
    loo, lofo = _bool(call, "loo", loo), _bool(call, "lofo", lofo)
    if sweeps is not None:
        sweeps = _int(call, "sweeps", sweeps)
        if not 1 <= sweeps <= 100:
            raise UsageError(f"calibrate: --sweeps must be in [1, 100], got {sweeps}")
    if isinstance(fit, dict):
        fit = [f"{_str(call, 'fit key', k)}={_set_text(lo)}:{_set_text(hi)}" for k, (lo, hi) in fit.items()]
    elif fit is not None and not (isinstance(fit, list) and all(isinstance(f, str) for f in fit)):
        raise _type_error(call, "fit", "a list of 'KEY=LO:HI' or a dict {key: (lo, hi)}", fit)
    return _core.calibrate(accel, measurements, list(fit or []), _sets(call, set, None), loo, lofo, sweeps)


def sensitivity(model, accel="tpuv3", batch=None, resolution=None, seq_len=None, set=None,  # noqa: A002 (--set)
                precision=None, step=0.1, keys=None):
    """As `ridgepoint sensitivity MODEL --accel ACCEL --batch B --resolution R --seq-len S --set k=v ... --step STEP
    --key K ... --json`: the elasticity d ln y / d ln x of latency and of energy per inference to
    every numeric hardware key of `accel`, a step down and up (step 0.1: 10%), one simulation each. Returns the
    dictionary --json prints: network, accelerator, batch, step, targets, base, bottleneck, simulations and rows,
    ranked by the largest |elasticity|, each with key, unit, base, down and up (value, evaluated, the reason when
    not evaluated, else figures and "<target>_elasticity"), binding_unit and score. keys: a list restricting the
    analysis (default: every numeric hardware key); the other arguments as simulate()'s."""
    call = "sensitivity"
    net = _network(call, model)
    accel = _path(call, "accel", accel)
    batch = _batch(call, batch, True)
    resolution = _resolution(call, resolution)
    seq_len = _seq_len(call, seq_len)
    step = _number(call, "step", step)
    if keys is not None and not (isinstance(keys, (list, tuple)) and all(isinstance(k, str) for k in keys)):
        raise _type_error(call, "keys", "a list of key names", keys)
    return _core.sensitivity(net, accel, batch, resolution, seq_len, _sets(call, set, precision), step,
                             list(keys or []))


__all__ += ["sensitivity"]
