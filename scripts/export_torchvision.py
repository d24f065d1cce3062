#!/usr/bin/python3
"""Exports torchvision models as TorchScript for `ridgepoint --torchscript` (and the importer's tests and table).

usage: /usr/bin/python3 scripts/export_torchvision.py MODEL OUTPUT.pt [--resolution R] [--script]
       /usr/bin/python3 scripts/export_torchvision.py --all OUTDIR [--only M1,M2,...]

MODEL is a torchvision.models builder name (efficientnet_b0, resnet50, vit_b_16, ...). The model is built with
weights=None (random initialization: no download; the weights do not change shapes or costs), put in eval mode and
traced with torch.jit.trace on a 1 x 3 x R x R zero input (R = 224 by default; inception_v3 299, swin_v2_t
256), or scripted with torch.jit.script (--script). --all writes every model of the import table of
docs/torchscript.md (TABLE below) into OUTDIR as MODEL.pt, skipping files already there. Each export prints "MODEL: PARAMS parameters -> FILE", PARAMS
being torchvision's own count, sum(p.numel() for p in model.parameters()). Run it with Debian's interpreter,
/usr/bin/python3 (python3-torch, python3-torchvision). A file is written whole or not at all.
"""
import argparse
import os
import sys

# The models of the import table (docs/torchscript.md), torchvision 0.14 builder names.
TABLE = [
    "vit_b_16", "vit_l_16", "swin_t", "swin_v2_t", "convnext_tiny", "maxvit_t",
    "regnet_x_400mf", "regnet_y_400mf", "regnet_x_800mf", "regnet_y_800mf", "regnet_x_1_6gf", "regnet_y_1_6gf",
    "resnext50_32x4d", "wide_resnet50_2", "densenet121", "inception_v3", "googlenet", "squeezenet1_0",
    "shufflenet_v2_x1_0", "mnasnet1_0", "mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small",
    "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4",
    "efficientnet_b5", "efficientnet_b6", "efficientnet_b7", "efficientnet_v2_s", "vgg16", "resnet18", "resnet50",
]


# Models whose own input size is not 224: inception_v3's 299; swin_v2_t's 256 (torchvision's weights: crop_size
# 256, min_size (256, 256)), at which its 8 x 8 windows tile every stage (64, 32, 16, 8) without padding.
NATIVE_RESOLUTION = {"inception_v3": 299, "swin_v2_t": 256}


def resolution_of(name, asked):
    return asked or NATIVE_RESOLUTION.get(name, 224)


def export(torch, torchvision, name, output, resolution, script):
    builder = getattr(torchvision.models, name, None)
    if builder is None or not callable(builder):
        sys.exit(f"export_torchvision: torchvision {torchvision.__version__} has no model '{name}'")
    torch.manual_seed(0)
    kwargs = {"init_weights": False} if name in ("inception_v3", "googlenet") else {}
    model = builder(weights=None, **kwargs).eval()
    example = torch.zeros(1, 3, resolution, resolution)
    with torch.no_grad():
        # check_trace=False: the check traces the model a second time to compare; the graph saved is the same.
        module = torch.jit.script(model) if script else torch.jit.trace(model, example, check_trace=False)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    tmp = output + ".tmp"
    module.save(tmp)
    os.replace(tmp, output)  # a partial file never looks like an export
    params = sum(p.numel() for p in model.parameters())
    print(f"{name}: {params} parameters -> {output}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="torchvision.models builder name, e.g. resnet50 (or --all)")
    parser.add_argument("output", help="the .pt file to write (with --all: the folder)")
    parser.add_argument("--resolution", type=int, default=None,
                        help="input H = W (default 224, inception_v3 299, swin_v2_t 256)")
    parser.add_argument("--script", action="store_true", help="torch.jit.script instead of torch.jit.trace")
    parser.add_argument("--only", default="", help="with --all: a comma-separated subset of the table")
    args = parser.parse_args(sys.argv[1:] if sys.argv[1:2] != ["--all"] else ["all"] + sys.argv[2:])
    try:
        import warnings

        import torch
        import torchvision
    except ImportError as e:
        sys.exit(f"export_torchvision: {e} (run with /usr/bin/python3; install python3-torch python3-torchvision)")
    warnings.simplefilter("ignore")  # tracer warnings about asserts on sizes: the sizes are the example's
    torch.set_num_threads(1)
    if args.model != "all":
        export(torch, torchvision, args.model, args.output, resolution_of(args.model, args.resolution), args.script)
        return
    names = [m for m in args.only.split(",") if m] or TABLE
    for name in names:
        out = os.path.join(args.output, name + ".pt")
        if not os.path.exists(out):
            export(torch, torchvision, name, out, resolution_of(name, args.resolution), args.script)


if __name__ == "__main__":
    main()
