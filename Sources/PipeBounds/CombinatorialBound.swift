import Foundation
import PipeGraph

/// L0: lower bounds that need no solver, each a max over simple necessary conditions.
///
/// - heaviest node: the stage holding v costs at least w(v);
/// - average: the k stage works sum to W, so one stage has work ≥ W/k;
/// - path: the least T for which every node has a stage window (``StageWindowCalculator/pathBound()``);
/// - neighbourhood: the stage S holding v costs at least w(v) + Σ over predecessors u of
///   min(w(u), c(u)) (u is inside S, or S pays u's comm as input) + min(c(v), Σ w(successors))
///   (some successor is outside S and S pays v's comm as output, or all are inside); and the
///   same for each closed colocation group G taken as one unit (``groupNeighbourhood(of:in:)``).
public struct CombinatorialBound: Sendable {
    /// max_v w(v).
    public var heaviestNode: Double
    /// W / k.
    public var average: Double
    /// The path bound; nil when the memory cap cannot be met by any partition.
    public var path: Double?
    /// The neighbourhood bound.
    public var neighbourhood: Double

    /// Computes every part for `graph` and k = `stageCount`, reusing `windows` when given.
    public init(graph: ComputationGraph, stageCount: Int, windows: StageWindowCalculator? = nil) {
        let calculator = windows ?? StageWindowCalculator(graph: graph, stageCount: stageCount)
        heaviestNode = graph.nodes.map(\.work).max() ?? 0
        average = graph.totalWork / Double(stageCount)
        path = calculator.pathBound()
        var neighbourhood = 0.0
        for node in 0..<graph.nodeCount {
            var cost = graph.nodes[node].work
            for producer in graph.predecessors[node] {
                cost += Swift.min(graph.nodes[producer].work, graph.nodes[producer].comm)
            }
            if !graph.successors[node].isEmpty {
                let consumersWork = graph.successors[node].reduce(0.0) { $0 + graph.nodes[$1].work }
                cost += Swift.min(graph.nodes[node].comm, consumersWork)
            }
            neighbourhood = Swift.max(neighbourhood, cost)
        }
        for members in graph.groupMembers where members.count > 1 {
            neighbourhood = Swift.max(neighbourhood, Self.groupNeighbourhood(of: members, in: graph))
        }
        self.neighbourhood = neighbourhood
    }

    /// What the stage S holding the closed group G must pay at least: w(G); for each producer u
    /// outside G feeding it, min(w(u), c(u)) (u is in S, or S takes its output); for each member v
    /// feeding outside G, min(c(v), w of its outside consumers that are neither producers nor already
    /// counted for an earlier member) (some consumer is outside S and S sends c(v), or all are in S).
    /// Each outside node's work is counted at most once: on a training graph a group need not be convex,
    /// and a node may both feed G and consume from it (counting its work twice passed the optimum).
    static func groupNeighbourhood(of members: [Int], in graph: ComputationGraph) -> Double {
        let inGroup = Set(members)
        var cost = members.reduce(0.0) { $0 + graph.nodes[$1].work }
        var producers = Set<Int>()
        // Consumers that also feed G are not counted again (their producer term already holds their work).
        var countedConsumers = Set(members.flatMap { graph.predecessors[$0] }.filter { !inGroup.contains($0) })
        for member in members {
            for producer in graph.predecessors[member] where !inGroup.contains(producer) && producers.insert(producer).inserted {
                cost += Swift.min(graph.nodes[producer].work, graph.nodes[producer].comm)
            }
            let outside = graph.successors[member].filter { !inGroup.contains($0) }
            guard !outside.isEmpty else { continue }
            let newWork = outside.reduce(0.0) { countedConsumers.insert($1).inserted ? $0 + graph.nodes[$1].work : $0 }
            cost += Swift.min(graph.nodes[member].comm, newWork)
        }
        return cost
    }

    /// The best of the parts, rounded down for floating-point noise (max w is exact and kept as is).
    public var value: Double {
        let rounded = [average, path ?? 0, neighbourhood].map {
            SafeRounding.roundDown($0, relative: SafeRounding.arithmeticMargin)
        }
        return ([heaviestNode] + rounded).max() ?? 0
    }

    /// One line naming each part.
    public var detail: String {
        var parts = ["max w \(format(heaviestNode))", "W/k \(format(average))"]
        parts.append(path.map { "path \(format($0))" } ?? "path: the memory cap cannot be met")
        parts.append("neighbourhood \(format(neighbourhood))")
        return parts.joined(separator: ", ")
    }

    private func format(_ value: Double) -> String { String(format: "%.6g", value) }
}
