/// Exact sums of node weights over ancestor and descendant sets, for any DAG given by adjacency lists.
///
/// Path-sum shortcuts overcount on diamonds, so the sets are computed exactly: sources are taken
/// 64 at a time in topological order, and one 64-bit mask per node records which of them reach it.
/// Each batch costs O(n + E) word operations plus a few additions per run of equal masks, and
/// memory stays O(n): about n²/64 steps in all, so 100,000 nodes take seconds in release builds
/// (`pipebound-bench combinatorial` measures it).
public enum Reachability {
    /// For every node s, `Σ weights[t]` over the nodes t ≠ s that s reaches, one total per weight vector.
    ///
    /// - Parameters:
    ///   - order: every node once, each after all of its `incoming` neighbours.
    ///   - incoming: for each node v, the nodes p with an edge p → v along which reachability flows.
    ///   - weights: weight vectors indexed by node.
    ///   - shouldStop: polled once per batch of 64 sources; when it returns true the sums are abandoned.
    /// - Returns: `totals[i][s]` = Σ `weights[i][t]` over the nodes t ≠ s reachable from s, or nil
    ///   when `shouldStop` stopped it.
    ///
    /// Pass `(topologicalOrder, predecessors)` for descendant totals and
    /// `(topologicalOrder.reversed(), successors)` for ancestor totals.
    public static func reachableTotals(order: [Int], incoming: [[Int]], weights: [[Double]]) -> [[Double]] {
        // Without a stop hook nothing can stop it.
        reachableTotals(order: order, incoming: incoming, weights: weights, shouldStop: { false })!
    }

