import PipeGraph

/// The `moves` tie-break without a memory cap: among the optimal closures of the minimum cut,
/// the stage map of least bottleneck, by a depth-first branch and bound over the nodes the
/// optima disagree on (docs/repair.md, "Fast exact paths").
///
/// The optima are the sets of closure variables z(v, b) = [s(v) > b] that lie between the least
/// and the greatest optimum and that no residual arc leaves. Every node v then ranges over
/// least(v)...greatest(v), and its undecided variables are exactly the layers in between, so a
/// node's domain is an interval [low(v), high(v)] that branching splits in two: setting one
/// variable forces its residual successors, clearing one its residual predecessors. The bound
/// on every completion is the largest of (a) for every stage, the cost it surely pays (the work
/// of the nodes surely in it, the comm of the producers whose crossing is sure) plus, for every
/// undecided node whose domain holds it, the least that node adds to it wherever it goes (in the
/// stage: its work and sure comm; elsewhere: the comm it or a producer then sends across), and
/// (b) for every interval of stages a...b, the average over it of the sure costs plus the work of
/// the undecided nodes whose domain lies inside it, their comm when they surely send, and the
/// comm they surely receive. Only the nodes near an undecided one are re-costed at each search
/// node, so one step costs O(their edges · domain widths + k²), not O(n k).
///
/// With a memory cap the minimum cut is only a relaxation, but when one of its optima meets the
/// cap that optimum needs the fewest moves of all valid partitions: the search then also prunes
/// every domain in which some stage, or interval of stages, surely holds more than the cap
/// allows, and finds the least-bottleneck optimum that meets it (or proves that none does).
struct TieBreakSearch {
    /// The best stage map found below the incumbent (nil: none), its bottleneck, whether the
    /// search finished (then nothing better exists), and the search nodes visited.
    struct Result {
        var stageOf: [Int]?
        var bottleneck: Double
        var isComplete: Bool
        var visited: Int
    }

    private let graph: ComputationGraph
    private let stageCount: Int
    private let least: [Int]
    private let greatest: [Int]
    /// Per free variable: its node, and its residual successors and predecessors (free variable indices).
    private let variableNode: [Int32]
    private let successors: [[Int32]]
    private let predecessors: [[Int32]]
    /// The free variable of node v and stage boundary b is firstVariable[v] + b − least(v).
    private let firstVariable: [Int32]
    /// Nodes with least(v) < greatest(v), heaviest first (the branching order).
    private let freeNodes: [Int]
    /// The work and memory of each free node (the hot loops read these flat copies, not the nodes).
    private let freeWork: [Double]
    private let freeMemory: [Double]
    /// Producers whose comm may depend on the choices: free, or feeding a free node; their comm,
    /// and their consumers, those of affectedProducers[i] at consumers[consumerStart[i]..<consumerStart[i + 1]].
    private let affectedProducers: [Int]
    /// The index of each node in affectedProducers (−1: none).
    private let producerSlot: [Int32]
    private let affectedComm: [Double]
    private let consumerStart: [Int]
    private let consumers: [Int]
    /// What every stage pays whatever the choices: the work of the fixed nodes, the comm of the other producers.
    private let baseCost: [Double]
    /// The memory of the fixed nodes per stage, and the cap (nil: none).
    private let baseMemory: [Double]
    private let memoryCap: Double?

    // Search state.
    private var assignment: [Int8]
    private var ones: [Int32]
    private var zeros: [Int32]
    private var trail: [Int32] = []
    private var cost: [Double]
    private var undecidedWork: [Double]
    private var memory: [Double]
    private var undecidedMemory: [Double]
    private var inside: [Double]
    private var lastCounted: [Int]
    /// Per stage, the least the undecided nodes add to it; per (affected producer, stage) and per
    /// affected producer, the call of ``stageIncrementBound()`` that claimed its receive or send term.
    private var increment: [Double]
    private var receiveClaim: [Int]
    private var sendClaim: [Int]
    private var claimStamp = 0
    private var best: Double = .infinity
    private var bestStageOf: [Int]?
    private var visited = 0
    private var aborted = false

