import PipeGraph

/// A local step after slicing: moves a node (with its whole colocation group) between a bottleneck
/// stage and a neighbouring stage while that lowers the bottleneck.
///
/// A move of a unit X from stage b to b ± 1 is allowed when no predecessor (moving down) or successor
/// (moving up) of X outside X stays in stage b, and the target stage keeps within the memory cap.
/// Only the two stages involved change cost (every other stage sees X outside itself before and
/// after). A move is taken only when both new costs are below the current bottleneck stage's cost,
/// so each move lowers the bottleneck or the number of stages at it; the search stops when the
/// costliest stage admits no such move. Moves into the bottleneck stage are tried too, because f is
/// not monotone: taking in a consumer can remove an out-communication term.
public struct BoundaryMoves {
    private let graph: ComputationGraph
    private var stageOf: [Int]
    private let stageCount: Int
    private var stageCost: [Double]
    private var stageMemory: [Double]
    /// Nodes of each stage, and every node's slot in its stage's list (for O(1) removal).
    private var members: [[Int]]
    private var slot: [Int]
    private var stamp: [Int]
    private var token = 0

    /// Improves `partition` (valid for `graph`) by boundary moves and returns the result, also valid.
    public static func improve(_ partition: Partition, in graph: ComputationGraph, moveLimit: Int? = nil) -> Partition {
        var search = BoundaryMoves(graph: graph, partition: partition)
        search.run(moveLimit: moveLimit ?? 10 * graph.nodeCount + 100)
        return Partition(stageCount: partition.stageCount, stageOf: search.stageOf)
    }

    private init(graph: ComputationGraph, partition: Partition) {
        self.graph = graph
        stageOf = partition.stageOf
        stageCount = partition.stageCount
        members = partition.stageMembers
        slot = [Int](repeating: 0, count: graph.nodeCount)
        for list in members {
            for (index, node) in list.enumerated() { slot[node] = index }
        }
        let loads = graph.stageLoads(of: partition)
        stageCost = loads.map(\.cost)
        stageMemory = loads.map(\.memory)
        stamp = [Int](repeating: 0, count: graph.nodeCount)
    }

    private mutating func run(moveLimit: Int) {
        for _ in 0..<moveLimit {
            guard let bottleneckStage = stageCost.indices.max(by: { stageCost[$0] < stageCost[$1] }),
                  let move = bestMove(around: bottleneckStage) else { return }
            apply(move)
        }
    }

    private struct Move {
        var unit: [Int]
        var from: Int
        var to: Int
        var newFromCost: Double
        var newToCost: Double
    }

    /// The move touching `stage` that leaves both stages involved cheapest, if both end below its cost.
    private mutating func bestMove(around stage: Int) -> Move? {
        let ceiling = stageCost[stage] * (1 - 1e-12) - 1e-12
        var best: Move? = nil
        var tried = Set<Int>()
        func consider(_ node: Int, from: Int, to: Int) {
            let unit = unitOf(node)
            guard tried.insert(unit[0] * 3 + (to - from + 1)).inserted else { return }
            guard canMove(unit, from: from, to: to) else { return }
            let (fromCost, toCost) = costsAfterMoving(unit, from: from, to: to)
            guard fromCost < ceiling, toCost < ceiling else { return }
            if best.map({ max(fromCost, toCost) < max($0.newFromCost, $0.newToCost) }) ?? true {
                best = Move(unit: unit, from: from, to: to, newFromCost: fromCost, newToCost: toCost)
            }
        }
        for node in members[stage] {
            if stage > 0 { consider(node, from: stage, to: stage - 1) }
            if stage < stageCount - 1 { consider(node, from: stage, to: stage + 1) }
        }
        if stage > 0 { for node in members[stage - 1] { consider(node, from: stage - 1, to: stage) } }
        if stage < stageCount - 1 { for node in members[stage + 1] { consider(node, from: stage + 1, to: stage) } }
        return best
    }

    private func unitOf(_ node: Int) -> [Int] {
        guard let group = graph.groupOf[node] else { return [node] }
        return graph.groupMembers[group]
    }

    private func canMove(_ unit: [Int], from: Int, to: Int) -> Bool {
        if let cap = graph.stageMemory {
            let moved = unit.reduce(0.0) { $0 + graph.nodes[$1].memory }
            if stageMemory[to] + moved > cap { return false }
        }
        let inUnit = { (node: Int) in unit.contains(node) }
        for node in unit {
            // Moving down, nothing that feeds the unit may stay behind; moving up, nothing it feeds.
            let blockers = to < from ? graph.precedencePredecessors[node] : graph.precedenceSuccessors[node]
            if blockers.contains(where: { stageOf[$0] == from && !inUnit($0) }) { return false }
        }
        return true
    }

    /// The new costs of `from` and `to` after the move, by re-adding the contributions of the nodes
    /// whose terms can change: the unit and its direct neighbours.
    private mutating func costsAfterMoving(_ unit: [Int], from: Int, to: Int) -> (Double, Double) {
        token += 1
        var affected: [Int] = []
        for node in unit {
            for neighbour in [node] + graph.predecessors[node] + graph.successors[node] where stamp[neighbour] != token {
                stamp[neighbour] = token
                affected.append(neighbour)
            }
        }
        var fromCost = stageCost[from], toCost = stageCost[to]
        for node in affected {
            fromCost -= contribution(of: node, to: from)
            toCost -= contribution(of: node, to: to)
        }
        for node in unit { stageOf[node] = to }
        for node in affected {
            fromCost += contribution(of: node, to: from)
            toCost += contribution(of: node, to: to)
        }
        for node in unit { stageOf[node] = from }
        return (fromCost, toCost)
    }

    /// What `node` adds to f of `stage`: its work and out-term when inside, its in-term when it feeds the stage from outside.
    private func contribution(of node: Int, to stage: Int) -> Double {
        let value = graph.nodes[node]
        if stageOf[node] == stage {
            let sendsOut = graph.successors[node].contains { stageOf[$0] != stage }
            return value.work + (sendsOut ? value.comm : 0)
        }
        return graph.successors[node].contains { stageOf[$0] == stage } ? value.comm : 0
    }

    private mutating func apply(_ move: Move) {
        for node in move.unit {
            let list = move.from
            let last = members[list].removeLast()
            if last != node {
                members[list][slot[node]] = last
                slot[last] = slot[node]
            }
            slot[node] = members[move.to].count
            members[move.to].append(node)
            stageOf[node] = move.to
            stageMemory[move.from] -= graph.nodes[node].memory
            stageMemory[move.to] += graph.nodes[node].memory
        }
        // Re-cost both stages from scratch so that rounding never accumulates over many moves.
        stageCost[move.from] = exactCost(of: move.from)
        stageCost[move.to] = exactCost(of: move.to)
    }

    private mutating func exactCost(of stage: Int) -> Double {
        token += 1
        var cost = 0.0
        for node in members[stage] {
            cost += contribution(of: node, to: stage)
            for producer in graph.predecessors[node] where stageOf[producer] != stage && stamp[producer] != token {
                stamp[producer] = token
                cost += graph.nodes[producer].comm
            }
        }
        return cost
    }
}
