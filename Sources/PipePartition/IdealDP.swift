import PipeGraph

/// The exact DP over ideals (downward-closed node sets), as in Tarnawski et al. (NeurIPS 2020): the
/// ground truth for tests and benchmarks on graphs whose ideals are few enough to list.
///
/// Every stage boundary of a valid partition is an ideal that does not split a colocation group
/// ("closed" ideal below), and every stage is the difference of two nested closed ideals. So
/// OPT[I][s] = min over closed ideals J ⊂ I with I \ J within the memory cap of max(OPT[J][s − 1], f(I \ J)).
/// The closed ideals are listed first (breadth-first from ∅, each step adding one ready node and
/// closing under predecessors and groups). The DP then takes them by size and, from each J, lists
/// every ideal I ⊃ J once (include/exclude branching over ready nodes) with f(I \ J) maintained
/// incrementally, pushing max(OPT[J][s], f) into OPT[I][s + 1]. Work and memory only grow along a
/// branch, so branches stop above the memory cap or above an upper bound U on the optimum.
public enum IdealDP {
    /// How far the DP may go before it refuses.
    public struct Limits: Sendable {
        /// The most closed ideals it lists.
        public var idealCount = 1_000_000
        /// The most (J, I) pairs it visits.
        public var transitionCount = 400_000_000
        /// The most bitset words it stores (ideals × ⌈n / 64⌉): about 8 bytes each.
        public var storedWords = 200_000_000

        public init() {}
    }

    /// The optimal partition into at most `stageCount` stages and its bottleneck, or nil when no valid
    /// partition exists. `upperBound` (the bottleneck of any valid partition, e.g. from `slice`) only
    /// speeds it up. Throws ``PartitionError`` when the graph exceeds `limits`.
    public static func optimum(of graph: ComputationGraph, stageCount: Int, upperBound: Double = .infinity,
                               limits: Limits = Limits()) throws -> (partition: Partition, bottleneck: Double)? {
        precondition(stageCount >= 1, "stageCount must be at least 1")
        let table = try closedIdeals(of: graph, limits: limits)
        let search = IdealSearch(graph: graph, table: table, stageCount: stageCount, upperBound: upperBound, limits: limits)
        return try search.run()
    }

    /// Lists the ideals that split no group.
    static func closedIdeals(of graph: ComputationGraph, limits: Limits) throws -> IdealTable {
        let nodeCount = graph.nodeCount
        var table = IdealTable(nodeCount: nodeCount)
        var current = [UInt64](repeating: 0, count: table.wordCount)
        var grown = current
        var worklist: [Int] = []
        func has(_ set: [UInt64], _ node: Int) -> Bool { set[node >> 6] & (1 << UInt64(node & 63)) != 0 }
        _ = current.withUnsafeBufferPointer { table.insert($0, hash: 0) }
        var next = 0
        while next < table.count {
            let base = next * table.wordCount
            for word in 0..<table.wordCount { current[word] = table.words[base + word] }
            let currentHash = table.hashes[next]
            next += 1
            for node in 0..<nodeCount where !has(current, node) && graph.predecessors[node].allSatisfy({ has(current, $0) }) {
                // The least closed ideal containing current ∪ {node}.
                grown = current
                var hash = currentHash
                worklist.append(node)
                while let added = worklist.popLast() {
                    guard !has(grown, added) else { continue }
                    grown[added >> 6] |= 1 << UInt64(added & 63)
                    hash ^= table.codes[added]
                    worklist.append(contentsOf: graph.predecessors[added])
                    if let group = graph.groupOf[added] { worklist.append(contentsOf: graph.groupMembers[group]) }
                }
                let inserted = grown.withUnsafeBufferPointer { table.insert($0, hash: hash) }.inserted
                if inserted && (table.count > limits.idealCount || table.count * table.wordCount > limits.storedWords) {
                    throw PartitionError("graph \(graph.name) has more than \(min(limits.idealCount, limits.storedWords / table.wordCount)) ideals; use brkga-10000 or certify")
                }
            }
        }
        return table
    }
}

/// One run of the DP over a listed table of closed ideals.
final class IdealSearch {
    let graph: ComputationGraph
    let table: IdealTable
    let stageCount: Int
    let limit: Double
    let limits: IdealDP.Limits
    let memoryCap: Double
    /// best[I * (k + 1) + s]: least bottleneck covering ideal I with at most s stages.
    var best: [Double]
    /// from[I * (k + 1) + s]: the ideal before the last stage, or −1 when s − 1 stages suffice.
    var from: [Int32]

    // State of the extension listing from one J.
    var source = 0
    var firstUsable = 0
    var current: [UInt64]
    var currentHash: UInt64 = 0
    var inStage: [Bool]
    /// For a producer in J: how many of its consumers are in the stage. For a node in the stage: how many are not.
    var consumerCount: [Int]
    var candidates: [Int] = []
    var transitions = 0

    init(graph: ComputationGraph, table: IdealTable, stageCount: Int, upperBound: Double, limits: IdealDP.Limits) {
        self.graph = graph
        self.table = table
        self.stageCount = stageCount
        self.limits = limits
        limit = upperBound.isFinite ? upperBound * (1 + OrderSlicer.upperBoundSlack) + 1e-12 : .infinity
        memoryCap = graph.stageMemory ?? .infinity
        best = [Double](repeating: .infinity, count: table.count * (stageCount + 1))
        from = [Int32](repeating: -1, count: table.count * (stageCount + 1))
        current = [UInt64](repeating: 0, count: table.wordCount)
        inStage = [Bool](repeating: false, count: graph.nodeCount)
        consumerCount = [Int](repeating: 0, count: graph.nodeCount)
    }

