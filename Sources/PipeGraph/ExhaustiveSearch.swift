/// Ground truth for tests: every valid stage map of a small graph, and the optimum among them.
///
/// Nodes are assigned in topological order, each to a stage no earlier than its
/// predecessors', so only monotone maps are visited; groups and the memory cap are checked
/// on complete maps. Groups are checked as the input gives them (`Node.group`: all members
/// in one stage), not through the graph's closed groups, so that tests compare the closure
/// against its definition. Exponential: meant for n ≤ 10 and k ≤ 4.
public enum ExhaustiveSearch {
    /// Calls `visit` with every valid partition of `graph` into at most `stageCount` stages.
    public static func forEachPartition(of graph: ComputationGraph, stageCount: Int, _ visit: (Partition) -> Void) {
        let order = graph.topologicalOrder
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        // The first node of each input group: every member must share its stage.
        var firstOfGroup: [String: Int] = [:]
        var groupLeader = [Int](repeating: -1, count: graph.nodeCount)
        for (index, node) in graph.nodes.enumerated() {
            guard let group = node.group else { continue }
            if let first = firstOfGroup[group] { groupLeader[index] = first } else { firstOfGroup[group] = index }
        }
        let cap = graph.stageMemory ?? .infinity
        func assign(_ position: Int) {
            if position == order.count {
                guard graph.nodes.indices.allSatisfy({ groupLeader[$0] < 0 || stageOf[$0] == stageOf[groupLeader[$0]] }) else { return }
                var memory = [Double](repeating: 0, count: stageCount)
                for (node, stage) in stageOf.enumerated() { memory[stage] += graph.nodes[node].memory }
                guard memory.allSatisfy({ $0 <= cap }) else { return }
                visit(Partition(stageCount: stageCount, stageOf: stageOf))
                return
            }
            let node = order[position]
            let earliest = graph.predecessors[node].map { stageOf[$0] }.max() ?? 0
            for stage in earliest..<stageCount {
                stageOf[node] = stage
                assign(position + 1)
            }
        }
        assign(0)
    }

    /// Every valid partition of `graph` into at most `stageCount` stages.
    public static func allPartitions(of graph: ComputationGraph, stageCount: Int) -> [Partition] {
        var found: [Partition] = []
        forEachPartition(of: graph, stageCount: stageCount) { found.append($0) }
        return found
    }

    /// The least bottleneck over all valid partitions with at most `stageCount` stages and
    /// one partition reaching it; nil when no valid partition exists (memory cap too small).
    public static func optimum(of graph: ComputationGraph, stageCount: Int) -> (bottleneck: Double, partition: Partition)? {
        var best: (bottleneck: Double, partition: Partition)? = nil
        forEachPartition(of: graph, stageCount: stageCount) { partition in
            let value = graph.bottleneck(of: partition)
            if value < best?.bottleneck ?? .infinity { best = (value, partition) }
        }
        return best
    }
}
