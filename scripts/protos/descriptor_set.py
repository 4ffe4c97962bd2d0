"""Writes a FileDescriptorSet (binary) to stdout from the serialized file descriptors embedded
in generated Python modules (`*_pb2.py`, the `AddSerializedFile(b'...')` argument), in the order
given. Used by scripts/generate-protos.sh: TensorBoard's wheel ships TensorFlow's framework
messages (cost_graph, tensor_shape, types) only as such modules. Needs no protobuf package."""
import ast
import sys


def serialized_descriptor(path):
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile":
            return ast.literal_eval(node.args[0])
    sys.exit(f"{path}: no AddSerializedFile(...) call")


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


output = bytearray()
for path in sys.argv[1:]:
    data = serialized_descriptor(path)
    output += b"\x0a" + varint(len(data)) + data  # FileDescriptorSet.file, field 1
sys.stdout.buffer.write(bytes(output))
