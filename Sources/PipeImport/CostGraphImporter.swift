import Foundation
import PipeGraph
import SwiftProtobuf

/// Reads TensorFlow's CostGraphDef in protobuf text format (`.pbtxt`, the REGAL dataset's format).
///
/// The text is decoded by SwiftProtobuf's text-format decoder into the messages generated from
/// TensorFlow's `cost_graph.proto` (Sources/PipeImport/CostGraph/Generated, made by
/// scripts/generate-protos.sh). Each node becomes a graph node: work = `compute_cost`
/// (microseconds in TensorFlow's cost graphs), comm = the profile's transfer time for the sum of
/// its `output_info.size`s, memory = `persistent_memory_size`. Edges come from
/// `input_info.preceding_node` and `control_input` (node ids). A file holding a RunMetadata
/// (`cost_graph { node { … } }`) is read through its `cost_graph` field. Fields the schema does
/// not know are skipped, as a binary decoder would (docs/importers.md).
public enum CostGraphImporter {
    /// Whether `data` is text that looks like a CostGraphDef.
    public static func looksLikeCostGraph(_ data: Data) -> Bool {
        let head = data.prefix(1 << 16)
        guard let text = String(data: head, encoding: .utf8) else { return false }
        return text.contains("compute_cost") || text.range(of: #"(^|\n)\s*node\s*[{<]"#, options: .regularExpression) != nil
    }

    /// Decodes and validates the graph.
    public static func decode(_ data: Data, name: String, profile: CostProfile = CostProfile()) throws -> ComputationGraph {
        guard let text = String(data: data, encoding: .utf8) else { throw GraphError("not UTF-8 text") }
        var costGraph = try ProtobufTextErrors.decode(Tensorflow_CostGraphDef.self, from: text)
        if costGraph.node.isEmpty {
            costGraph = try ProtobufTextErrors.decode(Pipebound_CostGraphFile.self, from: text).costGraph
        }
        let records = costGraph.node
        guard !records.isEmpty else { throw GraphError("no 'node { … }' entries: not a CostGraphDef") }
        // Without presence in proto3, a file that numbers no node has every id 0: number them by position.
        let numberedByPosition = records.count > 1 && records.allSatisfy { $0.id == 0 }
        var nodes: [Node] = []
        var indexById: [Int32: Int] = [:]
        for (position, record) in records.enumerated() {
            let id = numberedByPosition ? Int32(clamping: position) : record.id
            let nodeName = record.name.isEmpty ? "node\(id)" : record.name
            let place = "node '\(nodeName)'"
            let outputBytes = record.outputInfo.reduce(0.0) { $0 + Double($1.size) }
            guard record.computeCost >= 0 else { throw GraphError("\(place): compute_cost \(record.computeCost) is negative") }
            guard outputBytes >= 0 else { throw GraphError("\(place): negative output size") }
            guard record.persistentMemorySize >= 0 else {
                throw GraphError("\(place): persistent_memory_size \(record.persistentMemorySize) is negative")
            }
            nodes.append(Node(name: nodeName, op: "", work: Double(record.computeCost),
                              comm: outputBytes > 0 ? profile.commMicroseconds(bytes: outputBytes) : 0,
                              memory: Double(record.persistentMemorySize)))
            guard indexById.updateValue(position, forKey: id) == nil else { throw GraphError("\(place): duplicate node id \(id)") }
        }
        var edges: [(Int, Int)] = []
        for (position, record) in records.enumerated() {
            let producers = record.inputInfo.map(\.precedingNode) + record.controlInput
            for id in producers {
                guard let producer = indexById[id] else {
                    throw GraphError("node '\(nodes[position].name)' refers to unknown node id \(id)")
                }
                edges.append((producer, position))
            }
        }
        return try ComputationGraph(name: name, nodes: nodes, edges: edges)
    }
}
