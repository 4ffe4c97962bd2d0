import Foundation

/// The native graph format (`pipebound.graph`, version 1; docs/graph-format.md), read and written.
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

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            format = try container.decode(String.self, forKey: .format)
            version = try container.decode(Int.self, forKey: .version)
            name = try container.decode(String.self, forKey: .name)
            units = try container.decodeIfPresent(GraphUnits.self, forKey: .units)
            stage_memory = try container.decodeNumberUnlessAbsent(forKey: .stage_memory)
            nodes = try container.decode([NodeRecord].self, forKey: .nodes)
            edges = try container.decode([[String]].self, forKey: .edges)
        }
    }

    private struct NodeRecord: Codable {
        var name: String
        var op: String?
        var work: Double
        var comm: Double
        var memory: Double?
        var group: String?
        /// Present (true) only on backward nodes of training graphs.
        var backward: Bool?

        init(name: String, op: String?, work: Double, comm: Double, memory: Double?, group: String?, backward: Bool?) {
            (self.name, self.op, self.work, self.comm, self.memory, self.group) = (name, op, work, comm, memory, group)
            self.backward = backward
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            op = try container.decodeIfPresent(String.self, forKey: .op)
            work = try container.decode(Double.self, forKey: .work)
            comm = try container.decode(Double.self, forKey: .comm)
            memory = try container.decodeNumberUnlessAbsent(forKey: .memory)
            group = try container.decodeIfPresent(String.self, forKey: .group)
            backward = try container.decodeIfPresent(Bool.self, forKey: .backward)
        }
    }

    /// Whether `data` looks like a native graph document: a JSON object naming the format
    /// (anywhere, since other writers may order keys differently).
    public static func looksNative(_ data: Data) -> Bool {
        guard let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }), first == UInt8(ascii: "{") else {
            return false
        }
        return data.range(of: Data("\"\(formatName)\"".utf8)) != nil
    }

    /// Decodes and validates a native graph. Errors are ``GraphError``s naming the place.
    public static func decode(_ data: Data) throws -> ComputationGraph {
        if let duplicate = JSONDuplicateKeys.firstDuplicate(in: data) { throw GraphError(duplicate) }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let error as DecodingError {
            throw GraphError(describe(error, in: data))
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
            Node(name: $0.name, op: $0.op ?? "", work: $0.work, comm: $0.comm, memory: $0.memory ?? 0, group: $0.group,
                 backward: $0.backward ?? false)
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

    /// Encodes a graph as native JSON in a fixed field order (keys of nodes sorted), one node and one edge per line (stable,
    /// readable diffs for committed fixtures). The result decodes to an equal graph.
    public static func encode(_ graph: ComputationGraph) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json<Value: Encodable>(_ value: Value) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let nodeLines = try graph.nodes.map {
            try json(NodeRecord(name: $0.name, op: $0.op, work: $0.work, comm: $0.comm, memory: $0.memory == 0 ? nil : $0.memory, group: $0.group,
                           backward: $0.backward ? true : nil))
        }
        let edgeLines = try graph.edges.map { try json([graph.nodes[$0.0].name, graph.nodes[$0.1].name]) }
        func list(_ lines: [String]) -> String {
            lines.isEmpty ? "[]" : "[\n    " + lines.joined(separator: ",\n    ") + "\n  ]"
        }
        // A fixed field order, format first so that readers recognise the file from its head.
        var fields = [
            "\"format\": " + (try json(formatName)),
            "\"version\": \(version)",
            "\"name\": " + (try json(graph.name)),
            "\"units\": " + (try json(graph.units)),
        ]
        if let cap = graph.stageMemory { fields.append("\"stage_memory\": " + (try json(cap))) }
        fields.append("\"nodes\": " + list(nodeLines))
        fields.append("\"edges\": " + list(edgeLines))
        return Data(("{\n  " + fields.joined(separator: ",\n  ") + "\n}").utf8)
    }

    /// Turns a decoding error into one line; syntax errors (which JSONDecoder reports without
    /// detail on Linux) are described by re-reading `data` with JSONSerialization.
    public static func describe(_ error: DecodingError, in data: Data) -> String {
        if case let .dataCorrupted(context) = error, context.codingPath.isEmpty {
            do {
                _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "malformed"
                return "not valid JSON: \(detail)"
            }
        }
        return describe(error)
    }

    /// Turns a decoding error into one line with the JSON path.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "top level" : String(text.drop(while: { $0 == "." }))
        }
        switch error {
        case let .typeMismatch(type, context):
            let name = "\(type)"
            let kind = name.hasPrefix("Array") ? "an array" : name.hasPrefix("Dictionary") ? "an object"
                : name == "String" ? "a string" : name == "Bool" ? "a boolean" : ["Double", "Float", "Int"].contains(name) ? "a number" : name
            return "\(path(context.codingPath)): expected \(kind)"
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

private extension KeyedDecodingContainer {
    /// An optional number that may be left out but not given as null: a null memory or cap is
    /// more likely a writer's bug than a deliberate 0 or "no cap" (docs/graph-format.md).
    func decodeNumberUnlessAbsent(forKey key: Key) throws -> Double? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath + [key], debugDescription: "null is not a number (leave the field out instead)"))
        }
        return try decode(Double.self, forKey: key)
    }
}