    /// The search over the stage maps between `least` and `greatest`; `freeVariables` lists the
    /// closure variables (node, layer) the two disagree on, node by node in increasing layer,
    /// and `successors` / `predecessors` their residual arcs among themselves (indices into it).
    init(graph: ComputationGraph, stageCount: Int, least: [Int], greatest: [Int],
         freeVariables: [(node: Int, layer: Int)], successors: [[Int32]], predecessors: [[Int32]]) {
        self.graph = graph
        self.stageCount = stageCount
        self.least = least
        self.greatest = greatest
        self.successors = successors
        self.predecessors = predecessors
        variableNode = freeVariables.map { Int32($0.node) }
        var first = [Int32](repeating: -1, count: graph.nodeCount)
        for (index, variable) in freeVariables.enumerated() where first[variable.node] < 0 { first[variable.node] = Int32(index) }
        firstVariable = first
        freeNodes = graph.nodes.indices.filter { least[$0] < greatest[$0] }
            .sorted { (graph.nodes[$0].work, -$0) > (graph.nodes[$1].work, -$1) }
        var affected = [Bool](repeating: false, count: graph.nodeCount)
        for node in freeNodes {
            affected[node] = true
            for producer in graph.predecessors[node] { affected[producer] = true }
        }
        affectedProducers = graph.nodes.indices.filter { affected[$0] && graph.nodes[$0].comm > 0 && !graph.successors[$0].isEmpty }
        freeWork = freeNodes.map { graph.nodes[$0].work }
        freeMemory = freeNodes.map { graph.nodes[$0].memory }
        affectedComm = affectedProducers.map { graph.nodes[$0].comm }
        consumers = affectedProducers.flatMap { graph.successors[$0] }
        consumerStart = affectedProducers.reduce(into: [0]) { starts, producer in starts.append(starts.last! + graph.successors[producer].count) }
        // The fixed part: fixed nodes' work and the exact comm of the producers no choice touches.
        var base = [Double](repeating: 0, count: stageCount)
        var fixedMemory = [Double](repeating: 0, count: stageCount)
        var counted = [Int](repeating: -1, count: stageCount)
        for node in graph.nodes.indices {
            let stage = least[node]
            if stage == greatest[node] {
                base[stage] += graph.nodes[node].work
                fixedMemory[stage] += graph.nodes[node].memory
            }
            guard !affected[node] else { continue }
            var sendsOut = false
            for consumer in graph.successors[node] where least[consumer] != stage {
                sendsOut = true
                if counted[least[consumer]] != node {
                    counted[least[consumer]] = node
                    base[least[consumer]] += graph.nodes[node].comm
                }
            }
            if sendsOut { base[stage] += graph.nodes[node].comm }
        }
        baseCost = base
        baseMemory = fixedMemory
        memoryCap = graph.stageMemory
        memory = fixedMemory
        undecidedMemory = [Double](repeating: 0, count: stageCount * stageCount)
        inside = [Double](repeating: 0, count: stageCount)
        assignment = [Int8](repeating: -1, count: freeVariables.count)
        ones = [Int32](repeating: 0, count: graph.nodeCount)
        zeros = [Int32](repeating: 0, count: graph.nodeCount)
        cost = base
        undecidedWork = [Double](repeating: 0, count: stageCount * stageCount)
        lastCounted = [Int](repeating: -1, count: stageCount)
        var slots = [Int32](repeating: -1, count: graph.nodeCount)
        for (index, producer) in affectedProducers.enumerated() { slots[producer] = Int32(index) }
        producerSlot = slots
        increment = [Double](repeating: 0, count: stageCount)
        receiveClaim = [Int](repeating: 0, count: affectedProducers.count * stageCount)
        sendClaim = [Int](repeating: 0, count: affectedProducers.count)
    }

    private func low(_ node: Int) -> Int { least[node] + Int(ones[node]) }
    private func high(_ node: Int) -> Int { greatest[node] - Int(zeros[node]) }

    /// Searches for a stage map of bottleneck below `incumbent` (meeting the memory cap), visiting at most `searchLimit`
    /// search nodes; `shouldStop` (a time limit, a stop flag) is asked every 1 024 of them.
    mutating func run(incumbent: Double, searchLimit: Int, shouldStop: () -> Bool) -> Result {
        best = incumbent
        search(limit: searchLimit, shouldStop: shouldStop)
        return Result(stageOf: bestStageOf, bottleneck: best, isComplete: !aborted, visited: visited)
    }

