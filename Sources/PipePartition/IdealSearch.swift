import PipeGraph

/// One run of the ideal DP over a listed table of quotient ideals (see ``IdealDP``). As the visitor of
/// a walk from J it keeps f(I \ J) of the growing stage over the original nodes, entering a unit's
/// members one by one, and relaxes every ideal I it reaches.
struct IdealSearch: IdealWalkVisitor {
    let graph: ComputationGraph
    let units: UnitGraph
    /// Node-level adjacency and costs: f is the exact cost over the original nodes.
    let predecessors: FlatAdjacency
    let successorCount: [Int]
    /// Node-level successors, for the pruning bound's outputs into J (training graphs only).
    let successors: FlatAdjacency
    let work: [Double]
    let comm: [Double]
    let memory: [Double]
    /// Members of each unit in topological order, and each unit's work and memory.
    let unitMembers: FlatAdjacency
    let unitWork: [Double]
    let unitMemory: [Double]
    let table: IdealTable
    let stageCount: Int
    /// The fewest stages asked for (``IdealDP/optima(of:stageCounts:upperBound:limits:shouldStop:)``):
    /// only a full partition with at most this many stages may lower U, so that every answer from here
    /// to `stageCount` stays exact.
    let fewestAnswered: Int
    /// U with its rounding slack: no stage of interest costs more. Lowered to the best full
    /// partition found so far (with the same slack) as the run goes: only better ones matter.
    var limit: Double
    let limits: IdealDP.Limits
    let shouldStop: (@Sendable () -> Bool)?
    let memoryCap: Double
    /// best[I * (k + 1) + s]: least bottleneck covering ideal I with at most s stages.
    var best: [Double]
    /// from[I * (k + 1) + s]: the ideal before the last stage, or −1 when s − 1 stages suffice.
    var from: [Int32]
    /// k − ⌈(W − w(I)) / U⌉ for each ideal I: the most stages that may precede it (as in the slicing DP).
    var mostUsed: [Int]

    // The walk from one J: the ideal it starts from, the stage counts it may relax, the current
    // ideal I as bits and hash, and the totals of I \ J (one entry per unit entered, for undoing).
    var source = 0
    var firstUsable = 0
    var lastUsable = 0
    /// The stage counts of J's row worth relaxing: the first usable one and each later one whose
    /// value drops (a count with the same value as the one before only adds a stage, which the
    /// target's carry to more stages already gives), with their values.
    var steps: [(stages: Int, value: Double)] = []
    /// The ideal covering every unit.
    var full = -1
    var current: [UInt64]
    var currentHash: UInt64 = 0
    var inStage: [Bool]
    /// Whether each node is in J, the ideal the current walk starts from.
    var inSource: [Bool]
    /// For a producer in J: how many of its consumers are in the stage. For a node in the stage: how many are not.
    var consumerCount: [Int]
    var totals: [StageTotals] = []
    var transitions = 0

    struct StageTotals {
        var work = 0.0
        var commIn = 0.0
        var commOut = 0.0
        var memory = 0.0
        /// The part of commIn + commOut that can only grow along the walk: producers in J (they never
        /// join the stage) and stage nodes with a consumer in J (it never joins either). In an
        /// inference graph every producer outside the stage is in J and no consumer is, so this is commIn.
        var fixedComm = 0.0
        var cost: Double { work + commIn + commOut }
        /// A lower bound on the cost of every stage this walk branch reaches (docs/partitioning.md,
        /// "Exact DP over ideals"): work and fixedComm only grow as the stage grows.
        var floor: Double { work + fixedComm }
    }

