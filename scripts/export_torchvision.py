#!/usr/bin/python3
"""Exports a torchvision model as TorchScript for `ridgepoint --torchscript` (and the importer's cross-check tests).

usage: /usr/bin/python3 scripts/export_torchvision.py MODEL OUTPUT.pt [--resolution R]

MODEL is a torchvision.models builder name (efficientnet_b0, resnet50, mobilenet_v2, ...). The model is built with
weights=None (random initialization: no download; the weights do not change shapes or costs), put in eval mode and
traced with torch.jit.trace on a 1 x 3 x R x R zero input (R = 224 by default). Run it with Debian's interpreter,
/usr/bin/python3 (python3-torch, python3-torchvision); prints the parameter count.
"""
import argparse
import os
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="torchvision.models builder name, e.g. resnet50")
    parser.add_argument("output", help="the .pt file to write")
    parser.add_argument("--resolution", type=int, default=224)
    args = parser.parse_args()
    try:
        import torch
        import torchvision
    except ImportError as e:
        sys.exit(f"export_torchvision: {e} (run with /usr/bin/python3; install python3-torch python3-torchvision)")
    builder = getattr(torchvision.models, args.model, None)
    if builder is None or not callable(builder):
        sys.exit(f"export_torchvision: torchvision {torchvision.__version__} has no model '{args.model}'")
    torch.manual_seed(0)
    model = builder(weights=None).eval()
    example = torch.zeros(1, 3, args.resolution, args.resolution)
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    traced.save(tmp)
    os.replace(tmp, args.output)  # a partial file never looks like an export
    params = sum(p.numel() for p in model.parameters())
    print(f"{args.model}: {params} parameters -> {args.output}")


if __name__ == "__main__":
    main()