    private mutating func search(limit: Int, shouldStop: () -> Bool) {
        guard !aborted else { return }
        visited += 1
        if visited > limit || (visited & 1023 == 0 && shouldStop()) { aborted = true; return }
        let bound = lowerBound()
        // Only a strictly better map is worth finding; the margin absorbs summation order.
        guard bound < best, best.isInfinite || bound < best - 1e-12 * Swift.max(1, best) else { return }
        guard let node = freeNodes.first(where: { low($0) < high($0) }) else {
            let stageOf = graph.nodes.indices.map { low($0) }
            let value = graph.bottleneck(of: Partition(stageCount: stageCount, stageOf: stageOf))
            if value < best { best = value; bestStageOf = stageOf }
            return
        }
        let from = low(node), to = high(node)
        let split = (from + to - 1) / 2
        // Try first the half whose cheapest stage is cheaper (`cost` holds this node's sure costs).
        let lowerFirst = cost[from...split].min()! <= cost[(split + 1)...to].min()!
        let variable = Int(firstVariable[node]) + split - least[node]
        for value: Int8 in lowerFirst ? [0, 1] : [1, 0] {
            let mark = trail.count
            propagate(variable, to: value)
            search(limit: limit, shouldStop: shouldStop)
            undo(to: mark)
            if aborted { return }
        }
    }

    /// Sets a free variable and everything the residual arcs force with it.
    private mutating func propagate(_ start: Int, to value: Int8) {
        set(start, to: value)
        var stack = [start]
        while let next = stack.popLast() {
            for neighbour in value == 1 ? successors[next] : predecessors[next] where assignment[Int(neighbour)] < 0 {
                set(Int(neighbour), to: value)
                stack.append(Int(neighbour))
            }
        }
    }

    private mutating func set(_ variable: Int, to value: Int8) {
        assignment[variable] = value
        trail.append(Int32(variable))
        let node = Int(variableNode[variable])
        if value == 1 { ones[node] += 1 } else { zeros[node] += 1 }
    }

    private mutating func undo(to mark: Int) {
        while trail.count > mark {
            let variable = Int(trail.removeLast())
            let node = Int(variableNode[variable])
            if assignment[variable] == 1 { ones[node] -= 1 } else { zeros[node] -= 1 }
            assignment[variable] = -1
        }
    }

    /// A lower bound on the bottleneck of every completion of the current domains (infinity when
    /// none meets the memory cap); leaves `cost` holding each stage's sure cost.
    private mutating func lowerBound() -> Double {
        let stages = stageCount
        for stage in 0..<stages { cost[stage] = baseCost[stage]; lastCounted[stage] = -1 }
        for index in undecidedWork.indices { undecidedWork[index] = 0 }
        for (index, node) in freeNodes.enumerated() {
            let from = low(node), to = high(node)
            if from == to { cost[from] += freeWork[index] } else { undecidedWork[from * stages + to] += freeWork[index] }
        }
        if let memoryCap, !memoryFits(cap: memoryCap) { return .infinity }
        for (index, producer) in affectedProducers.enumerated() {
            let from = low(producer), to = high(producer)
            let comm = affectedComm[index]
            var sendsOut = false
            for position in consumerStart[index]..<consumerStart[index + 1] {
                let consumer = consumers[position]
                let consumerLow = low(consumer), consumerHigh = high(consumer)
                if consumerLow == consumerHigh, consumerLow < from || consumerLow > to, lastCounted[consumerLow] != producer {
                    // The consumer's stage surely receives this producer's comm, once.
                    lastCounted[consumerLow] = producer
                    cost[consumerLow] += comm
                }
                // Surely in another stage (in a training graph a backward consumer may sit in an earlier one).
                if consumerLow > to || consumerHigh < from { sendsOut = true }
            }
            // A producer that surely sends pays its comm in its own stage: known, or one of its domain's.
            if sendsOut {
                if from == to { cost[from] += comm } else { undecidedWork[from * stages + to] += comm }
            }
            // An undecided consumer surely apart from the producer receives its comm in a stage of its
            // domain; consumers with pairwise disjoint domains, none holding a stage counted above,
            // receive it in distinct stages, so each may add it to its domain's weight. lastCounted
            // marks the stages claimed so far.
            for position in consumerStart[index]..<consumerStart[index + 1] {
                let consumer = consumers[position]
                let consumerLow = low(consumer), consumerHigh = high(consumer)
                guard consumerLow < consumerHigh, consumerLow > to || consumerHigh < from,
                      !(consumerLow...consumerHigh).contains(where: { lastCounted[$0] == producer }) else { continue }
                for stage in consumerLow...consumerHigh { lastCounted[stage] = producer }
                undecidedWork[consumerLow * stages + consumerHigh] += comm
            }
        }
        var bound = Swift.max(cost.max() ?? 0, stageIncrementBound())
        // Stages a...b together pay their sure costs plus the work of the undecided nodes confined to them.
        // inside[h] accumulates, for the current a, the work of domains [l, h] with l ≥ a.
        for stage in 0..<stages { inside[stage] = 0 }
        for first in stride(from: stages - 1, through: 0, by: -1) {
            for last in first..<stages { inside[last] += undecidedWork[first * stages + last] }
            var total = 0.0
            for last in first..<stages {
                total += cost[last] + inside[last]
                if last > first { bound = Swift.max(bound, total / Double(last - first + 1)) }
            }
        }
        return bound
    }

