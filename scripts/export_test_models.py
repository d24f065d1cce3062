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
  cosine_attn.pt   traced: Swin V2-style window attention on 4 x 4 patches: cosine attention (F.normalize of q and
                   k, a clamped and exponentiated logit scale), a position bias from an MLP applied to a constant
                   coordinate table (cpb_mlp, in-place ReLU) gathered by a constant index plus a learned table
                   gathered by it (Swin V1's), the qkv bias cloned with its middle third zeroed
All others take a 1 x 3 x 32 x 32 input.
"""
import math
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


class CosineAttention(nn.Module):
    """Swin V2's attention (torchvision's shifted_window_attention with logit_scale) on one 4 x 4 window of 8 x 8
    patches: 16 tokens of width 16, 2 heads of 8. The position bias depends on constants and parameters only."""

    def __init__(self, d=16, heads=2, window=4):
        super().__init__()
        self.heads, self.window = heads, window
        self.patch = nn.Conv2d(3, d, 8, stride=8)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.logit_scale = nn.Parameter(torch.log(10 * torch.ones((heads, 1, 1))))
        self.table = nn.Parameter(torch.zeros((2 * window - 1) ** 2, heads))  # 49 x 2
        self.cpb_mlp = nn.Sequential(nn.Linear(2, 32), nn.ReLU(inplace=True), nn.Linear(32, heads, bias=False))
        r = torch.arange(-(window - 1), window, dtype=torch.float32)
        table = torch.stack(torch.meshgrid([r, r], indexing="ij")).permute(1, 2, 0).contiguous().unsqueeze(0)
        self.register_buffer("coords_table", table / (window - 1))  # 1 x 7 x 7 x 2
        coords = torch.stack(torch.meshgrid([torch.arange(window)] * 2, indexing="ij")).flatten(1)
        rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (window - 1)
        self.register_buffer("index", (rel[:, :, 0] * (2 * window - 1) + rel[:, :, 1]).flatten())  # 256

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)  # 1 x 16 x 16
        b, s, d = x.shape
        n = self.window * self.window
        bias = self.cpb_mlp(self.coords_table).view(-1, self.heads)[self.index].view(n, n, -1)
        bias = 16 * torch.sigmoid(bias.permute(2, 0, 1).contiguous().unsqueeze(0))
        bias = bias + self.table[self.index].view(n, n, -1).permute(2, 0, 1).unsqueeze(0)  # Swin V1's gathered table
        qkv_bias = self.qkv.bias.clone()
        qkv_bias[d : 2 * d].zero_()
        qkv = F.linear(x, self.qkv.weight, qkv_bias).reshape(b, s, 3, self.heads, d // self.heads)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1)
        attn = attn * torch.clamp(self.logit_scale, max=math.log(100.0)).exp() + bias
        y = torch.softmax(attn, dim=-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, s, d))


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
        "cosine_attn.pt": torch.jit.trace(CosineAttention().eval(), example),
    }
    for name, module in models.items():
        tmp = os.path.join(out, name + ".tmp")
        module.save(tmp)
        os.replace(tmp, os.path.join(out, name))
    print(f"export_test_models: wrote {len(models)} models to {out}")


if __name__ == "__main__":
    main()
