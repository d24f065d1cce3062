"""export_networks.py RIDGEPOINT OUTDIR: writes the layer-list network files of the validation corpus's models that the
zoo lacks (experiments/validation/corpus.csv), as NVIDIA DeepLearningExamples defines them
(PyTorch/Classification/ConvNets/image_classification/models/resnet.py at commit 729963d):

- resnext101-32x4d: ResNet bottlenecks, layers [3, 4, 23, 3], widths [128, 256, 512, 1024], expansion 2,
  cardinality 32 (grouped 3x3), stride in the 3x3 (v1.5). torchvision's ResNet(Bottleneck, [3, 4, 23, 3], groups=32,
  width_per_group=4) builds the same layers (width = 64 x 4 / 64 x 32 = 128 in the first stage, 256 out).
- se-resnext101-32x4d: the same with squeeze-and-excitation after the last batch norm of every bottleneck, as that
  file's SqueezeAndExcitation: mean over H, W, Linear(C, 16), ReLU, Linear(16, C), sigmoid; residual + out x gate.

Each is exported to ONNX (opset 17, batch norms kept: training=PRESERVE) from the eval-mode module at 1 x 3 x 224 x 224
and imported with `ridgepoint import` (batch 1; the batch rule of docs/networks.md rebuilds it at any batch).
Needs torch and torchvision (/usr/bin/python3 on the development machine). Weights are random: only shapes matter.
"""
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn
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
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: export_networks.py RIDGEPOINT OUTDIR")
    binary, outdir = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in MODELS.items():
            onnx_file = os.path.join(tmp, name + ".onnx")
            torch.onnx.export(make().eval(), torch.zeros(1, 3, 224, 224), onnx_file, opset_version=17,
                              training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
            out = os.path.join(outdir, name + ".yaml")
            subprocess.run([binary, "import", onnx_file, "-o", out], check=True)


if __name__ == "__main__":
    main()
