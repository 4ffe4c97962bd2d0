import Foundation
import PipeGraph

/// Reads the JSON input of Tarnawski et al.'s dnn-partitioning code (NeurIPS 2020).
///
/// `{"maxSizePerFPGA": M, "nodes": [{"id", "fpgaLatency", "size", "colorClass", "isBackwardNode", …}],
///   "edges": [{"sourceId", "destId", "cost"}]}` becomes: name = id as a string, work = fpgaLatency,
/// memory = size, group = colorClass, and comm = the cost of the node's out-edges (their maximum
/// when they differ: in PipeBound's model a node sends its output once per consuming stage, so
/// per-edge costs are collapsed to the largest, which never under-states a transfer).
/// `isBackwardNode: true` marks a backward node of a training graph (docs/importers.md, "Training graphs").
/// `maxSizePerFPGA` becomes the stage memory cap. Other fields (cpuLatency, supportedOnFpga, …) are
/// accepted and ignored.
public enum DnnPartitioningImporter {
    /// Whether `data` is a JSON object with the fields of this format.
    public static func looksLikeDnnPartitioning(_ data: Data) -> Bool {
        guard JSONShape.startsWithObject(data) else { return false }
        return data.range(of: Data("\"fpgaLatency\"".utf8)) != nil || data.range(of: Data("\"maxSizePerFPGA\"".utf8)) != nil
    }

    /// Decodes and validates the graph.
    public static func decode(_ data: Data, name: String) throws -> ComputationGraph {
        let root = try JSONShape.object(data)
        let nodeList = try JSONShape.array(root["nodes"], at: "nodes")
        var nodes: [Node] = []
        nodes.reserveCapacity(nodeList.count)
        for (position, item) in nodeList.enumerated() {
            let place = "nodes[\(position)]"
            let record = try JSONShape.object(item, at: place)
            let id = try JSONShape.identifier(record["id"], at: "\(place).id")
            var group: String? = nil
            if let color = record["colorClass"], color != .null {
                group = "color" + (try JSONShape.identifier(color, at: "\(place).colorClass"))
            }
            var backward = false
            if let flag = record["isBackwardNode"], flag != .null {
                // The layer graphs write 0 / 1, the operator graphs true / false.
                switch flag {
                case let .bool(value): backward = value
                case let .number(value) where value == 0 || value == 1: backward = value == 1
                default: throw GraphError("\(place).isBackwardNode: expected true, false, 0 or 1, found \(flag.kind)")
                }
            }
            nodes.append(Node(name: id, op: "", work: try JSONShape.number(record["fpgaLatency"], at: "\(place).fpgaLatency"),
                              comm: 0, memory: try JSONShape.optionalNumber(record["size"], at: "\(place).size") ?? 0, group: group,
                              backward: backward))
        }
        var indexByName: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where indexByName.updateValue(index, forKey: node.name) != nil {
            throw GraphError("nodes[\(index)].id: duplicate node id '\(node.name)'")
        }
        var edges: [(Int, Int)] = []
        let edgeList = try JSONShape.array(root["edges"] ?? .array([]), at: "edges")
        for (position, item) in edgeList.enumerated() {
            let place = "edges[\(position)]"
            let record = try JSONShape.object(item, at: place)
            let source = try JSONShape.identifier(record["sourceId"], at: "\(place).sourceId")
            let destination = try JSONShape.identifier(record["destId"], at: "\(place).destId")
            let cost = try JSONShape.optionalNumber(record["cost"], at: "\(place).cost") ?? 0
            guard let from = indexByName[source] else { throw GraphError("\(place).sourceId: unknown node '\(source)'") }
            guard let to = indexByName[destination] else { throw GraphError("\(place).destId: unknown node '\(destination)'") }
            guard cost.isFinite, cost >= 0 else { throw GraphError("\(place).cost: must be a non-negative finite number, not \(cost)") }
            nodes[from].comm = max(nodes[from].comm, cost)
            edges.append((from, to))
        }
        let cap = try JSONShape.optionalNumber(root["maxSizePerFPGA"], at: "maxSizePerFPGA")
        // The format does not say what unit its latencies are in (docs/importers.md).
        return try ComputationGraph(name: name, nodes: nodes, edges: edges, stageMemory: cap, units: GraphUnits(time: "units as in the file"))
    }
}

