#!/usr/bin/python3
"""Builds the hand-made ONNX graphs of the ONNX import tests with onnx.helper: make_tiny_models.py OUTDIR.

Each graph covers a group of mapped ops; onnx_test.cpp states the IR (or the translated aten:: nodes) each must give,
derived by hand. Weights are zeros: only their shapes matter. Run with Debian's /usr/bin/python3 (python3-onnx).
"""
import math
import os
import sys

from onnx import TensorProto, helper

F = TensorProto.FLOAT


def const(name, dims, value=0.0):
    n = 1
    for d in dims:
        n *= d
    return helper.make_tensor(name, F, dims, [value] * n)


def ints(name, values):
    return helper.make_tensor(name, TensorProto.INT64, [len(values)], values)


def save(out, name, nodes, inputs, outputs, inits, opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path = os.path.join(out, name + ".onnx")
    with open(path + ".tmp", "wb") as f:
        f.write(model.SerializeToString())
    os.replace(path + ".tmp", path)


def conv_head(out):
    """x [1,3,8,8] -> Conv 3x3/2 + BN + Clip(0,6) -> depthwise 3x3 -> hard-swish (HardSigmoid, Mul) -> SiLU (Sigmoid,
    Mul) -> MaxPool 2/2 -> AveragePool 2/2 -> Flatten -> Gemm (B [in, out], transB 0)."""
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], strides=[2, 2]),
        n("BatchNormalization", ["c1", "s", "o", "m", "v"], ["bn"], name="bn1"),
        n("Clip", ["bn", "zero", "six"], ["r6"], name="relu6"),
        n("Conv", ["r6", "w2"], ["c2"], name="dw", pads=[1, 1, 1, 1], group=8),
        n("HardSigmoid", ["c2"], ["hs"], name="hsig", alpha=1.0 / 6, beta=0.5),
        n("Mul", ["c2", "hs"], ["hsw"], name="hswish"),
        n("Sigmoid", ["hsw"], ["sg"], name="sig"),
        n("Mul", ["hsw", "sg"], ["silu"], name="silu"),
        n("MaxPool", ["silu"], ["mp"], name="maxpool", kernel_shape=[2, 2], strides=[2, 2]),
        n("AveragePool", ["mp"], ["ap"], name="avgpool", kernel_shape=[2, 2], strides=[2, 2]),
        n("Flatten", ["ap"], ["fl"], name="flatten", axis=1),
        n("Gemm", ["fl", "wf", "bf"], ["y"], name="fc"),
    ]
    inits = [const("w1", [8, 3, 3, 3]), const("b1", [8]), const("s", [8], 1), const("o", [8]), const("m", [8]),
             const("v", [8], 1), helper.make_tensor("zero", F, [], [0.0]), helper.make_tensor("six", F, [], [6.0]),
             const("w2", [8, 1, 3, 3]), const("wf", [8, 10]), const("bf", [10])]
    save(out, "conv_head", nodes, [helper.make_tensor_value_info("x", F, [1, 3, 8, 8])],
         [helper.make_tensor_value_info("y", F, None)], inits)


def branches(out):
    """x [1,4,4,4] -> Split in 2 on channels -> Relu / Identity -> Concat -> Add x -> channel shuffle (Reshape to a
    constant [1,2,2,4,4], Transpose, Reshape to Shape(x)) -> ReduceMean over H, W -> Dropout -> MatMul + Add bias.
    The batch is symbolic ("N")."""
    n = helper.make_node
    nodes = [
        n("Split", ["x"], ["a", "b"], name="split", axis=1),
        n("Relu", ["a"], ["ra"], name="relu"),
        n("Identity", ["b"], ["ib"], name="identity"),
        n("Concat", ["ra", "ib"], ["cat"], name="cat", axis=1),
        n("Add", ["cat", "x"], ["sum"], name="add"),
        n("Reshape", ["sum", "g5"], ["r5"], name="view5"),
        n("Transpose", ["r5"], ["t5"], name="swap", perm=[0, 2, 1, 3, 4]),
        n("Shape", ["sum"], ["shape"], name="shape"),
        n("Reshape", ["t5", "shape"], ["shuf"], name="view4"),
        n("ReduceMean", ["shuf"], ["mean"], name="mean", axes=[2, 3], keepdims=0),
        n("Dropout", ["mean"], ["drop"], name="dropout"),
        n("MatMul", ["drop", "wm"], ["mm"], name="matmul"),
        n("Add", ["mm", "bm"], ["y"], name="bias"),
    ]
    inits = [ints("g5", [1, 2, 2, 4, 4]), const("wm", [4, 6]), const("bm", [6])]
    save(out, "branches", nodes, [helper.make_tensor_value_info("x", F, ["N", 4, 4, 4])],
         [helper.make_tensor_value_info("y", F, None)], inits)


