import PipeGraph

/// The exact DP over ideals (downward-closed node sets), as in Tarnawski et al. (NeurIPS 2020): the
/// ground truth for tests and benchmarks on graphs whose ideals are few enough to list.
///
/// The DP runs over the ideals of the unit quotient (``UnitGraph`` with free zero-work units merged,
/// docs/partitioning.md "Units"): each closed colocation group is one unit, so every ideal of the
/// quotient splits no group, and every stage of an optimal partition can be taken as the difference
/// of two nested quotient ideals. So OPT[I][s] = min over ideals J ⊂ I with I \ J within the memory
/// cap of max(OPT[J][s − 1], f(I \ J)), with f the exact cost over the original nodes. The ideals are
/// listed first (an ``IdealWalk`` over the quotient from ∅). The DP then takes them by size and, from
/// each J, walks every ideal I ⊃ J once with f(I \ J) maintained incrementally node by node, pushing
/// max(OPT[J][s], f) into OPT[I][s + 1]. Work and memory only grow along a branch, so branches stop
/// above the memory cap or above an upper bound U on the optimum.
public enum IdealDP {
    /// How far the DP may go before it refuses: counts, so that where it gives up is the same on
    /// every machine. Every run of the DP over a whole graph uses ``standard`` (docs/partitioning.md,
    /// "Limits of the DP as a bound"); only tests lower them, to reach a refusal on a small graph. The
    /// window DP of large-neighbourhood search (``WindowIdealDP``) lists a window's ideals within its own, far smaller, limits.
    public struct Limits: Sendable {
        /// The most ideals it walks.
        public var idealCount = 1_000_000
        /// The most (J, I) pairs it visits: about a minute in a release build.
        public var transitionCount = 400_000_000
        /// The most bitset words it stores (ideals × ⌈units / 64⌉): about 8 bytes each.
        public var storedWords = 50_000_000

        public init() {}

        /// The one set of limits: `partition --method ideal-dp`, certify's `ideal-dp` step, the
        /// `ideal-dp` bound and the value search's first probe. Callers differ only in the time limit
        /// and stop flag they add (polled as `shouldStop`).
        public static let standard = Limits()
    }

    /// The optimal partition into at most `stageCount` stages and its bottleneck, or nil when no valid
    /// partition exists. `upperBound` (the bottleneck of any valid partition, e.g. from `slice`) only
    /// speeds it up. Throws ``PartitionError`` when the graph exceeds `limits`, or when `shouldStop`
    /// (polled every few thousand steps) returns true.
    public static func optimum(of graph: ComputationGraph, stageCount: Int, upperBound: Double = .infinity,
                               limits: Limits = .standard,
                               shouldStop: (@Sendable () -> Bool)? = nil) throws -> (partition: Partition, bottleneck: Double)? {
        guard stageCount >= 1 else { throw PartitionError("the number of stages must be at least 1, not \(stageCount)") }
        let units = UnitGraph(graph, mergingFreeNodes: true)
        let table = try ideals(of: units, graph: graph, limits: limits, shouldStop: shouldStop)
        var search = IdealSearch(graph: graph, units: units, table: table, stageCount: stageCount, upperBound: upperBound,
                                 limits: limits, shouldStop: shouldStop)
        return try search.run()
    }

    /// The optimum for each of `stageCounts` from one DP pass (the table of the largest count holds
    /// every smaller one's answer): a partition and its bottleneck per count, nil where no valid
    /// partition exists. `upperBound` must be at least the optimum with the fewest stages asked for
    /// (e.g. any valid partition into that many stages); it only speeds the pass up. Throws as
    /// ``optimum(of:stageCount:upperBound:limits:shouldStop:)`` does.
    public static func optima(of graph: ComputationGraph, stageCounts: [Int], upperBound: Double = .infinity,
                              limits: Limits = .standard,
                              shouldStop: (@Sendable () -> Bool)? = nil) throws -> [Int: (partition: Partition, bottleneck: Double)?] {
        guard let fewest = stageCounts.min(), let most = stageCounts.max() else { return [:] }
        guard fewest >= 1 else { throw PartitionError("the number of stages must be at least 1, not \(fewest)") }
        let units = UnitGraph(graph, mergingFreeNodes: true)
        let table = try ideals(of: units, graph: graph, limits: limits, shouldStop: shouldStop)
        var search = IdealSearch(graph: graph, units: units, table: table, stageCount: most, fewestAnswered: fewest,
                                 upperBound: upperBound, limits: limits, shouldStop: shouldStop)
        try search.runAll()
        var answers: [Int: (partition: Partition, bottleneck: Double)?] = [:]
        for count in stageCounts { answers[count] = search.answer(stages: count) }
        return answers
    }

    /// Lists every ideal of the unit quotient; refuses past the limits.
    static func ideals(of units: UnitGraph, graph: ComputationGraph, limits: Limits,
                       shouldStop: (@Sendable () -> Bool)?) throws -> IdealTable {
        var collector = IdealCollector(graphName: graph.name, unitCount: units.unitCount, limits: limits, shouldStop: shouldStop)
        var members = [Bool](repeating: false, count: units.unitCount)
        var walk = IdealWalk(predecessors: units.predecessors, successors: units.successors)
        try walk.walk(from: &members, visitor: &collector)
        return collector.table
    }
}

/// Records each ideal of a walk from ∅ in an ``IdealTable``.
struct IdealCollector: IdealWalkVisitor {
    let graphName: String
    let limits: IdealDP.Limits
    let shouldStop: (@Sendable () -> Bool)?
    var table: IdealTable
    var current: [UInt64]
    var hash: UInt64 = 0
    var visited = 1

    init(graphName: String, unitCount: Int, limits: IdealDP.Limits, shouldStop: (@Sendable () -> Bool)?) {
        self.graphName = graphName
        self.limits = limits
        self.shouldStop = shouldStop
        table = IdealTable(nodeCount: unitCount)
        current = [UInt64](repeating: 0, count: table.wordCount)
        _ = current.withUnsafeBufferPointer { table.insert($0, hash: 0) }
    }

    mutating func enter(_ unit: Int) throws -> Bool {
        visited += 1
        if visited > limits.idealCount {
            throw PartitionError("graph \(graphName) has more than \(limits.idealCount) ideals; use brkga-10000 or certify")
        }
        if visited & 0xFFF == 0, shouldStop?() == true { throw PartitionError.stopped }
        current[unit >> 6] |= 1 << UInt64(unit & 63)
        hash ^= table.codes[unit]
        _ = current.withUnsafeBufferPointer { table.insert($0, hash: hash) }
        if table.count * table.wordCount > limits.storedWords {
            throw PartitionError("graph \(graphName) has more than \(table.count - 1) ideals, too many to store; use brkga-10000 or certify")
        }
        return true
    }

    mutating func leave(_ unit: Int) {
        current[unit >> 6] &= ~(1 << UInt64(unit & 63))
        hash ^= table.codes[unit]
    }
}
