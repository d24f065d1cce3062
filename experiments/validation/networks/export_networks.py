"""export_networks.py RIDGEPOINT OUTDIR: writes the layer-list network files of the validation corpus's models that the
zoo lacks (experiments/validation/corpus.csv), as NVIDIA DeepLearningExamples defines them
(PyTorch/Classification/ConvNets/image_classification/models/resnet.py at commit 729963d):

- resnext101-32x4d: ResNet bottlenecks, layers [3, 4, 23, 3], widths [128, 256, 512, 1024], expansion 2,
  cardinality 32 (grouped 3x3), stride in the 3x3 (v1.5). torchvision's ResNet(Bottleneck, [3, 4, 23, 3], groups=32,
  width_per_group=4) builds the same layers (width = 64 x 4 / 64 x 32 = 128 in the first stage, 256 out).
- se-resnext101-32x4d: the same with squeeze-and-excitation after the last batch norm of every bottleneck, as that
  file's SqueezeAndExcitation: mean over H, W, Linear(C, 16), ReLU, Linear(16, C), sigmoid; residual + out x gate.

- resnet-101, resnet-152, resnext50-32x4d, resnext152-32x4d, regnetx-*, regnety-*: the models of pycls's model
  zoo timing table (github.com/facebookresearch/pycls at commit 35429e8, dev/model_timing.json) that the zoo lacks.
  pycls's ResNet and ResNeXt are torchvision's (stride in the 3x3, 1x64d and 32x4d bottlenecks: the same parameter
  counts as its MODEL_ZOO.md, 44.5 M / 60.2 M / 25.0 M / 44.2 M / 60.0 M); its RegNets are built from their configs'
  (configs/dds_baselines/regnet{x,y}/*_dds_8gpu.yaml) DEPTH, W0, WA, WM and GROUP_W, widths quantized in float64 as
  pycls's generate_regnet does (regnet() below), as torchvision RegNet modules (stem 32, bottleneck ratio 1,
  squeeze-and-excitation 0.25 of the block's input width for RegNetY, as pycls's defaults).

Each is exported to ONNX (opset 17, batch norms kept: training=PRESERVE) from the eval-mode module at 1 x 3 x 224 x 224
and imported with `ridgepoint import` (batch 1; the batch rule of docs/networks.md rebuilds it at any batch).
Needs torch and torchvision (/usr/bin/python3 on the development machine). Weights are random: only shapes matter.
Usage: export_networks.py RIDGEPOINT OUTDIR [NAME...] (default: every model below).
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
from torchvision.models.regnet import BlockParams, RegNet
from torchvision.models.resnet import Bottleneck, ResNet


class SqueezeExcite(nn.Module):
    def __init__(self, channels, squeeze=16):
        super().__init__()
        self.squeeze = nn.Linear(channels, squeeze)
        self.expand = nn.Linear(squeeze, channels)

    def forward(self, x):
        g = torch.sigmoid(self.expand(torch.relu(self.squeeze(torch.mean(x, [2, 3])))))
        return x * g.unsqueeze(2).unsqueeze(3)


class SEBottleneck(Bottleneck):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.se = SqueezeExcite(self.conv3.out_channels)

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.se(self.bn3(self.conv3(out)))
        return self.relu(out + identity)


MODELS = {
    "resnext101-32x4d": lambda: ResNet(Bottleneck, [3, 4, 23, 3], groups=32, width_per_group=4),
    "se-resnext101-32x4d": lambda: ResNet(SEBottleneck, [3, 4, 23, 3], groups=32, width_per_group=4),
    "resnet-101": lambda: ResNet(Bottleneck, [3, 4, 23, 3]),
    "resnet-152": lambda: ResNet(Bottleneck, [3, 8, 36, 3]),
    "resnext50-32x4d": lambda: ResNet(Bottleneck, [3, 4, 6, 3], groups=32, width_per_group=4),
    "resnext152-32x4d": lambda: ResNet(Bottleneck, [3, 8, 36, 3], groups=32, width_per_group=4),
}

# pycls's RegNet configs at commit 35429e8: name -> DEPTH, W0, WA, WM, GROUP_W (RegNetY: SE_ON True).
REGNETS = {
    "200mf": ((13, 24, 36.44, 2.49, 8), (13, 24, 36.44, 2.49, 8)),
    "400mf": ((22, 24, 24.48, 2.54, 16), (16, 48, 27.89, 2.09, 8)),
    "600mf": ((16, 48, 36.97, 2.24, 24), (15, 48, 32.54, 2.32, 16)),
    "800mf": ((16, 56, 35.73, 2.28, 16), (14, 56, 38.84, 2.4, 16)),
    "1.6gf": ((18, 80, 34.01, 2.25, 24), (27, 48, 20.71, 2.65, 24)),
    "3.2gf": ((25, 88, 26.31, 2.25, 48), (21, 80, 42.63, 2.66, 24)),
    "4.0gf": ((23, 96, 38.65, 2.43, 40), (22, 96, 31.41, 2.24, 64)),
    "6.4gf": ((17, 184, 60.83, 2.07, 56), (25, 112, 33.22, 2.27, 72)),
    "8.0gf": ((23, 80, 49.56, 2.88, 120), (17, 192, 76.82, 2.19, 56)),
    "12gf": ((19, 168, 73.36, 2.37, 112), (19, 168, 73.36, 2.37, 112)),
    "16gf": ((22, 216, 55.59, 2.1, 128), (18, 200, 106.23, 2.48, 112)),
    "32gf": ((23, 320, 69.86, 2.0, 168), (20, 232, 115.89, 2.53, 232)),
}


def regnet(params, se):
    """A RegNet as pycls 35429e8 generates it (pycls/models/regnet.py generate_regnet, blocks.py
    adjust_block_compatibility): the paper's linear widths u_j = W0 + WA j quantized in log space to W0 WM^k and to
    multiples of 8, in float64; one stage per distinct width; group width min(GROUP_W, width), width rounded to a
    multiple of it. torchvision's from_init_params computes the same in float32, which moves a block across a stage
    boundary for some configs (RegNetX-400MF: 5.5 M parameters against pycls's 5.2 M)."""
    depth, w_0, w_a, w_m, group_width = params
    ks = np.round(np.log((np.arange(depth) * w_a + w_0) / w_0) / np.log(w_m))
    widths_all = (np.round(w_0 * np.power(w_m, ks) / 8).astype(int) * 8).tolist()
    widths, depths = (x.tolist() for x in np.unique(widths_all, return_counts=True))
    groups = [min(group_width, w) for w in widths]
    widths = [max(g, int(round(w / g) * g)) for w, g in zip(widths, groups)]
    n = len(widths)
    return RegNet(BlockParams(depths, widths, groups, [1.0] * n, [2] * n, se_ratio=0.25 if se else None))


for size, (x, y) in REGNETS.items():
    MODELS["regnetx-" + size] = lambda x=x: regnet(x, False)
    MODELS["regnety-" + size] = lambda y=y: regnet(y, True)


def main():
    if len(sys.argv) < 3 or any(n not in MODELS for n in sys.argv[3:]):
        sys.exit("usage: export_networks.py RIDGEPOINT OUTDIR [NAME...] (names: " + ", ".join(MODELS) + ")")
    binary, outdir = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or list(MODELS)
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            make = MODELS[name]
            onnx_file = os.path.join(tmp, name + ".onnx")
            torch.onnx.export(make().eval(), torch.zeros(1, 3, 224, 224), onnx_file, opset_version=17,
                              training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
            out = os.path.join(outdir, name + ".yaml")
            subprocess.run([binary, "import", onnx_file, "-o", out], check=True)


if __name__ == "__main__":
    main()
