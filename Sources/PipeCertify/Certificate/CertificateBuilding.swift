import Foundation
import PipeGraph

extension Certificate {
    /// Builds the certificate of `partition` on `graph`: the partition is re-costed here with
    /// the cost model (never trusting a method's own figure), and the lower bound is the
    /// largest counted lower-bound record. Check the result with ``problems(graph:partition:)``.
    public init(graph: ComputationGraph, partition: Partition, upperMethod: String, solver: String,
                bounds: [BoundRecord], seconds: Double) {
        let loads = graph.stageLoads(of: partition)
        let members = partition.stageMembers
        let stages = loads.enumerated().map { index, load in
            Stage(index: index, cost: load.cost, work: load.work, commIn: load.commIn, commOut: load.commOut,
                  memory: load.memory, nodes: members[index].map { graph.nodes[$0].name })
        }
        let upper = loads.map(\.cost).max() ?? 0
        let best = bounds.filter { $0.kind == .lower && $0.counts }.max { $0.value < $1.value }
        let lower = LowerBound(value: max(best?.value ?? 0, 0), method: best?.method ?? "none")
        self.init(graph: GraphSummary(name: graph.name, nodes: graph.nodeCount, edges: graph.edgeCount),
                  units: graph.units, stages: partition.stageCount, solver: solver,
                  upperBound: UpperBound(value: upper, method: upperMethod, stages: stages),
                  lowerBound: lower, bounds: bounds,
                  ratio: upper > 0 ? lower.value / upper : 1,
                  throughput: upper > 0 ? 1 / upper : .infinity,
                  latency: Double(partition.stageCount) * upper,
                  seconds: seconds,
                  stageGraph: graph.violations(of: partition).isEmpty ? StageGraph(graph: graph, partition: partition) : nil)
    }

    /// The stage map the certificate's `upper_bound.stages` describe, resolved against `graph`.
    /// Throws ``CertificateError`` when a node is unknown, missing or listed twice.
    public func partition(on graph: ComputationGraph) throws -> Partition {
        var stageOf = [Int](repeating: -1, count: graph.nodeCount)
        for stage in upperBound.stages {
            for name in stage.nodes {
                guard let node = graph.indexByName[name] else {
                    throw CertificateError("stage \(stage.index) lists node '\(name)', which is not in graph '\(graph.name)'")
                }
                guard stageOf[node] == -1 else {
                    throw CertificateError("node '\(name)' is listed in stage \(stageOf[node]) and in stage \(stage.index)")
                }
                stageOf[node] = stage.index
            }
        }
        if let missing = stageOf.firstIndex(of: -1) {
            throw CertificateError("node '\(graph.nodes[missing].name)' of graph '\(graph.name)' is in no stage")
        }
        return Partition(stageCount: stages, stageOf: stageOf)
    }

    /// Everything wrong with this certificate as a claim about `graph` and `partition` (empty
    /// when it is sound): an invalid partition, a recorded bottleneck that differs from the
    /// re-costed one, or a lower bound above the upper bound (always a bug somewhere).
    public func problems(graph: ComputationGraph, partition: Partition) -> [String] {
        var found = graph.violations(of: partition).map { "invalid partition: \($0)" }
        guard found.isEmpty else { return found }
        let recosted = graph.bottleneck(of: partition)
        if abs(recosted - upperBound.value) > 1e-9 * max(1, abs(recosted)) {
            found.append("the upper bound \(upperBound.value) differs from the re-costed bottleneck \(recosted)")
        }
        if lowerBound.value > upperBound.value {
            found.append("lower bound \(lowerBound.value) (\(lowerBound.method)) exceeds upper bound \(upperBound.value) (\(upperBound.method)): a bug, not a result")
        }
        for record in bounds where record.kind == .lower && record.counts && record.value > upperBound.value {
            if record.method != lowerBound.method || record.value != lowerBound.value {
                found.append("lower bound \(record.value) from \(record.method) exceeds upper bound \(upperBound.value): a bug, not a result")
            }
        }
        return found
    }
}

/// A certificate that cannot be read, or does not fit the graph it is checked against.
public struct CertificateError: Error, CustomStringConvertible, Sendable {
    /// One line naming the place and the problem.
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
