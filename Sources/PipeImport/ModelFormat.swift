import Foundation
import PipeGraph

/// The input formats PipeBound reads, and how each is recognised by content.
public enum ModelFormat: String, Sendable, CaseIterable {
    /// Native `pipebound.graph` JSON.
    case native
    /// ONNX protobuf.
    case onnx
    /// JSON of Tarnawski et al.'s dnn-partitioning code.
    case dnnPartitioning = "dnn-partitioning"
    /// TensorFlow CostGraphDef text.
    case costGraph = "costgraph"

    /// Recognises the format of `data`: JSON by its first non-blank character and its fields,
    /// ONNX by the ModelProto's leading `ir_version` field, CostGraphDef text by its `node {`
    /// entries; the extension (`.onnx`, `.pbtxt`, `.json`) decides only when the content is ambiguous.
    public static func detect(_ data: Data, path: String) throws -> ModelFormat {
        let lowered = path.lowercased()
        if data.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) { throw GraphError("the file is empty") }
        if JSONShape.startsWithObject(data) {
            if GraphFile.looksNative(data) { return .native }
            if DnnPartitioningImporter.looksLikeDnnPartitioning(data) { return .dnnPartitioning }
            if data.range(of: Data("\"format\"".utf8)) != nil || data.range(of: Data("\"edges\"".utf8)) != nil { return .native }
            throw GraphError("a JSON object that is neither a pipebound.graph (no \"format\": \"pipebound.graph\") nor dnn-partitioning input (no fpgaLatency)")
        }
        if OnnxImporter.looksLikeOnnx(data) { return .onnx }
        if CostGraphImporter.looksLikeCostGraph(data) { return .costGraph }
        if lowered.hasSuffix(".onnx") { return .onnx }
        if lowered.hasSuffix(".pbtxt") { return .costGraph }
        throw GraphError("unrecognised format: expected native pipebound.graph JSON, ONNX, dnn-partitioning JSON or CostGraphDef text")
    }

    /// Reads `data` in this format.
    public func load(_ data: Data, name: String, profile: CostProfile) throws -> ComputationGraph {
        switch self {
        case .native: return try GraphFile.decode(data)
        case .onnx: return try OnnxImporter.importModel(data, name: name, profile: profile).graph
        case .dnnPartitioning: return try DnnPartitioningImporter.decode(data, name: name)
        case .costGraph: return try CostGraphImporter.decode(data, name: name, profile: profile)
        }
    }
}
