import PipeGraph

/// For a bottleneck value T, the stages (0-based, inclusive) each node can occupy in any
/// partition whose bottleneck is at most T.
///
/// Stages 0...s(v) hold v's closed ancestor set and every stage's work is at most its cost,
/// so (s(v) + 1)·T ≥ w(Anc*(v)); symmetrically (k − s(v))·T ≥ w(Desc*(v)). The memory cap gives
/// the same two inequalities with M in place of T. See docs/formulations.md, "Stage windows".
public struct StageWindows: Sendable, Equatable {
    /// The earliest stage of each node.
    public var earliest: [Int]
    /// The latest stage of each node.
    public var latest: [Int]

    /// Whether node `node` may sit in stage `stage`.
    public func allows(_ node: Int, in stage: Int) -> Bool { earliest[node] <= stage && stage <= latest[node] }

    /// The number of (node, stage) pairs the windows allow.
    public var size: Int { zip(earliest, latest).reduce(0) { $0 + Swift.max(0, $1.1 - $1.0 + 1) } }
}

/// Computes stage windows and the path bound from exact ancestor and descendant totals.
public struct StageWindowCalculator: Sendable {
    /// k.
    public let stageCount: Int
    /// The closure totals the windows come from.
    public let totals: ClosureTotals
    /// The graph's memory cap, if any.
    public let memoryCap: Double?
    private let successors: [[Int]]
    private let topologicalOrder: [Int]

    /// Prepares the totals for `graph` (O(n²/64 + n·E/64) time, O(n) memory).
    public init(graph: ComputationGraph, stageCount: Int) {
        self.stageCount = stageCount
        self.totals = ClosureTotals(graph: graph)
        self.memoryCap = graph.stageMemory
        self.successors = graph.successors
        self.topologicalOrder = graph.topologicalOrder
    }

    /// Stages 1-based needed before and including v by memory alone, and after and including v.
    private func memoryCounts(_ node: Int) -> (before: Int, after: Int) {
        guard let cap = memoryCap else { return (1, 1) }
        let cap1 = stageCount + 1
        return (Swift.max(1, SafeRounding.stageCount(total: totals.ancestorMemory[node], unit: cap, cap: cap1)),
                Swift.max(1, SafeRounding.stageCount(total: totals.descendantMemory[node], unit: cap, cap: cap1)))
    }

    /// The windows for bottleneck `bottleneck`, or nil when some node has none (then no partition
    /// reaches `bottleneck`). Windows are made consistent with the edges (s(u) ≤ s(v)).
    public func windows(bottleneck: Double) -> StageWindows? {
        let nodeCount = successors.count
        var earliest = [Int](repeating: 0, count: nodeCount)
        var latest = [Int](repeating: 0, count: nodeCount)
        let cap = stageCount + 1
        for node in 0..<nodeCount {
            let memory = memoryCounts(node)
            let before = Swift.max(1, memory.before,
                                   SafeRounding.stageCount(total: totals.ancestorWork[node], unit: bottleneck, cap: cap))
            let after = Swift.max(1, memory.after,
                                  SafeRounding.stageCount(total: totals.descendantWork[node], unit: bottleneck, cap: cap))
            earliest[node] = before - 1
            latest[node] = stageCount - after
        }
        // Precedence: s(u) ≤ s(v) on every edge, so earliest stages grow and latest stages shrink along paths.
        for producer in topologicalOrder {
            for consumer in successors[producer] where earliest[consumer] < earliest[producer] {
                earliest[consumer] = earliest[producer]
            }
        }
        for producer in topologicalOrder.reversed() {
            for consumer in successors[producer] where latest[producer] > latest[consumer] {
                latest[producer] = latest[consumer]
            }
        }
        for node in 0..<nodeCount where earliest[node] > latest[node] { return nil }
        return StageWindows(earliest: earliest, latest: latest)
    }

    /// The least T for which every node's window is nonempty, computed exactly (not rounded):
    /// for each node, min over splits i + j = k + 1 of max(w(Anc*)/i, w(Desc*)/j), then the max over nodes.
    /// Nil when the memory cap alone leaves some node without a stage (no valid partition exists).
    public func pathBound() -> Double? {
        var bound = 0.0
        for node in 0..<totals.ancestorWork.count {
            let memory = memoryCounts(node)
            let ancestors = totals.ancestorWork[node]
            let descendants = totals.descendantWork[node]
            var best = Double.infinity
            if memory.before + memory.after <= stageCount + 1 {
                for before in memory.before...(stageCount + 1 - memory.after) {
                    let after = stageCount + 1 - before
                    best = Swift.min(best, Swift.max(ancestors / Double(before), descendants / Double(after)))
                }
            }
            guard best.isFinite else { return nil }
            bound = Swift.max(bound, best)
        }
        return bound
    }
}
