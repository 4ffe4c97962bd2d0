/// Exact sums of node weights over ancestor and descendant sets, for any DAG given by adjacency lists.
///
/// Path-sum shortcuts overcount on diamonds, so the sets are computed exactly: sources are taken
/// 64 at a time in topological order, and one 64-bit mask per node records which of them reach it.
/// Each batch costs O(n + E) word operations plus 64 additions per run of equal masks, and memory
/// stays O(n), so 20,000-node graphs take well under a second in release builds.
public enum Reachability {
    /// For every node s, `Σ weights[t]` over the nodes t ≠ s that s reaches, one total per weight vector.
    ///
    /// - Parameters:
    ///   - order: every node once, each after all of its `incoming` neighbours.
    ///   - incoming: for each node v, the nodes p with an edge p → v along which reachability flows.
    ///   - weights: weight vectors indexed by node.
    /// - Returns: `totals[i][s]` = Σ `weights[i][t]` over the nodes t ≠ s reachable from s.
    ///
    /// Pass `(topologicalOrder, predecessors)` for descendant totals and
    /// `(topologicalOrder.reversed(), successors)` for ancestor totals.
    public static func reachableTotals(order: [Int], incoming: [[Int]], weights: [[Double]]) -> [[Double]] {
        let nodeCount = order.count
        var totals = weights.map { _ in [Double](repeating: 0, count: nodeCount) }
        var mask = [UInt64](repeating: 0, count: nodeCount)
        var chunkStart = 0
        while chunkStart < nodeCount {
            let chunkEnd = Swift.min(chunkStart + 64, nodeCount)
            // Nodes before the batch cannot be reached from it; their masks from the last batch must read as empty.
            if chunkStart >= 64 {
                for position in (chunkStart - 64)..<chunkStart { mask[order[position]] = 0 }
            }
            for position in chunkStart..<nodeCount {
                let node = order[position]
                var reached: UInt64 = position < chunkEnd ? (1 << UInt64(position - chunkStart)) : 0
                for neighbour in incoming[node] { reached |= mask[neighbour] }
                mask[node] = reached
            }
            // Consecutive nodes in the order usually share a mask (all of a chain past the batch does),
            // so weights are summed per run of equal masks and spread over the run's sources once.
            var runMask: UInt64 = 0
            var runTotals = [Double](repeating: 0, count: weights.count)
            func flushRun() {
                var sources = runMask
                while sources != 0 {
                    let source = order[chunkStart + sources.trailingZeroBitCount]
                    for weightIndex in weights.indices { totals[weightIndex][source] += runTotals[weightIndex] }
                    sources &= sources &- 1
                }
                for weightIndex in weights.indices { runTotals[weightIndex] = 0 }
            }
            for position in chunkStart..<nodeCount {
                let node = order[position]
                var reached = mask[node]
                if position < chunkEnd { reached &= ~(1 << UInt64(position - chunkStart)) }
                if reached != runMask {
                    flushRun()
                    runMask = reached
                }
                for weightIndex in weights.indices { runTotals[weightIndex] += weights[weightIndex][node] }
            }
            flushRun()
            chunkStart = chunkEnd
        }
        return totals
    }
}

extension ComputationGraph {
    /// For every node v, Σ `weights[u]` over its strict ancestors u (nodes with a path to v).
    public func ancestorTotals(of weights: [Double]) -> [Double] {
        Reachability.reachableTotals(order: topologicalOrder.reversed(), incoming: successors, weights: [weights])[0]
    }

    /// For every node v, Σ `weights[u]` over its strict descendants u (nodes v has a path to).
    public func descendantTotals(of weights: [Double]) -> [Double] {
        Reachability.reachableTotals(order: topologicalOrder, incoming: predecessors, weights: [weights])[0]
    }

    /// w(Anc(v)) for every node v.
    public var ancestorWork: [Double] { ancestorTotals(of: nodes.map(\.work)) }

    /// w(Desc(v)) for every node v.
    public var descendantWork: [Double] { descendantTotals(of: nodes.map(\.work)) }
}
