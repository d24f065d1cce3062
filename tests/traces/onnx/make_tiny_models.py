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


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for make in (conv_head, branches, transformer_ops, embedding):
        make(out)


if __name__ == "__main__":
    main()
