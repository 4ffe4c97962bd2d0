/// Ground truth for tests: the optimal partition by enumerating every valid stage map.
///
/// Nodes are assigned in topological order, each to a stage no earlier than its
/// predecessors', so only monotone maps are visited; groups and the memory cap are checked
/// on complete maps. Exponential: meant for n ≤ 10 and k ≤ 4.
public enum ExhaustiveSearch {
    /// The least bottleneck over all valid partitions with at most `stageCount` stages and
    /// one partition reaching it; nil when no valid partition exists (memory cap too small).
    public static func optimum(of graph: ComputationGraph, stageCount: Int) -> (bottleneck: Double, partition: Partition)? {
        let order = graph.topologicalOrder
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        var best: (bottleneck: Double, partition: Partition)? = nil
        func assign(_ position: Int) {
            if position == order.count {
                let partition = Partition(stageCount: stageCount, stageOf: stageOf)
                guard graph.isValid(partition) else { return }
                let value = graph.bottleneck(of: partition)
                if best == nil || value < best!.bottleneck { best = (value, partition) }
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
        return best
    }
}