    func run() throws -> (partition: Partition, bottleneck: Double)? {
        let width = stageCount + 1
        let nodeCount = graph.nodeCount
        // Smaller ideals first: every J ⊂ I is final before I pushes anything.
        let sizes = (0..<table.count).map { table.size(of: $0) }
        var bySize = [[Int]](repeating: [], count: nodeCount + 1)
        for index in 0..<table.count { bySize[sizes[index]].append(index) }
        guard let full = bySize[nodeCount].first else { return nil }
        best[0] = 0
        for ideal in bySize.joined() {
            let row = ideal * width
            for stages in 1..<width where best[row + stages - 1] < best[row + stages] {
                best[row + stages] = best[row + stages - 1]
                from[row + stages] = -1
            }
            guard ideal != full, best[row + stageCount - 1].isFinite, best[row + stageCount - 1] <= limit else { continue }
            firstUsable = 0
            while !best[row + firstUsable].isFinite { firstUsable += 1 }
            try extend(from: ideal)
        }
        guard best[full * width + stageCount].isFinite else { return nil }
        return (partition(endingAt: full), best[full * width + stageCount])
    }

    /// Lists every ideal I ⊃ J and relaxes OPT[I][·] through the stage I \ J.
    private func extend(from ideal: Int) throws {
        source = ideal
        let base = ideal * table.wordCount
        for word in 0..<table.wordCount { current[word] = table.words[base + word] }
        currentHash = table.hashes[ideal]
        candidates.removeAll(keepingCapacity: true)
        for node in 0..<graph.nodeCount where !table.contains(ideal, node: node)
            && graph.predecessors[node].allSatisfy({ table.contains(ideal, node: $0) }) {
            candidates.append(node)
        }
        try explore(candidatesFrom: 0, to: candidates.count, stage: StageTotals())
    }

    struct StageTotals {
        var work = 0.0
        var commIn = 0.0
        var commOut = 0.0
        var memory = 0.0
        var cost: Double { work + commIn + commOut }
    }

    /// Include/exclude branching: taking candidate i first excludes candidates before it in this branch,
    /// so every ideal extension is produced exactly once.
    private func explore(candidatesFrom start: Int, to end: Int, stage: StageTotals) throws {
        for index in start..<end {
            let node = candidates[index]
            let value = graph.nodes[node]
            guard stage.memory + value.memory <= memoryCap, stage.work + value.work <= limit else { continue }
            transitions += 1
            if transitions > limits.transitionCount {
                throw PartitionError("graph \(graph.name) needs more than \(limits.transitionCount) DP transitions over its ideals; use brkga-10000 or certify")
            }
            var grown = stage
            grown.work += value.work
            grown.memory += value.memory
            for producer in graph.predecessors[node] {
                if inStage[producer] {
                    consumerCount[producer] -= 1
                    if consumerCount[producer] == 0 { grown.commOut -= graph.nodes[producer].comm }
                } else {
                    consumerCount[producer] += 1
                    if consumerCount[producer] == 1 { grown.commIn += graph.nodes[producer].comm }
                }
            }
            inStage[node] = true
            consumerCount[node] = graph.successors[node].count
            if consumerCount[node] > 0 { grown.commOut += value.comm }
            current[node >> 6] |= 1 << UInt64(node & 63)
            currentHash ^= table.codes[node]

            let cost = grown.cost
            if cost <= limit, let target = current.withUnsafeBufferPointer({ table.find($0, hash: currentHash) }) {
                relax(target, cost: cost)
            }
            let childStart = candidates.count
            for later in (index + 1)..<end { candidates.append(candidates[later]) }
            for consumer in graph.successors[node] where graph.predecessors[consumer].allSatisfy({ isIn($0) }) {
                candidates.append(consumer)
            }
            try explore(candidatesFrom: childStart, to: candidates.count, stage: grown)
            candidates.removeLast(candidates.count - childStart)

            current[node >> 6] &= ~(1 << UInt64(node & 63))
            currentHash ^= table.codes[node]
            inStage[node] = false
            consumerCount[node] = 0
            for producer in graph.predecessors[node] {
                consumerCount[producer] += inStage[producer] ? 1 : -1
            }
        }
    }

    private func isIn(_ node: Int) -> Bool { current[node >> 6] & (1 << UInt64(node & 63)) != 0 }

    private func relax(_ target: Int, cost: Double) {
        let width = stageCount + 1
        let row = source * width, targetRow = target * width
        for stages in firstUsable..<stageCount {
            let candidate = max(best[row + stages], cost)
            if candidate < best[targetRow + stages + 1] {
                best[targetRow + stages + 1] = candidate
                from[targetRow + stages + 1] = Int32(source)
            }
        }
    }

    /// Walks the `from` links back from the full ideal; stages are numbered from 0 in order.
    private func partition(endingAt full: Int) -> Partition {
        let width = stageCount + 1
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        var ideal = full
        var stages = stageCount
        var cuts: [(ideal: Int, previous: Int)] = []
        while ideal != 0 {
            let previous = Int(from[ideal * width + stages])
            stages -= 1
            if previous < 0 { continue }
            cuts.append((ideal, previous))
            ideal = previous
        }
        for (stage, cut) in cuts.reversed().enumerated() {
            for node in 0..<graph.nodeCount where table.contains(cut.ideal, node: node) && !table.contains(cut.previous, node: node) {
                stageOf[node] = stage
            }
        }
        return Partition(stageCount: stageCount, stageOf: stageOf)
    }
}