    /// ``reachableTotals(order:incoming:weights:)`` that polls `shouldStop` between batches (about
    /// n / 64 polls): a time limit holds on graphs where the n²/64 steps take seconds.
    public static func reachableTotals(order: [Int], incoming: [[Int]], weights: [[Double]],
                                       shouldStop: () -> Bool) -> [[Double]]? {
        let nodeCount = order.count
        let weightCount = weights.count
        guard nodeCount > 0, weightCount > 0 else { return weights.map { _ in [Double](repeating: 0, count: nodeCount) } }
        // Flat arrays read through buffer pointers: the inner loops run about n²/64 times, and
        // nested arrays cost a uniqueness check per write there (the sums and their order are
        // exactly those of the plain formulation, so results are bit-identical).
        var weightByNode = [Double](repeating: 0, count: nodeCount * weightCount)
        for weightIndex in 0..<weightCount {
            for node in 0..<nodeCount { weightByNode[node * weightCount + weightIndex] = weights[weightIndex][node] }
        }
        // incoming as compressed rows.
        var incomingStart = [Int](repeating: 0, count: nodeCount + 1)
        for node in 0..<nodeCount { incomingStart[node + 1] = incomingStart[node] + incoming[node].count }
        var incomingFlat = [Int]()
        incomingFlat.reserveCapacity(incomingStart[nodeCount])
        for node in 0..<nodeCount { incomingFlat.append(contentsOf: incoming[node]) }
        var totalsByNode = [Double](repeating: 0, count: nodeCount * weightCount)
        var mask = [UInt64](repeating: 0, count: nodeCount)
        var runTotals = [Double](repeating: 0, count: weightCount)
        // At most 64 classes of sources per batch (see below), each with one total per weight.
        var classMembers = [UInt64](repeating: 0, count: 64)
        var classTotals = [Double](repeating: 0, count: 64 * weightCount)
        var classCount = 0
        var stopped = false
        order.withUnsafeBufferPointer { order in
        weightByNode.withUnsafeBufferPointer { weight in
        incomingStart.withUnsafeBufferPointer { incomingStart in
        incomingFlat.withUnsafeBufferPointer { incomingFlat in
        totalsByNode.withUnsafeMutableBufferPointer { totals in
        mask.withUnsafeMutableBufferPointer { mask in
        runTotals.withUnsafeMutableBufferPointer { runTotals in
        classMembers.withUnsafeMutableBufferPointer { classMembers in
        classTotals.withUnsafeMutableBufferPointer { classTotals in
            var chunkStart = 0
            while chunkStart < nodeCount {
                if shouldStop() {
                    stopped = true
                    return
                }
                let chunkEnd = Swift.min(chunkStart + 64, nodeCount)
                // Nodes before the batch cannot be reached from it; their masks from the last batch must read as empty.
                if chunkStart >= 64 {
                    for position in (chunkStart - 64)..<chunkStart { mask[order[position]] = 0 }
                }
                for position in chunkStart..<nodeCount {
                    let node = order[position]
                    var reached: UInt64 = position < chunkEnd ? (1 << UInt64(position - chunkStart)) : 0
                    for edge in incomingStart[node]..<incomingStart[node + 1] { reached |= mask[incomingFlat[edge]] }
                    mask[node] = reached
                }
                // Consecutive nodes in the order often share a mask (all of a chain past the batch does),
                // so weights are summed per run of equal masks. A run's sum is not added to each of its
                // sources: the batch's sources are kept in classes that were in exactly the same runs so
                // far, with one running total per class, split when a run takes part of a class. Each
                // source still gets the same sums in the same order (bit-identical totals), but a run
                // costs one addition per class instead of one per source: runs are short when nodes
                // that reach nothing in the batch (sinks, say) interleave with ones that reach it all.
                classCount = 1
                classMembers[0] = chunkEnd - chunkStart == 64 ? ~0 : (1 << UInt64(chunkEnd - chunkStart)) - 1
                for weightIndex in 0..<weightCount { classTotals[weightIndex] = 0 }
                var runMask: UInt64 = 0
                func flushRun() {
                    if runMask != 0 {
                        for member in 0..<classCount {
                            let inside = classMembers[member] & runMask
                            if inside == 0 { continue }
                            if inside != classMembers[member] {
                                // Split: the part outside the run keeps the old totals.
                                classMembers[classCount] = inside
                                classMembers[member] &= ~runMask
                                for weightIndex in 0..<weightCount {
                                    classTotals[classCount * weightCount + weightIndex] = classTotals[member * weightCount + weightIndex]
                                }
                                classCount += 1
                                addRun(to: classCount - 1)
                            } else {
                                addRun(to: member)
                            }
                        }
                    }
                    for weightIndex in 0..<weightCount { runTotals[weightIndex] = 0 }
                }
                func addRun(to member: Int) {
                    for weightIndex in 0..<weightCount { classTotals[member * weightCount + weightIndex] += runTotals[weightIndex] }
                }
                for position in chunkStart..<nodeCount {
                    let node = order[position]
                    var reached = mask[node]
                    if position < chunkEnd { reached &= ~(1 << UInt64(position - chunkStart)) }
                    if reached != runMask {
                        flushRun()
                        runMask = reached
                    }
                    for weightIndex in 0..<weightCount { runTotals[weightIndex] += weight[node * weightCount + weightIndex] }
                }
                flushRun()
                for member in 0..<classCount {
                    var sources = classMembers[member]
                    while sources != 0 {
                        let source = order[chunkStart + sources.trailingZeroBitCount]
                        for weightIndex in 0..<weightCount {
                            totals[source * weightCount + weightIndex] = classTotals[member * weightCount + weightIndex]
                        }
                        sources &= sources &- 1
                    }
                }
                chunkStart = chunkEnd
            }
        }}}}}}}}}
        if stopped { return nil }
        return (0..<weightCount).map { weightIndex in
            (0..<nodeCount).map { totalsByNode[$0 * weightCount + weightIndex] }
        }
    }
}

extension ComputationGraph {
    /// For every node v, Σ `weights[u]` over its strict ancestors u (nodes with a precedence path to v).
    public func ancestorTotals(of weights: [Double]) -> [Double] {
        Reachability.reachableTotals(order: topologicalOrder.reversed(), incoming: precedenceSuccessors, weights: [weights])[0]
    }

    /// For every node v, Σ `weights[u]` over its strict descendants u (nodes v has a precedence path to).
    public func descendantTotals(of weights: [Double]) -> [Double] {
        Reachability.reachableTotals(order: topologicalOrder, incoming: precedencePredecessors, weights: [weights])[0]
    }

    /// w(Anc(v)) for every node v.
    public var ancestorWork: [Double] { ancestorTotals(of: nodes.map(\.work)) }

    /// w(Desc(v)) for every node v.
    public var descendantWork: [Double] { descendantTotals(of: nodes.map(\.work)) }
}
