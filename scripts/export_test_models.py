#!/usr/bin/python3
"""Writes the small TorchScript models the importer's tests use (a few KB each; never committed).

usage: /usr/bin/python3 scripts/export_test_models.py OUTDIR

  tiny.pt          traced: conv 3->8 (3x3/2) + BN + ReLU, global average pool, flatten, linear 8->10 (CLI tests)
  tiny_scripted.pt the same model through torch.jit.script (names come from the inlined call stack)
  ops.pt           traced: one of each mapped op family (SE multiply in both orders, ReLU6 as hardtanh, matmul +
                   bias, mean over H and W, ceil-mode pooling, channel chunk / cat and a channel shuffle)
  upsample.pt      traced: conv + nearest upsampling (an op the importer does not support)
  dilated.pt       traced: a dilated convolution (rejected: dilation 1 only)
  forever.pt       scripted: a dilated convolution (so the import fails and the model is run to explain it), then a
                   loop that never ends (the time limit of that run must stop it)
  bert.pt          traced: a 2-layer BERT encoder written with torch.nn (token embedding, position parameter, layer
                   norm, hand-written multi-head attention, GELU feed-forward, tanh pooler); input 1 x 16 token ids
All others take a 1 x 3 x 32 x 32 input.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


class Ops(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.se_reduce = nn.Conv2d(16, 4, 1)
        self.se_expand = nn.Conv2d(4, 16, 1)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False)
        self.weight = nn.Parameter(torch.randn(16, 5))
        self.bias = nn.Parameter(torch.randn(5))

    def forward(self, x):
        x = F.hardtanh(self.stem(x), 0.0, 6.0)                     # relu6
        s = torch.sigmoid(self.se_expand(F.silu(self.se_reduce(x.mean((2, 3), keepdim=True)))))
        x = s * x                                                   # SE broadcast, scale first
        x = x * torch.sigmoid(x)                                    # equal shapes
        x = F.max_pool2d(x, 3, 2, ceil_mode=True)                   # 32 -> 16 (ceil)
        a, b = x.chunk(2, dim=1)
        x = torch.cat([a, F.hardswish(self.dw(b))], dim=1)
        n, c, h, w = x.size()
        x = x.view(n, 2, c // 2, h, w).transpose(1, 2).contiguous().view(n, c, h, w)   # channel shuffle
        x = F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True)       # 16 -> 8
        x = x.mean([-1, -2])
        return x @ self.weight + self.bias                          # dense with bias


class Upsample(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return F.interpolate(self.conv(x), scale_factor=2.0, mode="nearest")


class Dilated(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, dilation=2)

    def forward(self, x):
        return self.conv(x)


class Forever(nn.Module):
    """A loop TorchScript cannot prove endless (a `while True:` without effects is optimized away)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, dilation=2)

    def forward(self, x):
        y = self.conv(x)
        n = 0
        while True:
            n = (n + 1) % 7
            if n == 100:  # never: n stays in 0..6
                break
        return y + n


class BertLayer(nn.Module):
    """Post-LN BERT layer: self-attention (the scale on q, folded into the score matmul), add & norm, GELU FFN."""

    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff1, self.ff2 = nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x):
        b, s, d = x.shape
        dh = d // self.heads
        q = self.q(x).view(b, s, self.heads, dh).transpose(1, 2) * dh ** -0.5
        k = self.k(x).view(b, s, self.heads, dh).transpose(1, 2)
        v = self.v(x).view(b, s, self.heads, dh).transpose(1, 2)
        a = torch.softmax(q @ k.transpose(-2, -1), dim=-1) @ v
        x = self.ln1(x + self.o(a.transpose(1, 2).reshape(b, s, d)))
        return self.ln2(x + self.ff2(F.gelu(self.ff1(x))))


class Bert(nn.Module):
    def __init__(self, vocab=1000, seq=16, d=64, heads=4, ff=256, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.zeros(1, seq, d))
        self.ln = nn.LayerNorm(d)
        self.layers = nn.ModuleList(BertLayer(d, heads, ff) for _ in range(layers))
        self.pool = nn.Linear(d, d)

    def forward(self, ids):
        x = self.ln(self.tok(ids) + self.pos)
        for layer in self.layers:
            x = layer(x)
        return torch.tanh(self.pool(x[:, 0]))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: /usr/bin/python3 scripts/export_test_models.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    example = torch.zeros(1, 3, 32, 32)
    models = {
        "tiny.pt": torch.jit.trace(Tiny().eval(), example),
        "tiny_scripted.pt": torch.jit.script(Tiny().eval()),
        "ops.pt": torch.jit.trace(Ops().eval(), example),
        "upsample.pt": torch.jit.trace(Upsample().eval(), example),
        "dilated.pt": torch.jit.trace(Dilated().eval(), example),
        "forever.pt": torch.jit.script(Forever().eval()),
        "bert.pt": torch.jit.trace(Bert().eval(), torch.zeros(1, 16, dtype=torch.long)),
    }
    for name, module in models.items():
        tmp = os.path.join(out, name + ".tmp")
        module.save(tmp)
        os.replace(tmp, os.path.join(out, name))
    print(f"export_test_models: wrote {len(models)} models to {out}")


if __name__ == "__main__":
    main()
