#!/usr/bin/python3
"""Exports torchvision models for the ONNX import tests: export_models.py OUTDIR MODEL[:OPSET,...] ...

For each MODEL (a torchvision builder, weights=None, eval mode, a 1 x 3 x 224 x 224 zero input) it writes
  MODEL.pt                torch.jit.trace, as scripts/export_torchvision.py does (the TorchScript import to agree with)
  MODEL_OPSET.onnx        torch.onnx.export(model, x, path, opset_version=OPSET): a user's plain export, in which
                          PyTorch folds every batch norm that follows a convolution into the convolution's bias
  MODEL_bn.onnx           the same at opset 13 with training=TrainingMode.PRESERVE: batch norms kept, as in MODEL.pt
  MODEL.json              {"params": torchvision's parameter count, "folded_bn_channels": the channels of the batch
                          norms that directly follow a convolution with as many output channels (the ones PyTorch's
                          exporter folds: each trades gamma and beta for one conv bias, so params drop by C)}
OPSETs default to 13. Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision, python3-onnx).
"""
import json
import os
import sys
import warnings


def folded_bn_channels(torch, model):
    leaves = [m for m in model.modules() if not list(m.children())]
    return sum(b.num_features for a, b in zip(leaves, leaves[1:])
               if isinstance(a, torch.nn.Conv2d) and isinstance(b, torch.nn.BatchNorm2d)
               and a.out_channels == b.num_features)


def write(path, save):
    tmp = path + ".tmp"
    save(tmp)
    os.replace(tmp, path)  # a partial file never looks like an export


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    import torch
    import torchvision
    warnings.filterwarnings("ignore")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    x = torch.zeros(1, 3, 224, 224)
    for spec in sys.argv[2:]:
        name, _, opsets = spec.partition(":")
        torch.manual_seed(0)
        model = getattr(torchvision.models, name)(weights=None).eval()
        base = os.path.join(out, name)
        for opset in [int(o) for o in (opsets or "13").split(",")]:
            write(f"{base}_{opset}.onnx", lambda p: torch.onnx.export(model, x, p, opset_version=opset))
        write(f"{base}_bn.onnx", lambda p: torch.onnx.export(model, x, p, opset_version=13,
                                                             training=torch.onnx.TrainingMode.PRESERVE))
        with torch.no_grad():
            traced = torch.jit.trace(model, x)
        write(base + ".pt", traced.save)
        info = {"params": sum(p.numel() for p in model.parameters()),
                "folded_bn_channels": folded_bn_channels(torch, model)}
        write(base + ".json", lambda p: open(p, "w").write(json.dumps(info) + "\n"))
        print(name, info, flush=True)


if __name__ == "__main__":
    main()