def transformer_ops(out):
    """x [1,4,8] (a sequence) -> Erf GELU -> decomposed layer norm (with weight and bias) -> LayerNormalization ->
    Softmax -> Tanh -> Transpose (1, 2) -> MatMul of two tensors -> Slice on dim 2 -> Gather index 0 on dim 1."""
    n = helper.make_node
    nodes = [
        n("Div", ["x", "sqrt2"], ["g1"]), n("Erf", ["g1"], ["g2"]), n("Add", ["g2", "one"], ["g3"]),
        n("Mul", ["x", "g3"], ["g4"]), n("Mul", ["g4", "half"], ["gelu"], name="gelu"),
        n("ReduceMean", ["gelu"], ["mu"], axes=[-1]), n("Sub", ["gelu", "mu"], ["d"]),
        n("Pow", ["d", "two"], ["d2"]), n("ReduceMean", ["d2"], ["var"], axes=[-1]),
        n("Add", ["var", "eps"], ["ve"]), n("Sqrt", ["ve"], ["sd"]), n("Div", ["d", "sd"], ["nrm"]),
        n("Mul", ["nrm", "gamma"], ["sc"]), n("Add", ["sc", "beta"], ["ln1"], name="ln1"),
        n("LayerNormalization", ["ln1", "gamma", "beta"], ["ln2"], name="ln2", epsilon=1e-6),
        n("Softmax", ["ln2"], ["sm"], name="softmax", axis=-1),
        n("Tanh", ["sm"], ["th"], name="tanh"),
        n("Transpose", ["th"], ["tt"], name="kt", perm=[0, 2, 1]),
        n("MatMul", ["th", "tt"], ["att"], name="scores"),
        n("Slice", ["att", "s0", "s2", "ax2"], ["sl"], name="slice"),
        n("Gather", ["sl", "i0"], ["y"], name="select", axis=1),
    ]
    inits = [helper.make_tensor("sqrt2", F, [], [math.sqrt(2)]), helper.make_tensor("one", F, [], [1.0]),
             helper.make_tensor("half", F, [], [0.5]), helper.make_tensor("two", F, [], [2.0]),
             helper.make_tensor("eps", F, [], [1e-5]), const("gamma", [8], 1), const("beta", [8]),
             ints("s0", [0]), ints("s2", [2]), ints("ax2", [2]),
             helper.make_tensor("i0", TensorProto.INT64, [], [0])]
    save(out, "transformer_ops", nodes, [helper.make_tensor_value_info("x", F, [1, 4, 8])],
         [helper.make_tensor_value_info("y", F, None)], inits, opset=17)


def embedding(out):
    """ids [1,5] (int64) -> Gather from a constant table [100, 16]: an embedding."""
    nodes = [helper.make_node("Gather", ["table", "ids"], ["y"], name="embed")]
    save(out, "embedding", nodes, [helper.make_tensor_value_info("ids", TensorProto.INT64, [1, 5])],
         [helper.make_tensor_value_info("y", F, None)], [const("table", [100, 16])])


BIG = 9223372036854775807  # the exporter's "to the end" slice bound


def image(name, dims):
    return helper.make_tensor_value_info(name, F, dims)


def class_token(out):
    """x [1,3,4,4] -> Conv 2x2/2 (8 filters) -> Reshape [1,8,4] -> Transpose -> [1,4,8]; a class token [1,1,8]
    Expand-ed to the batch the way torch 1.13 exports cls.expand(n, -1, -1) (ConstantOfShape, Mul -1, Equal, Where)
    and Concat-ed in front: [1,5,8]."""
    n = helper.make_node
    one = helper.make_tensor("one", TensorProto.INT64, [1], [1])
    nodes = [
        n("Conv", ["x", "w", "b"], ["c"], name="proj", kernel_shape=[2, 2], strides=[2, 2]),
        n("Reshape", ["c", "to3"], ["r"], name="flat"),
        n("Transpose", ["r"], ["t"], name="tokens", perm=[0, 2, 1]),
        n("ConstantOfShape", ["three"], ["ones"], value=one),
        n("Mul", ["ones", "minus1"], ["neg"]),
        n("Equal", ["sizes", "neg"], ["eq"]),
        n("Where", ["eq", "ones", "sizes"], ["target"]),
        n("Expand", ["cls", "target"], ["e"], name="expand"),
        n("Concat", ["e", "t"], ["y"], name="cat", axis=1),
    ]
    inits = [const("w", [8, 3, 2, 2]), const("b", [8]), ints("to3", [1, 8, 4]), ints("three", [3]),
             helper.make_tensor("minus1", TensorProto.INT64, [], [-1]), ints("sizes", [1, -1, -1]),
             const("cls", [1, 1, 8])]
    save(out, "class_token", nodes, [image("x", [1, 3, 4, 4])], [helper.make_tensor_value_info("y", F, None)], inits)


