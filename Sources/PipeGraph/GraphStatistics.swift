/// Summary figures of a graph, for `pipebound` to print and for reports.
public struct GraphStatistics: Sendable, Hashable, Codable {
    /// n, the number of nodes.
    public var nodeCount: Int
    /// The number of distinct edges.
    public var edgeCount: Int
    /// Nodes without predecessors.
    public var sourceCount: Int
    /// Nodes without successors.
    public var sinkCount: Int
    /// Σ w(v).
    public var totalWork: Double
    /// Σ c(v).
    public var totalComm: Double
    /// Σ m(v).
    public var totalMemory: Double
    /// max w(v).
    public var maxWork: Double
    /// max c(v).
    public var maxComm: Double
    /// max m(v).
    public var maxMemory: Double
    /// The number of nodes on a longest path (the number of levels of the as-soon-as-possible layering).
    public var depth: Int
    /// The largest level of the as-soon-as-possible layering (a lower estimate of the largest
    /// antichain, which would need a matching to compute exactly).
    public var width: Int
    /// The largest Σ w over a path: the least latency of one inference, however it is partitioned.
    public var criticalPathWork: Double
    /// The number of colocation groups.
    public var groupCount: Int
}

extension ComputationGraph {
    /// The as-soon-as-possible level of every node: 0 for sources, else 1 + the largest level of its predecessors.
    public var levels: [Int] {
        var level = [Int](repeating: 0, count: nodeCount)
        for node in topologicalOrder {
            for consumer in successors[node] { level[consumer] = max(level[consumer], level[node] + 1) }
        }
        return level
    }

    /// Whether `order` lists every node once with every edge pointing forward.
    public func isTopologicalOrder(_ order: [Int]) -> Bool {
        guard order.count == nodeCount else { return false }
        var position = [Int](repeating: -1, count: nodeCount)
        for (index, node) in order.enumerated() {
            guard nodes.indices.contains(node), position[node] == -1 else { return false }
            position[node] = index
        }
        return successors.indices.allSatisfy { producer in successors[producer].allSatisfy { position[producer] < position[$0] } }
    }

    /// Node and edge counts, cost totals and maxima, depth, width and critical path.
    public var statistics: GraphStatistics {
        let level = levels
        var levelSizes = [Int](repeating: 0, count: (level.max() ?? 0) + 1)
        for value in level { levelSizes[value] += 1 }
        var longestWork = [Double](repeating: 0, count: nodeCount)
        for node in topologicalOrder {
            let before = predecessors[node].map { longestWork[$0] }.max() ?? 0
            longestWork[node] = before + nodes[node].work
        }
        return GraphStatistics(
            nodeCount: nodeCount, edgeCount: edgeCount,
            sourceCount: predecessors.filter(\.isEmpty).count, sinkCount: successors.filter(\.isEmpty).count,
            totalWork: totalWork, totalComm: nodes.reduce(0) { $0 + $1.comm }, totalMemory: nodes.reduce(0) { $0 + $1.memory },
            maxWork: nodes.map(\.work).max() ?? 0, maxComm: nodes.map(\.comm).max() ?? 0, maxMemory: nodes.map(\.memory).max() ?? 0,
            depth: levelSizes.count, width: levelSizes.max() ?? 0, criticalPathWork: longestWork.max() ?? 0,
            groupCount: groupMembers.count)
    }
}