    /// Each stage t pays its sure cost plus, for every undecided node u whose domain holds t, the
    /// least that u adds to t's cost wherever it goes: in t, its work, its comm when some consumer
    /// surely sits elsewhere, and the comm of producers surely elsewhere; elsewhere, its comm when
    /// a consumer surely sits in t, and the comm of a producer surely in t that sends nowhere else
    /// for sure. Each producer's term is claimed by one node at most (a producer sends, and a stage
    /// receives its comm, once), so the least additions add up: the bound is the largest total.
    private mutating func stageIncrementBound() -> Double {
        claimStamp += 1
        let stamp = claimStamp
        for stage in 0..<stageCount { increment[stage] = 0 }
        for (index, node) in freeNodes.enumerated() {
            let from = low(node), to = high(node)
            guard from < to else { continue }
            let comm = graph.nodes[node].comm
            // The node sends nowhere exactly in the stages every consumer's domain holds.
            var sharedLow = 0, sharedHigh = stageCount - 1
            for consumer in graph.successors[node] {
                sharedLow = Swift.max(sharedLow, low(consumer))
                sharedHigh = Swift.min(sharedHigh, high(consumer))
            }
            for stage in from...to {
                var costIfHere = freeWork[index]
                if stage < sharedLow || stage > sharedHigh { costIfHere += comm }
                var costIfElsewhere = 0.0
                if graph.successors[node].contains(where: { low($0) == stage && high($0) == stage }) { costIfElsewhere += comm }
                for producer in graph.predecessors[node] {
                    // Producers without comm are not among the affected ones: they add nothing.
                    let slot = Int(producerSlot[producer])
                    guard slot >= 0 else { continue }
                    let producerLow = low(producer), producerHigh = high(producer)
                    if producerLow > stage || producerHigh < stage {
                        // Received in this stage if the node sits here, unless a sure consumer already brings it.
                        let key = slot * stageCount + stage
                        guard receiveClaim[key] != stamp,
                              !graph.successors[producer].contains(where: { low($0) == stage && high($0) == stage }) else { continue }
                        receiveClaim[key] = stamp
                        costIfHere += graph.nodes[producer].comm
                    } else if producerLow == stage, producerHigh == stage, sendClaim[slot] != stamp,
                              !graph.successors[producer].contains(where: { low($0) > stage || high($0) < stage }) {
                        // Sent from this stage if the node sits elsewhere, unless it surely sends already.
                        sendClaim[slot] = stamp
                        costIfElsewhere += graph.nodes[producer].comm
                    }
                }
                increment[stage] += Swift.min(costIfHere, costIfElsewhere)
            }
        }
        var bound = 0.0
        for stage in 0..<stageCount { bound = Swift.max(bound, cost[stage] + increment[stage]) }
        return bound
    }

    /// Whether every stage, and every interval of stages, can still hold its sure memory plus
    /// that of the undecided nodes confined to it.
    private mutating func memoryFits(cap: Double) -> Bool {
        let stages = stageCount
        // A hair of slack: sums in another order must not reject a partition `violations` accepts.
        let slack = 1 + 1e-12
        for stage in 0..<stages { memory[stage] = baseMemory[stage]; inside[stage] = 0 }
        for index in undecidedMemory.indices { undecidedMemory[index] = 0 }
        for (index, node) in freeNodes.enumerated() {
            let from = low(node), to = high(node)
            if from == to { memory[from] += freeMemory[index] } else { undecidedMemory[from * stages + to] += freeMemory[index] }
        }
        for first in stride(from: stages - 1, through: 0, by: -1) {
            for last in first..<stages { inside[last] += undecidedMemory[first * stages + last] }
            var total = 0.0
            for last in first..<stages {
                total += memory[last] + inside[last]
                if total > cap * Double(last - first + 1) * slack { return false }
            }
        }
        return true
    }
}
