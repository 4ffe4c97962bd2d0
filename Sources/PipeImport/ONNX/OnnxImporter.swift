import Foundation
import PipeGraph
import SwiftProtobuf

/// Reads an ONNX model into a ``ComputationGraph``.
///
/// Steps: decode the protobuf; inline model-local functions (``OnnxFunctionInliner``); give every initializer and graph input its static shape
/// (symbolic dimensions from the profile); visit the nodes in dependency order, inferring
/// each output's shape and folding every node whose inputs are all constant (weight generators
/// such as `Constant`/`ConstantOfShape`, and the `Shape → Gather → Concat → …` arithmetic of
/// torch exports); every remaining node becomes a graph node whose constant inputs are its
/// parameter memory, whose FLOPs and bytes give its work, and whose output bytes give its comm;
/// `If`, `Loop` and `Scan` are one node each, costed from their subgraphs (``OnnxControlFlow``).
public enum OnnxImporter {
    /// Whether `data` starts like an ONNX ModelProto (field 1, `ir_version`, as a small varint),
    /// the way every ONNX writer begins the file.
    public static func looksLikeOnnx(_ data: Data) -> Bool {
        guard data.count >= 2 else { return false }
        let first = data[data.startIndex], second = data[data.startIndex + 1]
        return first == 0x08 && second > 0 && second < 0x40
    }

    /// Imports the model in `data`, naming the graph `name`. Errors are ``GraphError``s naming the node or value.
    public static func importModel(_ data: Data, name: String, profile: CostProfile = CostProfile()) throws -> OnnxImport {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw GraphError("not a valid ONNX protobuf (\(describe(decodingError: error)))")
        }
        guard model.hasGraph else { throw GraphError("the ONNX model has no graph") }
        let inliner = OnnxFunctionInliner(functions: model.functions)
        let graph = inliner.isEmpty ? model.graph : try inliner.inline(model.graph)
        guard !graph.node.isEmpty else { throw GraphError("the ONNX graph has no nodes") }
        let opset = model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }.map { OnnxNumbers.clampedInt($0.version) } ?? 1
        var builder = OnnxGraphBuilder(graph: graph, opset: opset, profile: profile)
        return try builder.build(name: name)
    }

    private static func describe(decodingError error: Error) -> String {
        if let binary = error as? BinaryDecodingError {
            switch binary {
            case .truncated: return "the data is truncated"
            case .malformedProtobuf: return "malformed protobuf data"
            case .invalidUTF8: return "a string is not valid UTF-8"
            case .messageDepthLimit: return "messages nested too deeply"
            default: return "\(binary)"
            }
        }
        return "\(error)"
    }
}

/// A graph imported from ONNX with what the importer measured per node.
public struct OnnxImport: Sendable {
    /// The graph (work and comm in microseconds, memory in bytes).
    public var graph: ComputationGraph
    /// Floating-point operations of each graph node (a multiply-add counts 2).
    public var flops: [Double]
    /// Multiply-accumulates of each graph node (convolutions and matrix products).
    public var macs: [Double]
    /// Bytes of each graph node's consumed outputs.
    public var outputBytes: [Double]
    /// The number of nodes in the ONNX file.
    public var onnxNodeCount: Int
    /// ONNX nodes folded into constants (weight generators and shape arithmetic).
    public var foldedNodeCount: Int
    /// The default operator set version the model imports.
    public var opset: Int

    /// Σ MACs over the graph.
    public var totalMACs: Double { macs.reduce(0, +) }
    /// Σ FLOPs over the graph.
    public var totalFLOPs: Double { flops.reduce(0, +) }
}