def pad_pool(out, name="pad_pool", pads=(0, 0, 1, 1, 0, 0, 1, 1), ceil=0, opset=13):
    """x [1,2,6,6] -> Pad by 1 on H and W -> AveragePool 3x3/1 (no pads); x -> Pad by 1 -> Conv 3x3 (4 filters, no
    pads); Concat of both on channels: [1,6,6,6] (PyTorch's avg_pool2d(3, 1, padding=1) and a padded conv as exported
    with an explicit Pad). Before opset 11 a Pad's pads are its attribute, not its second input."""
    n = helper.make_node
    if opset < 11:
        pad = [n("Pad", ["x"], [o], name=nm, mode="constant", pads=list(pads))
               for o, nm in (("p1", "pad1"), ("p2", "pad2"))]
        inits = [const("w", [4, 2, 3, 3])]
    else:
        pad = [n("Pad", ["x", "pads"], [o], name=nm, mode="constant") for o, nm in (("p1", "pad1"), ("p2", "pad2"))]
        inits = [ints("pads", list(pads)), const("w", [4, 2, 3, 3])]
    nodes = [
        pad[0],
        n("AveragePool", ["p1"], ["ap"], name="pool", kernel_shape=[3, 3], ceil_mode=ceil),
        pad[1],
        n("Conv", ["p2", "w"], ["cv"], name="conv", kernel_shape=[3, 3]),
        n("Concat", ["ap", "cv"], ["y"], name="cat", axis=1),
    ]
    save(out, name, nodes, [image("x", [1, 2, 6, 6])], [helper.make_tensor_value_info("y", F, None)], inits, opset)


def shape_split(out):
    """x [1,4,2,2] -> two Slices on channels whose bounds are computed from Shape(x) (torch's x.chunk(2, dim=1) at
    opset 17: ONNX's own shape inference leaves their shapes unknown) -> Relu on the second -> Concat -> channel
    shuffle (Reshape [1,2,2,2,2], Transpose, Reshape [1,-1,2,2])."""
    n = helper.make_node
    nodes = [
        n("Shape", ["x"], ["s"]), n("Gather", ["s", "i1"], ["c"], axis=0), n("Add", ["c", "one"], ["c1"]),
        n("Div", ["c1", "two"], ["half"]),
        n("Slice", ["x", "zero", "half", "i1"], ["a"], name="lo"),
        n("Slice", ["x", "half", "end", "i1"], ["b"], name="hi"),
        n("Relu", ["b"], ["rb"], name="relu"),
        n("Concat", ["a", "rb"], ["cat"], name="cat", axis=1),
        n("Reshape", ["cat", "g5"], ["r5"], name="view5"),
        n("Transpose", ["r5"], ["t5"], name="swap", perm=[0, 2, 1, 3, 4]),
        n("Reshape", ["t5", "g4"], ["y"], name="shuffle"),
    ]
    inits = [ints("i1", [1]), ints("one", [1]), ints("two", [2]), ints("zero", [0]), ints("end", [BIG]),
             ints("g5", [1, 2, 2, 2, 2]), ints("g4", [1, -1, 2, 2])]
    save(out, "shape_split", nodes, [image("x", [1, 4, 2, 2])], [helper.make_tensor_value_info("y", F, None)], inits)


