import Foundation
import PipeGraph

/// Reads TensorFlow's CostGraphDef in protobuf text format (`.pbtxt`, the REGAL dataset's format).
///
/// Each `node { name id compute_cost output_info { size } input_info { preceding_node }
/// control_input persistent_memory_size }` becomes a graph node: work = compute_cost
/// (microseconds in TensorFlow's cost graphs), comm = the profile's transfer time for the sum of
/// its output sizes, memory = persistent_memory_size (0 when absent). Edges come from
/// `input_info.preceding_node` and `control_input` (node ids). A file holding a wrapper message
/// (for example `cost_graph { node { … } }`) is unwrapped.
public enum CostGraphImporter {
    /// Whether `data` is text that looks like a CostGraphDef.
    public static func looksLikeCostGraph(_ data: Data) -> Bool {
        let head = data.prefix(1 << 16)
        guard let text = String(data: head, encoding: .utf8) else { return false }
        return text.contains("compute_cost") || text.range(of: #"(^|\n)\s*node\s*[{<]"#, options: .regularExpression) != nil
    }

    /// Decodes and validates the graph.
    public static func decode(_ data: Data, name: String, profile: CostProfile = CostProfile()) throws -> ComputationGraph {
        var document = try ProtobufTextMessage.parse(data)
        while document.messages("node").isEmpty, document.fields.count == 1, case let .message(inner) = document.fields[0].value {
            document = inner
        }
        let records = document.messages("node")
        guard !records.isEmpty else { throw GraphError("no 'node { … }' entries: not a CostGraphDef") }
        var nodes: [Node] = []
        var indexById: [String: Int] = [:]
        for (position, record) in records.enumerated() {
            let id = record.scalars("id").last?.text ?? String(position)
            let nodeName = record.scalars("name").last?.text ?? "node\(id)"
            let place = "node '\(nodeName)'"
            do {
                let work = try record.number("compute_cost") ?? 0
                let outputBytes = try record.messages("output_info").reduce(0.0) { $0 + (try $1.number("size") ?? 0) }
                let memory = try record.number("persistent_memory_size") ?? 0
                guard outputBytes >= 0 else { throw GraphError("negative output size") }
                nodes.append(Node(name: nodeName, op: record.scalars("op").last?.text ?? "", work: work,
                                  comm: outputBytes > 0 ? profile.commMicroseconds(bytes: outputBytes) : 0, memory: memory))
            } catch let error as GraphError {
                throw GraphError("\(place): \(error.message)")
            }
            guard indexById.updateValue(position, forKey: id) == nil else { throw GraphError("\(place): duplicate node id \(id)") }
        }
        var edges: [(Int, Int)] = []
        for (position, record) in records.enumerated() {
            let producers = record.messages("input_info").compactMap { $0.scalars("preceding_node").last } + record.scalars("control_input")
            for (id, line) in producers {
                guard let producer = indexById[id] else {
                    throw GraphError("line \(line): node '\(nodes[position].name)' refers to unknown node id \(id)")
                }
                edges.append((producer, position))
            }
        }
        return try ComputationGraph(name: name, nodes: nodes, edges: edges)
    }
}