    init(graph: ComputationGraph, units: UnitGraph, table: IdealTable, stageCount: Int, fewestAnswered: Int? = nil,
         upperBound: Double, limits: IdealDP.Limits, shouldStop: (@Sendable () -> Bool)?) {
        self.fewestAnswered = fewestAnswered ?? stageCount
        self.graph = graph
        self.units = units
        predecessors = FlatAdjacency(graph.predecessors)
        successorCount = graph.successors.map(\.count)
        successors = FlatAdjacency(graph.successors)
        work = graph.nodes.map(\.work)
        comm = graph.nodes.map(\.comm)
        memory = graph.nodes.map(\.memory)
        unitMembers = FlatAdjacency(units.members)
        unitWork = units.work
        unitMemory = units.members.map { $0.reduce(0.0) { $0 + graph.nodes[$1].memory } }
        self.table = table
        self.stageCount = stageCount
        self.limits = limits
        self.shouldStop = shouldStop
        limit = upperBound.isFinite ? upperBound * (1 + OrderSlicer.upperBoundSlack) + 1e-12 : .infinity
        memoryCap = graph.stageMemory ?? .infinity
        best = [Double](repeating: .infinity, count: table.count * (stageCount + 1))
        from = [Int32](repeating: -1, count: table.count * (stageCount + 1))
        current = [UInt64](repeating: 0, count: table.wordCount)
        inStage = [Bool](repeating: false, count: graph.nodeCount)
        inSource = [Bool](repeating: false, count: graph.nodeCount)
        consumerCount = [Int](repeating: 0, count: graph.nodeCount)
        mostUsed = [Int](repeating: stageCount, count: table.count)
        if limit.isFinite {
            let totalWork = graph.totalWork
            for ideal in 0..<table.count {
                // O(ideals × units): under a time limit, stop early and leave the rest unpruned
                // (mostUsed = k is always sound); runAll then throws at its first poll.
                if ideal & 0xFFF == 0, shouldStop?() == true { break }
                var work = 0.0
                for unit in 0..<units.unitCount where table.contains(ideal, node: unit) { work += unitWork[unit] }
                // Sums in another order differ in the last bits: the slack keeps a full ideal at "no stage needed".
                let needed = (max(0, totalWork - work - 1e-9 * totalWork) / limit).rounded(.up)
                mostUsed[ideal] = needed > Double(stageCount) ? -1 : stageCount - Int(needed)
            }
        }
    }

    mutating func run() throws -> (partition: Partition, bottleneck: Double)? {
        try runAll()
        return answer(stages: stageCount)
    }

    /// The optimum with at most `stages` stages (≤ `stageCount`) after ``runAll()``, or nil when none is at most U.
    func answer(stages: Int) -> (partition: Partition, bottleneck: Double)? {
        guard full >= 0, best[full * (stageCount + 1) + stages].isFinite else { return nil }
        return (partition(endingAt: full, stages: stages), best[full * (stageCount + 1) + stages])
    }

    /// Fills the table: best[full][s] for every s ≤ `stageCount`.
    mutating func runAll() throws {
        let width = stageCount + 1
        let unitCount = units.unitCount
        // Smaller ideals first: every J ⊂ I is final before I pushes anything.
        var bySize = [[Int]](repeating: [], count: unitCount + 1)
        for index in 0..<table.count { bySize[table.size(of: index)].append(index) }
        guard let full = bySize[unitCount].first else { return }
        self.full = full
        best[0] = 0
        var walk = IdealWalk(predecessors: units.predecessors, successors: units.successors)
        var members = [Bool](repeating: false, count: unitCount)
        for ideal in bySize.joined() {
            let row = ideal * width
            for stages in 1..<width where best[row + stages - 1] < best[row + stages] {
                best[row + stages] = best[row + stages - 1]
                from[row + stages] = -1
            }
            lastUsable = min(stageCount - 1, mostUsed[ideal])
            guard ideal != full, lastUsable >= 0, best[row + lastUsable].isFinite, best[row + lastUsable] <= limit else { continue }
            firstUsable = 0
            while !best[row + firstUsable].isFinite { firstUsable += 1 }
            guard firstUsable <= lastUsable else { continue }
            if shouldStop?() == true { throw PartitionError.stopped }
            source = ideal
            steps.removeAll(keepingCapacity: true)
            for stages in firstUsable...lastUsable where stages == firstUsable || best[row + stages] < best[row + stages - 1] {
                steps.append((stages, best[row + stages]))
            }
            for unit in 0..<unitCount { members[unit] = table.contains(ideal, node: unit) }
            for node in 0..<graph.nodeCount { inSource[node] = members[units.unitOf[node]] }
            if firstUsable == stageCount - 1 {
                // Only the last stage is left: it must take everything outside J.
                finish(outside: members, full: full)
            } else {
                let base = ideal * table.wordCount
                for word in 0..<table.wordCount { current[word] = table.words[base + word] }
                currentHash = table.hashes[ideal]
                totals = [StageTotals()]
                try walk.walk(from: &members, visitor: &self)
            }
        }
    }

