#!/usr/bin/env python3
"""Writes the small hand-made ONNX files under Fixtures/onnx/ (and the ONNX entries of Fixtures/malformed/).

Tooling only: needs the `onnx` Python package (for example in a throw-away venv:
`python3 -m venv /tmp/onnx && /tmp/onnx/bin/pip install onnx numpy`); the tests read the
committed files and never run this script. Expected shapes and MAC counts are worked out by
hand in Tests/PipeImportTests/OnnxImporterTests.swift.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures")


def weight(name, *shape):
    return numpy_helper.from_array(np.full(shape, 0.01, dtype=np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def save(model, *path):
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(ROOT, *path))


def opset9_cnn():
    """Attribute forms of opset 9: Pad, Slice, Split, Squeeze/Unsqueeze axes, Upsample scales input, Gemm transB."""
    nodes = [
        helper.make_node("Pad", ["x"], ["padded"], pads=[0, 0, 1, 1, 0, 0, 1, 1], name="pad"),            # [1,3,10,10]
        helper.make_node("Conv", ["padded", "w1", "b1"], ["c1"], kernel_shape=[3, 3], name="conv1"),      # [1,4,8,8]
        helper.make_node("BatchNormalization", ["c1", "s", "bias", "mean", "var"], ["bn"], name="bn"),
        helper.make_node("Relu", ["bn"], ["r1"], name="relu"),
        helper.make_node("Split", ["r1"], ["half1", "half2"], axis=1, split=[2, 2], name="split"),       # 2 x [1,2,8,8]
        helper.make_node("Concat", ["half2", "half1"], ["joined"], axis=1, name="concat"),                # [1,4,8,8]
        helper.make_node("MaxPool", ["joined"], ["p1"], kernel_shape=[2, 2], strides=[2, 2], name="pool"),  # [1,4,4,4]
        helper.make_node("Upsample", ["p1", "scales"], ["up"], mode="nearest", name="upsample"),          # [1,4,8,8]
        helper.make_node("Slice", ["up"], ["sliced"], starts=[0, 0], ends=[4, 4], axes=[2, 3], name="slice"),  # [1,4,4,4]
        helper.make_node("Unsqueeze", ["sliced"], ["u"], axes=[0], name="unsqueeze"),                     # [1,1,4,4,4]
        helper.make_node("Squeeze", ["u"], ["sq"], axes=[0], name="squeeze"),                             # [1,4,4,4]
        helper.make_node("Flatten", ["sq"], ["flat"], axis=1, name="flatten"),                            # [1,64]
        helper.make_node("Gemm", ["flat", "w2", "b2"], ["logits"], transB=1, name="fc"),                  # [1,10]
        helper.make_node("Softmax", ["logits"], ["y"], axis=1, name="softmax"),
    ]
    graph = helper.make_graph(
        nodes, "opset9_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])],
        [weight("w1", 4, 3, 3, 3), weight("b1", 4), weight("s", 4), weight("bias", 4), weight("mean", 4), weight("var", 4),
         numpy_helper.from_array(np.array([1, 1, 2, 2], dtype=np.float32), "scales"), weight("w2", 10, 64), weight("b2", 10)])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 9)]), "onnx", "opset9-cnn.onnx")


def opset13_torch_shapes():
    """Input forms of opset 13 and the shape subgraph torch.onnx.export emits for x.view(x.size(0), -1)."""
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2], name="conv"),  # [2,8,4,4]
        helper.make_node("Relu", ["c1"], ["r1"], name="relu"),
        helper.make_node("Shape", ["r1"], ["shape"], name="shape"),
        helper.make_node("Gather", ["shape", "zero"], ["batch"], axis=0, name="gather"),
        helper.make_node("Unsqueeze", ["batch", "axes0"], ["batch1"], name="unsqueeze"),
        helper.make_node("Concat", ["batch1", "minus_one"], ["target"], axis=0, name="concat"),
        helper.make_node("Reshape", ["r1", "target"], ["flat"], name="reshape"),                     # [2,128]
        helper.make_node("Slice", ["flat", "starts", "ends", "axes1", "steps"], ["sliced"], name="slice"),  # [2,64]
        helper.make_node("Split", ["sliced", "split_sizes"], ["left", "right"], axis=1, name="split"),  # [2,16], [2,48]
        helper.make_node("ReduceSum", ["right", "axes1"], ["summed"], keepdims=1, name="reduce"),      # [2,1]
        helper.make_node("Mul", ["left", "summed"], ["scaled"], name="mul"),                           # [2,16]
        helper.make_node("Unsqueeze", ["scaled", "axes1"], ["u"], name="unsqueeze2"),                   # [2,1,16]
        helper.make_node("Squeeze", ["u", "axes1"], ["sq"], name="squeeze"),                            # [2,16]
        helper.make_node("MatMul", ["sq", "w2"], ["y"], name="matmul"),                                 # [2,5]
    ]
    graph = helper.make_graph(
        nodes, "opset13_torch_shapes",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 5])],
        [weight("w1", 8, 3, 3, 3), ints("zero", 0), ints("axes0", [0]), ints("minus_one", [-1]),
         ints("starts", [0]), ints("ends", [128]), ints("axes1", [1]), ints("steps", [2]), ints("split_sizes", [16, 48]),
         weight("w2", 16, 5)])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), "onnx", "opset13-torch-shapes.onnx")


def transformer_block():
    """One pre-norm encoder block (opset 17): hidden 32, 4 heads, sequence 16, feed-forward 64, Erf-based GELU."""
    hidden, heads, sequence, ffn = 32, 4, 16, 64
    head = hidden // heads
    nodes = [
        helper.make_node("LayerNormalization", ["x", "ln1_scale", "ln1_bias"], ["ln1"], axis=-1, name="ln1"),
        helper.make_node("MatMul", ["ln1", "wq"], ["q0"], name="q_proj"),
        helper.make_node("Add", ["q0", "bq"], ["q"], name="q_bias"),
        helper.make_node("MatMul", ["ln1", "wk"], ["k"], name="k_proj"),
        helper.make_node("MatMul", ["ln1", "wv"], ["v"], name="v_proj"),
        # Torch-style head split: shape = concat(Shape(q)[0:2], [heads, head]).
        helper.make_node("Shape", ["q"], ["q_shape"], name="q_shape"),
        helper.make_node("Slice", ["q_shape", "zero1", "two1"], ["batch_seq"], name="q_shape_slice"),
        helper.make_node("Concat", ["batch_seq", "heads_dims"], ["split_shape"], axis=0, name="split_shape"),
        helper.make_node("Reshape", ["q", "split_shape"], ["q4"], name="q_heads"),
        helper.make_node("Reshape", ["k", "split_shape"], ["k4"], name="k_heads"),
        helper.make_node("Reshape", ["v", "split_shape"], ["v4"], name="v_heads"),
        helper.make_node("Transpose", ["q4"], ["qt"], perm=[0, 2, 1, 3], name="q_t"),
        helper.make_node("Transpose", ["k4"], ["kt"], perm=[0, 2, 3, 1], name="k_t"),
        helper.make_node("Transpose", ["v4"], ["vt"], perm=[0, 2, 1, 3], name="v_t"),
        helper.make_node("MatMul", ["qt", "kt"], ["scores0"], name="scores"),              # [1,4,16,16]
        helper.make_node("Div", ["scores0", "sqrt_head"], ["scores"], name="scale"),
        helper.make_node("Softmax", ["scores"], ["probs"], axis=-1, name="softmax"),
        helper.make_node("MatMul", ["probs", "vt"], ["context4"], name="context"),         # [1,4,16,8]
        helper.make_node("Transpose", ["context4"], ["context_t"], perm=[0, 2, 1, 3], name="context_t"),
        helper.make_node("Reshape", ["context_t", "merge_shape"], ["context"], name="merge_heads"),
        helper.make_node("MatMul", ["context", "wo"], ["attn"], name="out_proj"),
        helper.make_node("Add", ["attn", "x"], ["res1"], name="residual1"),
        helper.make_node("LayerNormalization", ["res1", "ln2_scale", "ln2_bias"], ["ln2"], axis=-1, name="ln2"),
        helper.make_node("MatMul", ["ln2", "w_up"], ["up"], name="ffn_up"),
        helper.make_node("Div", ["up", "sqrt2"], ["up_scaled"], name="gelu_div"),
        helper.make_node("Erf", ["up_scaled"], ["erf"], name="gelu_erf"),
        helper.make_node("Add", ["erf", "one"], ["erf1"], name="gelu_add"),
        helper.make_node("Mul", ["up", "erf1"], ["gelu0"], name="gelu_mul"),
        helper.make_node("Mul", ["gelu0", "half"], ["gelu"], name="gelu_half"),
        helper.make_node("MatMul", ["gelu", "w_down"], ["down"], name="ffn_down"),
        helper.make_node("Add", ["down", "res1"], ["y"], name="residual2"),
    ]
    scalar = lambda name, value: numpy_helper.from_array(np.array(value, dtype=np.float32), name)
    graph = helper.make_graph(
        nodes, "transformer_block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", sequence, hidden])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", sequence, hidden])],
        [weight("ln1_scale", hidden), weight("ln1_bias", hidden), weight("ln2_scale", hidden), weight("ln2_bias", hidden),
         weight("wq", hidden, hidden), weight("bq", hidden), weight("wk", hidden, hidden), weight("wv", hidden, hidden),
         weight("wo", hidden, hidden), weight("w_up", hidden, ffn), weight("w_down", ffn, hidden),
         ints("zero1", [0]), ints("two1", [2]), ints("heads_dims", [heads, head]), ints("merge_shape", [0, 0, hidden]),
         scalar("sqrt_head", np.sqrt(head)), scalar("sqrt2", np.sqrt(2.0)), scalar("one", 1.0), scalar("half", 0.5)])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), "onnx", "transformer-block.onnx")


def malformed():
    """ONNX inputs that must fail with one clear line."""
    unknown = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["r"], name="relu"), helper.make_node("FancyOp", ["r"], ["y"], name="fancy")],
        "unknown_op", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
    model = helper.make_model(unknown, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(ROOT, "malformed", "unknown-op.onnx"))
    data = open(os.path.join(ROOT, "onnx", "opset9-cnn.onnx"), "rb").read()
    open(os.path.join(ROOT, "malformed", "truncated.onnx"), "wb").write(data[: len(data) * 2 // 3])
    mismatch = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="bad_matmul")], "shape_mismatch",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])], [weight("w", 4, 5)])
    onnx.save(helper.make_model(mismatch, opset_imports=[helper.make_opsetid("", 13)]),
              os.path.join(ROOT, "malformed", "shape-mismatch.onnx"))


if __name__ == "__main__":
    opset9_cnn()
    opset13_torch_shapes()
    transformer_block()
    malformed()
    print("wrote", sorted(os.listdir(os.path.join(ROOT, "onnx"))), file=sys.stderr)