def attention_block(out):
    """x [1,3,4,4] -> tokens t [1,16,3] (Reshape, Transpose). Attention as nn.MultiheadAttention exports it:
    MatMul(Div(t, sqrt 3), Transpose(t)) -> Softmax -> MatMul(., t); then its out_proj on a flattened tensor:
    Reshape [16,3] -> Gemm 3 -> 5 -> Reshape [16,1,5] -> Transpose (1, 0, 2) -> [1,16,5]. Then an Einsum
    'bhik,bhjk->bhij' of the result (Unsqueeze-d to [1,1,16,5]) with itself [1,1,16,16], Softmax."""
    n = helper.make_node
    nodes = [
        n("Reshape", ["x", "to3"], ["r"]), n("Transpose", ["r"], ["t"], perm=[0, 2, 1]),
        n("Div", ["t", "sqrt3"], ["q"]), n("Transpose", ["t"], ["kt"], perm=[0, 2, 1]),
        n("MatMul", ["q", "kt"], ["scores"], name="qk"), n("Softmax", ["scores"], ["p"], name="softmax", axis=-1),
        n("MatMul", ["p", "t"], ["att"], name="attn"),
        n("Reshape", ["att", "to2"], ["flat"], name="flat"),
        n("Gemm", ["flat", "wp", "bp"], ["proj"], name="out_proj", transB=1),
        n("Reshape", ["proj", "to3b"], ["unflat"], name="unflat"),
        n("Transpose", ["unflat"], ["o"], name="back", perm=[1, 0, 2]),
        n("Unsqueeze", ["o", "zero"], ["o4"], name="heads"),
        n("Einsum", ["o4", "o4"], ["sim"], name="einsum", equation="b h i k, b h j k -> b h i j"),
        n("Softmax", ["sim"], ["y"], name="softmax2", axis=-1),
    ]
    inits = [ints("to3", [1, 3, 16]), helper.make_tensor("sqrt3", F, [], [math.sqrt(3)]), ints("to2", [16, 3]),
             const("wp", [5, 3]), const("bp", [5]), ints("to3b", [16, 1, 5]), ints("zero", [0])]
    save(out, "attention_block", nodes, [image("x", [1, 3, 4, 4])], [helper.make_tensor_value_info("y", F, None)],
         inits, opset=17)


def swin_bits(out):
    """x [1,2,4,4] -> NHWC [1,4,4,2] (Transpose) -> torch.roll(shifts=(-1, -1), dims=(1, 2)) as the exporter writes it
    (Slice [1:] and [:1], Concat on dim 1, the same on dim 2) -> a shift mask computed from sizes only
    (ConstantOfShape [4,4,2] of zeros, Unsqueeze) added -> scaled by Pow(Cast(channels from Shape(x)), -0.5), a
    number (Swin's head_dim ** -0.5) -> Slice [0::2] on dim 1 (patch merging's strided slice)."""
    n = helper.make_node
    nodes = [
        n("Transpose", ["x"], ["h"], name="nhwc", perm=[0, 2, 3, 1]),
        n("Slice", ["h", "s1", "end", "ax1"], ["a1"]), n("Slice", ["h", "zero", "s1", "ax1"], ["b1"]),
        n("Concat", ["a1", "b1"], ["r1"], axis=1),
        n("Slice", ["r1", "s1", "end", "ax2"], ["a2"]), n("Slice", ["r1", "zero", "s1", "ax2"], ["b2"]),
        n("Concat", ["a2", "b2"], ["rolled"], name="roll", axis=2),
        n("ConstantOfShape", ["mshape"], ["m0"]), n("Unsqueeze", ["m0", "zero"], ["mask"]),
        n("Add", ["rolled", "mask"], ["masked"], name="mask_add"),
        n("Shape", ["x"], ["xs"]), n("Gather", ["xs", "s1"], ["channels"], axis=0),
        n("Cast", ["channels"], ["cf"], to=F), n("Pow", ["cf", "minus_half"], ["scale"]),
        n("Mul", ["masked", "scale"], ["scaled"], name="scale"),
        n("Slice", ["scaled", "zero", "end", "ax1", "two"], ["y"], name="merge"),
    ]
    inits = [ints("s1", [1]), ints("end", [BIG]), ints("ax1", [1]), ints("ax2", [2]), ints("zero", [0]),
             ints("mshape", [4, 4, 2]), ints("two", [2]), helper.make_tensor("minus_half", F, [], [-0.5])]
    save(out, "swin_bits", nodes, [image("x", [1, 2, 4, 4])], [helper.make_tensor_value_info("y", F, None)], inits)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for make in (conv_head, branches, transformer_ops, embedding, class_token, pad_pool, shape_split,
                 attention_block, swin_bits):
        make(out)
    pad_pool(out, "pad_uneven", pads=(0, 0, 1, 1, 0, 0, 2, 2))  # refused: not equal at both ends
    pad_pool(out, "pad_ceil", ceil=1)  # refused: ceil_mode 1 after a Pad
    pad_pool(out, "pad_attribute", opset=10)  # the pads as an attribute (opset < 11)


if __name__ == "__main__":
    main()
