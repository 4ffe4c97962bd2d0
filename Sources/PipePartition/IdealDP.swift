import PipeGraph

/// The exact DP over ideals (downward-closed node sets), as in Tarnawski et al. (NeurIPS 2020): the
/// ground truth for tests and benchmarks on graphs whose ideals are few enough to list.
///
/// Every stage boundary of a valid partition is an ideal that does not split a colocation group
/// ("closed" ideal below), and every stage is the difference of two nested closed ideals. So
/// OPT[I][s] = min over closed ideals J ⊂ I with I \ J within the memory cap of max(OPT[J][s − 1], f(I \ J)).
/// The closed ideals are listed first (an ``IdealWalk`` over all ideals from ∅ keeps those that split
/// no group). The DP then takes them by size and, from each J, walks every ideal I ⊃ J once with
/// f(I \ J) maintained incrementally, pushing max(OPT[J][s], f) into OPT[I][s + 1]. Work and memory only grow along a
/// branch, so branches stop above the memory cap or above an upper bound U on the optimum.
public enum IdealDP {
    /// How far the DP may go before it refuses.
    public struct Limits: Sendable {
        /// The most ideals it walks (closed or not).
        public var idealCount = 1_000_000
        /// The most (J, I) pairs it visits.
        public var transitionCount = 400_000_000
        /// The most bitset words it stores (ideals × ⌈n / 64⌉): about 8 bytes each.
        public var storedWords = 50_000_000

        public init() {}
    }

    /// The optimal partition into at most `stageCount` stages and its bottleneck, or nil when no valid
    /// partition exists. `upperBound` (the bottleneck of any valid partition, e.g. from `slice`) only
    /// speeds it up. Throws ``PartitionError`` when the graph exceeds `limits`.
    public static func optimum(of graph: ComputationGraph, stageCount: Int, upperBound: Double = .infinity,
                               limits: Limits = Limits()) throws -> (partition: Partition, bottleneck: Double)? {
        guard stageCount >= 1 else { throw PartitionError("the number of stages must be at least 1, not \(stageCount)") }
        let table = try closedIdeals(of: graph, limits: limits)
        var search = IdealSearch(graph: graph, table: table, stageCount: stageCount, upperBound: upperBound, limits: limits)
        return try search.run()
    }

    /// Lists the ideals that split no group ("closed"), walking all ideals; refuses past the limits.
    static func closedIdeals(of graph: ComputationGraph, limits: Limits) throws -> IdealTable {
        var collector = ClosedIdealCollector(graph: graph, limits: limits)
        var members = [Bool](repeating: false, count: graph.nodeCount)
        var walk = IdealWalk(graph: graph)
        try walk.walk(from: &members, visitor: &collector)
        return collector.table
    }
}

/// Records each closed ideal of a walk from ∅ in an ``IdealTable``.
struct ClosedIdealCollector: IdealWalkVisitor {
    let graph: ComputationGraph
    let limits: IdealDP.Limits
    var table: IdealTable
    var current: [UInt64]
    var hash: UInt64 = 0
    var visited = 1
    /// Members of each group in the current ideal, and how many groups are split (some members in, some out).
    var groupCount: [Int]
    var splitGroups = 0

    init(graph: ComputationGraph, limits: IdealDP.Limits) {
        self.graph = graph
        self.limits = limits
        table = IdealTable(nodeCount: graph.nodeCount)
        current = [UInt64](repeating: 0, count: table.wordCount)
        groupCount = [Int](repeating: 0, count: graph.groupMembers.count)
        _ = current.withUnsafeBufferPointer { table.insert($0, hash: 0) }
    }

    mutating func enter(_ node: Int) throws -> Bool {
        visited += 1
        if visited > limits.idealCount {
            throw PartitionError("graph \(graph.name) has more than \(limits.idealCount) ideals; use brkga-10000 or certify")
        }
        current[node >> 6] |= 1 << UInt64(node & 63)
        hash ^= table.codes[node]
        if let group = graph.groupOf[node] {
            let size = graph.groupMembers[group].count
            groupCount[group] += 1
            if groupCount[group] == 1 && size > 1 { splitGroups += 1 }
            if groupCount[group] == size && size > 1 { splitGroups -= 1 }
        }
        if splitGroups == 0 {
            _ = current.withUnsafeBufferPointer { table.insert($0, hash: hash) }
            if table.count * table.wordCount > limits.storedWords {
                throw PartitionError("graph \(graph.name) has more than \(table.count - 1) ideals of \(graph.nodeCount) nodes, too many to store; use brkga-10000 or certify")
            }
        }
        return true
    }

    mutating func leave(_ node: Int) {
        current[node >> 6] &= ~(1 << UInt64(node & 63))
        hash ^= table.codes[node]
        if let group = graph.groupOf[node] {
            let size = graph.groupMembers[group].count
            if groupCount[group] == size && size > 1 { splitGroups += 1 }
            if groupCount[group] == 1 && size > 1 { splitGroups -= 1 }
            groupCount[group] -= 1
        }
    }
}
