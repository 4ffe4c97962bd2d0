import Foundation

/// The native graph format (`pipebound.graph`, version 1; DESIGN.md section 4), read and written.
public enum GraphFile {
    /// The `format` field's value.
    public static let formatName = "pipebound.graph"
    /// The version this code reads and writes.
    public static let version = 1

    private struct Document: Codable {
        var format: String
        var version: Int
        var name: String
        var units: GraphUnits?
        var stage_memory: Double?
        var nodes: [NodeRecord]
        var edges: [[String]]
    }

    private struct NodeRecord: Codable {
        var name: String
        var op: String?
        var work: Double
        var comm: Double
        var memory: Double?
        var group: String?
    }

    /// Whether `data` looks like a native graph document (its `format` field), without parsing it all.
    public static func looksNative(_ data: Data) -> Bool {
        guard let head = String(data: data.prefix(4096), encoding: .utf8) else { return false }
        return head.contains("\"\(formatName)\"")
    }

    /// Decodes and validates a native graph. Errors are ``GraphError``s naming the place.
    public static func decode(_ data: Data) throws -> ComputationGraph {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let error as DecodingError {
            throw GraphError(describe(error))
        } catch {
            throw GraphError("not valid JSON: \(error.localizedDescription)")
        }
        guard document.format == formatName else {
            throw GraphError("field 'format' is '\(document.format)', expected '\(formatName)'")
        }
        guard document.version == version else {
            throw GraphError("field 'version' is \(document.version); this build reads version \(version)")
        }
        let nodes = document.nodes.map {
            Node(name: $0.name, op: $0.op ?? "", work: $0.work, comm: $0.comm, memory: $0.memory ?? 0, group: $0.group)
        }
        var edges: [(String, String)] = []
        edges.reserveCapacity(document.edges.count)
        for (position, edge) in document.edges.enumerated() {
            guard edge.count == 2 else { throw GraphError("edges[\(position)]: expected [producer, consumer], found \(edge.count) names") }
            edges.append((edge[0], edge[1]))
        }
        return try ComputationGraph(name: document.name, nodes: nodes, namedEdges: edges,
                                    stageMemory: document.stage_memory, units: document.units ?? GraphUnits())
    }

    /// Encodes a graph as pretty-printed native JSON with sorted keys (stable diffs for committed fixtures).
    public static func encode(_ graph: ComputationGraph) throws -> Data {
        let document = Document(
            format: formatName, version: version, name: graph.name, units: graph.units, stage_memory: graph.stageMemory,
            nodes: graph.nodes.map { NodeRecord(name: $0.name, op: $0.op, work: $0.work, comm: $0.comm,
                                                memory: $0.memory == 0 ? nil : $0.memory, group: $0.group) },
            edges: graph.edges.map { [graph.nodes[$0.0].name, graph.nodes[$0.1].name] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    /// Turns a decoding error into one line with the JSON path.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "top level" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case let .typeMismatch(type, context):
            return "\(path(context.codingPath)): expected \(type)"
        case let .valueNotFound(type, context):
            return "\(path(context.codingPath)): missing \(type) value"
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath + [key])): missing field '\(key.stringValue)'"
        case let .dataCorrupted(context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "\(path(context.codingPath)): \(underlying ?? context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
