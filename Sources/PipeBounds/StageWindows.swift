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

    /// Prepares the totals for `graph` (O(n²/64 + n·E/64) time, O(n) memory). When `shouldStop`
    /// (a time limit) says stop during the exact totals, the windows come from their linear-time
    /// estimates instead: still sound, only wider.
    public init(graph: ComputationGraph, stageCount: Int, shouldStop: () -> Bool = { false }) {
        self.stageCount = stageCount
        self.totals = ClosureTotals.shared(for: graph, shouldStop: shouldStop)
        self.memoryCap = graph.stageMemory
        self.successors = graph.precedenceSuccessors
        self.topologicalOrder = graph.topologicalOrder
    }

    /// Stages 1-based needed before and including v by memory alone, and after and including v.
    private func memoryCounts(_ node: Int) -> (before: Int, after: Int) {
        guard let cap = memoryCap else { return (1, 1) }
        let cap1 = stageCount + 1
        return (Swift.max(1, SafeRounding.stageCount(total: totals.ancestorMemory[node], unit: cap, cap: cap1)),
                Swift.max(1, SafeRounding.stageCount(total: totals.descendantMemory[node], unit: cap, cap: cap1)))
    }

    /// What m stages meeting a closed set of work `work` must carry at least: the work, plus one
    /// comm of at least `comm` leaving each stage but the one holding v, plus one entering each
    /// stage that holds none of the set's `terminals` sources (docs/formulations.md, "Stage windows").
    static func requirement(stages: Int, work: Double, comm: Double, terminals: Double) -> Double {
        // A count at or above `stages` (the path-counting estimates can be astronomically large) caps at it.
        let terminalStages = terminals >= Double(stages) ? stages : Swift.max(0, Int(terminals.rounded()))
        let crossings = 2 * stages - 1 - terminalStages
        return crossings > 0 ? work + comm * Double(crossings) : work
    }

    /// The least m in 1...cap whose requirement fits in m stages of cost `bottleneck` (up to the
    /// arithmetic margin, which only makes m smaller); `cap` when none does.
    static func stagesNeeded(work: Double, comm: Double, terminals: Double, bottleneck: Double, cap: Int) -> Int {
        var stages = Swift.max(1, SafeRounding.stageCount(total: work, unit: bottleneck, cap: cap))
        while stages < cap {
            let needed = requirement(stages: stages, work: work, comm: comm, terminals: terminals)
            if needed * (1 - SafeRounding.arithmeticMargin) <= Double(stages) * bottleneck { return stages }
            stages += 1
        }
        return cap
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
            let before = Swift.max(memory.before, Self.stagesNeeded(
                work: totals.ancestorWork[node], comm: totals.ancestorLeastComm[node],
                terminals: totals.ancestorSources[node], bottleneck: bottleneck, cap: cap))
            let after = Swift.max(memory.after, Self.stagesNeeded(
                work: totals.descendantWork[node], comm: totals.descendantLeastComm[node],
                terminals: totals.descendantSinks[node], bottleneck: bottleneck, cap: cap))
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
    /// for each node, the least over splits i + j ≤ k + 1 of max(needed(i) / i, needed(j) / j) with
    /// needed the ``requirement(stages:work:comm:terminals:)`` of its ancestors and descendants,
    /// then the max over nodes. Nil when the memory cap alone leaves some node without a stage.
    public func pathBound() -> Double? {
        var bound = 0.0
        var descendantBest = [Double](repeating: .infinity, count: stageCount + 2)
        for node in 0..<totals.ancestorWork.count {
            let memory = memoryCounts(node)
            guard memory.before + memory.after <= stageCount + 1 else { return nil }
            // descendantBest[j]: the least T letting the descendants fit in some j' ≤ j stages.
            descendantBest[0] = .infinity
            for stages in 1...stageCount {
                let needed = Self.requirement(stages: stages, work: totals.descendantWork[node],
                                              comm: totals.descendantLeastComm[node], terminals: totals.descendantSinks[node])
                let value = stages >= memory.after ? needed / Double(stages) : .infinity
                descendantBest[stages] = Swift.min(descendantBest[stages - 1], value)
            }
            var best = Double.infinity
            for stages in memory.before...(stageCount + 1 - memory.after) {
                let needed = Self.requirement(stages: stages, work: totals.ancestorWork[node],
                                              comm: totals.ancestorLeastComm[node], terminals: totals.ancestorSources[node])
                best = Swift.min(best, Swift.max(needed / Double(stages), descendantBest[stageCount + 1 - stages]))
            }
            guard best.isFinite else { return nil }
            bound = Swift.max(bound, best)
        }
        return bound
    }
}