    mutating func enter(_ unit: Int) throws -> Bool {
        var grown = totals[totals.count - 1]
        // Memory and the floor (work plus the comm to and from J) only grow along a branch: beyond
        // the cap or U, no larger ideal helps. Not the whole input cost in a training graph: a
        // backward edge can run from a unit entering the stage to one already in it, and then the
        // input cost drops; its producers in J never join, so their part stays.
        guard grown.memory + unitMemory[unit] <= memoryCap, grown.floor + unitWork[unit] <= limit else { return false }
        transitions += 1
        if transitions > limits.transitionCount {
            throw PartitionError("graph \(graph.name) needs more than \(limits.transitionCount) DP transitions over its ideals; use brkga-10000 or certify")
        }
        if transitions & 0xFFFF == 0, shouldStop?() == true { throw PartitionError.stopped }
        grown.work += unitWork[unit]
        grown.memory += unitMemory[unit]
        // Members in topological order: a member's producers inside the unit are already in the stage.
        for position in unitMembers.range(of: unit) {
            let node = unitMembers.targets[position]
            for edge in predecessors.range(of: node) {
                let producer = predecessors.targets[edge]
                if inStage[producer] {
                    consumerCount[producer] -= 1
                    if consumerCount[producer] == 0 { grown.commOut -= comm[producer] }
                } else {
                    consumerCount[producer] += 1
                    if consumerCount[producer] == 1 {
                        grown.commIn += comm[producer]
                        if inSource[producer] { grown.fixedComm += comm[producer] }
                    }
                }
            }
            // Only in a training graph can a consumer lie in J (a backward edge into an earlier stage).
            if graph.isTraining {
                for edge in successors.range(of: node) where inSource[successors.targets[edge]] {
                    grown.fixedComm += comm[node]
                    break
                }
            }
            // In a training graph some consumers (backward nodes) may already be in the stage.
            let consumersInside = consumerCount[node]
            if consumersInside > 0 { grown.commIn -= comm[node] }
            inStage[node] = true
            consumerCount[node] = successorCount[node] - consumersInside
            if consumerCount[node] > 0 { grown.commOut += comm[node] }
        }
        current[unit >> 6] |= 1 << UInt64(unit & 63)
        currentHash ^= table.codes[unit]
        totals.append(grown)
        if grown.floor > limit {
            leave(unit)
            return false
        }

        let cost = grown.cost
        if cost <= limit, let target = current.withUnsafeBufferPointer({ table.find($0, hash: currentHash) }) {
            relax(target, cost: cost)
        }
        return true
    }

    mutating func leave(_ unit: Int) {
        totals.removeLast()
        current[unit >> 6] &= ~(1 << UInt64(unit & 63))
        currentHash ^= table.codes[unit]
        for position in unitMembers.range(of: unit).reversed() {
            let node = unitMembers.targets[position]
            inStage[node] = false
            consumerCount[node] = successorCount[node] - consumerCount[node]
            for edge in predecessors.range(of: node) {
                let producer = predecessors.targets[edge]
                consumerCount[producer] += inStage[producer] ? 1 : -1
            }
        }
    }

    /// Relaxes the full ideal through the single stage V \ J (`members` marks the units of J).
    private mutating func finish(outside members: [Bool], full: Int) {
        let rest = graph.nodes.indices.map { !members[units.unitOf[$0]] }
        let memory = graph.nodes.indices.reduce(0.0) { rest[$1] ? $0 + graph.nodes[$1].memory : $0 }
        guard memory <= memoryCap else { return }
        let cost = graph.stageCost(ofMask: rest)
        if cost <= limit { relax(full, cost: cost) }
    }

    private mutating func relax(_ target: Int, cost: Double) {
        let width = stageCount + 1
        let targetRow = target * width
        let lastSegments = min(lastUsable, mostUsed[target] - 1)
        guard firstUsable <= lastSegments else { return }
        for step in steps {
            if step.stages > lastSegments { break }
            let candidate = max(step.value, cost)
            if candidate < best[targetRow + step.stages + 1] {
                best[targetRow + step.stages + 1] = candidate
                from[targetRow + step.stages + 1] = Int32(source)
                if target == full, step.stages + 1 <= fewestAnswered {
                    // A full partition (fewer stages are still at most k): only better ones matter now.
                    limit = min(limit, candidate * (1 + OrderSlicer.upperBoundSlack) + 1e-12)
                }
            }
            // From here on J's values are at most the stage's cost: more stages give the same.
            if step.value <= cost { break }
        }
    }

    /// Walks the `from` links back from the full ideal; stages are numbered from 0 in order.
    private func partition(endingAt full: Int, stages stageLimit: Int) -> Partition {
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        let unitStage = table.unitStages(tracingBack: from, width: stageCount + 1, full: full, stageLimit: stageLimit,
                                         unitCount: units.unitCount)
        for (unit, stage) in unitStage.enumerated() {
            for node in units.members[unit] { stageOf[node] = stage }
        }
        return Partition(stageCount: stageLimit, stageOf: stageOf)
    }
}
