import Foundation
import PipeGraph
import PipeImport

/// Reads a partition for `evaluate`: a certificate (its `upper_bound.stages`), or a plain JSON
/// object mapping every node name to its stage, numbered from 0: `{"conv1": 0, "relu1": 0, "fc": 1}`.
public enum PartitionFile {
    /// What a partition file holds, before it is checked against the graph.
    public enum Content: Sendable {
        /// A stage for each named node (plain map, or flattened from a certificate).
        case stageByNode([String: Int], stageCount: Int?, source: String)
    }

    /// Reads the file. Unreadable or malformed files throw ``PipeImport/InputError``.
    /// `stageCount` picks one certificate from an array of them.
    public static func read(path: String, stageCount: Int?) throws -> Content {
        try parse(try InputFile.data(path: path), file: path, stageCount: stageCount)
    }

    /// Parses the bytes of a partition file (or one line of `repair --batch`); `file` names it in errors.
    public static func parse(_ data: Data, file path: String, stageCount: Int?) throws -> Content {
        let top: Any
        do {
            top = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw InputError(file: path, problem: "not valid JSON (\(JSONErrorText.describe(error)))")
        }
        let isCertificate = top is [Any] || (top as? [String: Any])?["format"] as? String == Certificate.formatName
        if isCertificate {
            let certificate = try CertificateFile.select(try CertificateFile.decode(data, file: path),
                                                         stageCount: stageCount, file: path)
            var stageByNode: [String: Int] = [:]
            for stage in certificate.upperBound.stages {
                for node in stage.nodes {
                    guard stageByNode.updateValue(stage.index, forKey: node) == nil else {
                        throw InputError(file: path, problem: "node '\(node)' is listed in two stages")
                    }
                }
            }
            return .stageByNode(stageByNode, stageCount: certificate.stages, source: "certificate")
        }
        guard top is [String: Any] else {
            throw InputError(file: path, problem: "expected a certificate or an object mapping node names to stages")
        }
        let numbers: [String: Double]
        do {
            numbers = try JSONDecoder().decode([String: Double].self, from: data)
        } catch {
            throw InputError(file: path, problem: "\(JSONErrorText.describe(error)) (stages must be whole numbers)")
        }
        var stageByNode: [String: Int] = [:]
        for (node, value) in numbers {
            guard value == value.rounded(), abs(value) < 1e9 else {
                throw InputError(file: path, problem: "node '\(node)': the stage must be a whole number, found \(value)")
            }
            stageByNode[node] = Int(value)
        }
        return .stageByNode(stageByNode, stageCount: stageCount, source: "map")
    }

    /// The partition of `graph` the content describes, or the reasons it is not one.
    /// k is the given stage count, else one more than the largest stage used.
    public static func resolve(_ content: Content, on graph: ComputationGraph) -> (partition: Partition?, problems: [String]) {
        switch content {
        case let .stageByNode(stageByNode, stageCount, _):
            var problems: [String] = []
            for name in stageByNode.keys.sorted() where graph.indexByName[name] == nil {
                problems.append("node '\(name)' is not in graph '\(graph.name)'")
            }
            var stageOf = [Int](repeating: 0, count: graph.nodeCount)
            for (index, node) in graph.nodes.enumerated() {
                if let stage = stageByNode[node.name] {
                    stageOf[index] = stage
                } else {
                    problems.append("node '\(node.name)' has no stage")
                }
            }
            guard problems.isEmpty else { return (nil, problems) }
            let count = stageCount ?? ((stageOf.max() ?? 0) + 1)
            let partition = Partition(stageCount: max(count, 1), stageOf: stageOf)
            return (partition, graph.violations(of: partition).map(\.description))
        }
    }
}
