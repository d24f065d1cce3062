"""The `python` accuracy source's Python half (docs/accuracy.md): serves a callable to a `ridgepoint run` subprocess.

ridgepoint.run(FILE, accuracy=CALLABLE) runs the kinds that rate accuracy (nas, lacs, hurricane) in the `ridgepoint`
executable, which loads LibTorch; this module never does. So the callable stays in the calling process: an
AccuracyBridge listens on a Unix socket in a private temporary directory, and the run (started with
--python-accuracy SOCKET) connects once per candidate, sends the path of the candidate's trial directory (the one a
`command` trial gets: network.yaml, proxy.json) and reads one line back (experiments/kinds/accuracy/trial_python.h):
"ok X" or "no REASON".

One thread of this process answers the connections, one at a time: the callable runs in this process, never in a
forked child, and never twice at once, whatever --jobs (the run's forked workers only connect), also across runs:
a callable an interrupted run left running in its thread finishes before the next run's first call (_CALLS).
"""
import json
import math
import numbers
import os
import shutil
import socket
import tempfile
import threading

from ._core import UsageError

_MAX_REASON = 1000  # characters of a failure's reason (an exception's message can be long)
_CALLS = threading.Lock()  # held while a callable runs: one call at a time in this process, whatever the bridge


def qualified_name(fn):
    """MODULE.QUALNAME of a callable (a functools.partial or other callable object: its type's), as the run's
    identity and attributes record it."""
    target = fn if hasattr(fn, "__qualname__") else type(fn)
    module = getattr(target, "__module__", None) or "?"
    return f"{module}.{target.__qualname__}"


def _one_line(text):
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_REASON else text[:_MAX_REASON - 3] + "..."


def rating(fn, network, proxy):
    """The reply line for one candidate: "ok X" (X in [0, 1], written exactly: repr of a float round-trips) or
    "no REASON" (the callable raised, or returned a bool, a non-number, NaN or a number outside [0, 1])."""
    try:
        with _CALLS:
            value = fn(network, proxy)
    except BaseException as e:  # noqa: B902: SystemExit or KeyboardInterrupt in the callable fail its candidate
        return "no " + _one_line(f"python callable raised {type(e).__name__}: {e}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return "no " + _one_line(f"python callable returned {type(value).__name__} {shown}, not a number")
    value = float(value)
    if math.isnan(value):
        return "no python callable returned nan, not a number in [0, 1]"
    if not 0 <= value <= 1:
        return f"no python callable returned {value!r}, outside [0, 1] (a fraction, not percent)"
    return f"ok {value!r}"


def _trial(directory):
    """(network.yaml's text, proxy.json as a dict) of a trial directory."""
    with open(os.path.join(directory, "network.yaml"), encoding="utf-8") as f:
        network = f.read()
    with open(os.path.join(directory, "proxy.json"), encoding="utf-8") as f:
        proxy = json.load(f)
    return network, proxy


class AccuracyBridge:
    """A context manager: the socket and its thread while a run lasts. socket_path and name (qualified_name) are
    what `ridgepoint run` receives; calls counts the candidates the callable was asked to rate."""

    def __init__(self, fn):
        self.fn, self.name, self.calls = fn, qualified_name(fn), 0
        self._dir = tempfile.mkdtemp(prefix="rp-acc-")  # mode 0700: no other user can connect
        self.socket_path = os.path.join(self._dir, "s")
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._sock.bind(self.socket_path)
            self._sock.listen(128)
        except OSError as e:  # e.g. a TMPDIR so long that the socket's path exceeds AF_UNIX's 108 bytes
            self._sock.close()
            shutil.rmtree(self._dir, ignore_errors=True)
            raise UsageError(f"python accuracy: cannot listen on {self.socket_path}: {e.strerror or e} "
                             "(set TMPDIR to a shorter directory)") from None
        self._sock.settimeout(0.1)  # the serving loop looks at _stop this often
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="ridgepoint-accuracy", daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Stops serving and removes the socket. A callable still running (the run was interrupted) finishes in
        its daemon thread; its answer goes nowhere."""
        self._stop.set()
        self._thread.join(timeout=1.0)
        self._sock.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with conn:
                self._answer(conn)

    def _answer(self, conn):
        try:
            conn.settimeout(10)  # the run sends its line at once; a silent peer is not waited for long
            line = conn.makefile("rb").readline(1 << 16).decode("utf-8", "replace").rstrip("\n")
            try:
                network, proxy = _trial(line)
            except (OSError, ValueError) as e:
                reply = "no " + _one_line(f"python accuracy: cannot read the trial files in {line}: {e}")
            else:
                self.calls += 1
                conn.settimeout(None)
                reply = rating(self.fn, network, proxy)
            conn.sendall((reply + "\n").encode("utf-8"))
        except OSError:
            pass  # the run dropped the connection (interrupted): nobody waits for this answer
