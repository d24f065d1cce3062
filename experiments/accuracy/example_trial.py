#!/usr/bin/python3
"""example_trial.py: a `command` accuracy trial (docs/accuracy.md), the place a lab's own training goes.

Ridgepoint runs it once per candidate, with no shell, in the candidate's trial directory (also in the environment
variable RIDGEPOINT_TRIAL_DIR), which holds network.yaml (the candidate's ImageNet-scale network file) and
proxy.json (kind, arch, seed, train_images, epochs, ...: what Ridgepoint's proxy training would have used). It
prints one JSON line {"accuracy": X} with X in [0, 1]; a non-zero exit, a timeout or other output makes the
candidate infeasible with that reason (the search goes on).

This example trains nothing: it answers a stand-in that is cheap and deterministic (the share of the candidate's
blocks that have squeeze-and-excitation, scaled into [0.5, 0.9]), so the documented example runs in seconds.
Replace `rate()` with your training: build the model from network.yaml (or from proxy.json's arch), train it on
your GPUs, and return its validation accuracy as a fraction."""
import json
import os
import sys


def rate(proxy, network_yaml):
    arch = proxy.get("arch", "")
    blocks = [b for b in arch.split(",") if "_" in b]
    if not blocks:  # a LACS candidate has no arch: rate its network file's size instead
        return 0.5 + 0.4 * min(1.0, len(network_yaml) / 4000.0)
    with_se = sum(1 for b in blocks if "_se0_" not in b)
    return 0.5 + 0.4 * with_se / len(blocks)


def main():
    trial = os.environ.get("RIDGEPOINT_TRIAL_DIR", ".")
    with open(os.path.join(trial, "proxy.json")) as f:
        proxy = json.load(f)
    with open(os.path.join(trial, "network.yaml")) as f:
        network_yaml = f.read()
    print(json.dumps({"accuracy": rate(proxy, network_yaml)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
