import Foundation
import PipeGraph

/// The input formats PipeBound reads, and how each is recognised by content.
public enum ModelFormat: String, Sendable, CaseIterable {
    /// Native `pipebound.graph` JSON.
    case native
    /// ONNX protobuf.
    case onnx

    /// Recognises the format of `data`: JSON by its first non-blank character and its fields,
    /// ONNX by the ModelProto's leading `ir_version` field (or the `.onnx` extension).
    public static func detect(_ data: Data, path: String) throws -> ModelFormat {
        if GraphFile.looksNative(data) { return .native }
        if OnnxImporter.looksLikeOnnx(data) || path.lowercased().hasSuffix(".onnx") { return .onnx }
        throw GraphError("unrecognised format: expected native pipebound.graph JSON, ONNX, dnn-partitioning JSON or CostGraphDef text")
    }

    /// Reads `data` in this format.
    public func load(_ data: Data, name: String, profile: CostProfile) throws -> ComputationGraph {
        switch self {
        case .native: return try GraphFile.decode(data)
        case .onnx: return try OnnxImporter.importModel(data, name: name, profile: profile).graph
        }
    }
}
