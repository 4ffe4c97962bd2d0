import Foundation
import PipeGraph

/// A graph read from a file together with what the importer measured (for `convert --manifest`).
public struct ImportedModel: Sendable {
    /// The validated graph.
    public var graph: ComputationGraph
    /// The format it was read from.
    public var format: ModelFormat
    /// For ONNX: the FLOP and MAC counts and node bookkeeping.
    public var onnx: OnnxImport?

    public init(graph: ComputationGraph, format: ModelFormat, onnx: OnnxImport? = nil) {
        self.graph = graph
        self.format = format
        self.onnx = onnx
    }

    /// A flat summary for manifests: counts and, for ONNX, FLOPs and MACs.
    public var summary: [String: Double] {
        var result: [String: Double] = ["nodes": Double(graph.nodeCount), "edges": Double(graph.edgeCount)]
        if let onnx {
            result["onnx_nodes"] = Double(onnx.onnxNodeCount)
            result["folded_nodes"] = Double(onnx.foldedNodeCount)
            result["opset"] = Double(onnx.opset)
            result["macs"] = onnx.totalMACs
            result["flops"] = onnx.totalFLOPs
        }
        return result
    }
}

extension ModelLoader {
    /// Reads the model at `path` like ``load(path:profile:)`` and keeps the importer's measurements.
    public static func importModel(path: String, profile: CostProfile = CostProfile()) throws -> ImportedModel {
        let data = try read(path)
        do {
            let format = try ModelFormat.detect(data, path: path)
            if format == .onnx {
                let onnx = try OnnxImporter.importModel(data, name: defaultName(for: path), profile: profile)
                return ImportedModel(graph: onnx.graph, format: format, onnx: onnx)
            }
            return ImportedModel(graph: try format.load(data, name: defaultName(for: path), profile: profile), format: format)
        } catch let error as GraphError {
            throw InputError(file: path, problem: error.message)
        }
    }
}
