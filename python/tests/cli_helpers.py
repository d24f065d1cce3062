"""The ridgepoint executable this module was built with (rp.cli_path()), as the Python tests compare against it."""
import json
import subprocess

import ridgepoint as rp


def cli(*args, cwd=None):
    """(exit code, stdout, stderr) of `ridgepoint ARGS...`."""
    p = subprocess.run([rp.cli_path(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def cli_json(*args):
    """The object `ridgepoint ARGS... --json` prints (the command must succeed)."""
    rc, out, err = cli(*args, "--json")
    assert rc == 0, err
    return json.loads(out)


def cli_error(*args):
    """(exit code, the CLI's one error line without its 'ridgepoint: error: ' / 'ridgepoint: failed: ' prefix)."""
    rc, _, err = cli(*args)
    lines = err.strip().splitlines()
    assert rc != 0 and len(lines) == 1, (rc, err)
    for prefix in ("ridgepoint: error: ", "ridgepoint: failed: "):
        if lines[0].startswith(prefix):
            return rc, lines[0][len(prefix):]
    raise AssertionError(lines[0])
