#!/usr/bin/env python3
"""check_kinds_keys.py RIDGEPOINT: every numeric or word key `ridgepoint kinds hurricane` lists is accepted.

One settings file gives every listed integer, real and word key with a default its default (the required ones a
value; not the keys of another accuracy method or of a dataset: format, which are refused under the defaults), and an unmeetable latency_constraint_ms (0.001 ms): a file whose every key is accepted stops at that
constraint's check (exit 2, "below the fastest architecture") before any training, in under a second; a listed key
the settings refuse (retrain.threads was listed and refused) stops there instead, naming the key. Also: retrain's
threads is refused with its own message, and supernet.train_images' description names no dataset: (the supernet
takes none)."""
import json
import os
import re
import subprocess
import sys
import tempfile

R = os.path.abspath(sys.argv[1])
# A key that applies to one accuracy method (its description starts "command: ...") is refused under the default
# method, proxy, as it should be.
CONDITIONAL = re.compile(r"^(table|command|python):")
LINE = re.compile(r"^  (\S+)\s+(\w+)[,;].*; default (.*)$")


def listed():
    out = subprocess.run([R, "kinds", "hurricane"], capture_output=True, text=True, check=True).stdout.splitlines()
    keys = {}
    for i, line in enumerate(out):
        m = LINE.match(line)
        if m:
            keys[m.group(1)] = (m.group(2), m.group(3), out[i + 1].strip() if i + 1 < len(out) else "")
    return keys


def put(doc, dotted, value):
    *path, last = dotted.split(".")
    for p in path:
        doc = doc.setdefault(p, {})
    doc[last] = value


def run(doc, d):
    f = os.path.join(d, "x.yaml")
    with open(f, "w") as out:
        json.dump(doc, out)  # JSON is YAML
    p = subprocess.run([R, "run", f], capture_output=True, text=True, cwd=d)
    return p.returncode, (p.stdout + p.stderr).strip()


keys = listed()
assert "retrain.threads" not in keys, "kinds hurricane lists retrain.threads, which retrain: refuses"
assert "supernet.threads" in keys, sorted(keys)
assert "dataset:" not in keys["supernet.train_images"][2], keys["supernet.train_images"]
assert "dataset:" in keys["retrain.train_images"][2], keys["retrain.train_images"]  # retrain: takes a dataset:

doc = {"kind": "hurricane", "accelerator": "v100", "latency_constraint_ms": 0.001, "output": "x.h5"}
given = []
for key, (kind, default, what) in keys.items():
    if key in doc or kind not in ("integer", "real", "word") or default in ("(none)", "(required)"):
        continue
    if CONDITIONAL.match(what) or ".dataset." in key:  # another method's key; dataset: keys depend on its format
        continue
    put(doc, key, float(default) if kind == "real" else int(default) if kind == "integer" else default)
    given.append(key)
assert {"retrain.train_images", "retrain.epochs", "retrain.seed", "supernet.threads"} <= set(given), given

with tempfile.TemporaryDirectory() as d:
    rc, text = run(doc, d)
    assert rc == 2 and "below the fastest architecture" in text and "\n" not in text, (rc, text, given)
    doc["retrain"]["threads"] = 1
    rc, text = run(doc, d)
    assert rc == 2 and "key 'retrain.threads'" in text and "set threads in supernet:" in text, (rc, text)
print(f"{len(given)} listed keys accepted at their defaults; retrain.threads neither listed nor accepted")
