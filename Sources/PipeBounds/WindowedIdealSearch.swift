import Foundation
import MIP
import PipeGraph

/// An exact probe "is there a partition with bottleneck ≤ T?" answered by depth-first search over
/// (stage, ideal) inside the stage windows at T, instead of a MIP (docs/formulations.md, "L4 search probe").
///
/// Stage boundaries are ideals of the graph with colocation groups contracted into units (``StageUnits``:
/// groups that feed each other merged too, so the units form a DAG). From the
/// boundary I after stages 0..b−1, stage b is every nonempty S with I ∪ S an ideal that holds each unit
/// whose window ends by b, no unit whose window starts after b, costs f(S) ≤ T, fits the memory cap, and
/// leaves work and memory that k − 1 − b more stages can carry. S is grown one ready unit at a time with
/// f kept incrementally; work, input comm, memory and the output comm of units whose consumers cannot
/// join stage b only grow, so a branch stops as soon as they pass T. A boundary that failed at stage b
/// fails at every later stage too (empty stages can be inserted), so failures are memoised by the
/// boundary alone with the earliest stage they failed at. The work is capped by a count of steps, not by
/// the clock, so answers are deterministic; the stop flag and the deadline are checked as well.
struct WindowedIdealSearch {
    /// What a probe established.
    enum Verdict {
        /// A valid partition whose computed bottleneck is ≤ T (up to ``relativeSlack``); re-cost it.
        case feasible(Partition)
        /// No partition has bottleneck ≤ T.
        case infeasible
        /// The step budget, the stop flag or the deadline ended the search: nothing proven.
        case unknown
    }

    /// Relative slack on T when pruning, well above the rounding error of the incremental sums, so a
    /// stage whose exact cost is ≤ T is never pruned; the bound reported is T itself rounded down.
    static let relativeSlack = 1e-10

    let graph: ComputationGraph
    let stageCount: Int
    /// Units (``StageUnits``): what must share a stage. Members in topological order.
    let unitMembers: [[Int]]
    let unitOf: [Int]
    let unitSuccessors: [[Int]]
    let unitPredecessorCount: [Int]
    let unitWork: [Double]
    let unitMemory: [Double]
    let work: [Double]
    let comm: [Double]
    let totalWork: Double
    let totalMemory: Double
    let memoryCap: Double
    /// Rounding slack of the sums, absolute part: proportional to everything a sum may touch.
    let absoluteSlack: Double
    let wordCount: Int

    // One probe's state.
    private var limit = 0.0
    private var earliest: [Int] = []
    private var latest: [Int] = []
    /// The largest earliest stage among a node's consumers outside its unit (−1: none).
    private var consumerEarliest: [Int] = []
    private var unitIn: [Bool]
    private var missing: [Int]
    private var inStage: [Bool]
    private var counts: [Int]
    private var bits: [UInt64]
    private var boundaryWork = 0.0
    private var boundaryMemory = 0.0
    private var failedAt: [[UInt64]: Int] = [:]
    private var chosen: [[Int]] = []
    private(set) var steps = 0
    private var stepLimit = 0
    private var stopFlag: StopFlag?
    private var deadline: Date?
    private var aborted = false

    init(graph: ComputationGraph, stageCount: Int) {
        self.graph = graph
        self.stageCount = stageCount
        let units = StageUnits(graph: graph)
        let unitOf = units.unitOf
        var members = [[Int]](repeating: [], count: units.count)
        for node in graph.topologicalOrder { members[unitOf[node]].append(node) }
        var successors = [[Int]](repeating: [], count: members.count)
        var predecessorCount = [Int](repeating: 0, count: members.count)
        for (unit, nodes) in members.enumerated() {
            var seen = Set<Int>()
            for node in nodes {
                for consumer in graph.successors[node] where unitOf[consumer] != unit && seen.insert(unitOf[consumer]).inserted {
                    successors[unit].append(unitOf[consumer])
                    predecessorCount[unitOf[consumer]] += 1
                }
            }
        }
        self.unitMembers = members
        self.unitOf = unitOf
        self.unitSuccessors = successors
        self.unitPredecessorCount = predecessorCount
        work = graph.nodes.map(\.work)
        comm = graph.nodes.map(\.comm)
        unitWork = members.map { $0.reduce(0) { $0 + graph.nodes[$1].work } }
        unitMemory = members.map { $0.reduce(0) { $0 + graph.nodes[$1].memory } }
        totalWork = graph.totalWork
        totalMemory = graph.nodes.reduce(0) { $0 + $1.memory }
        memoryCap = graph.stageMemory ?? .infinity
        absoluteSlack = 1e-12 * (totalWork + 2 * graph.nodes.reduce(0) { $0 + $1.comm })
        wordCount = Swift.max(1, (members.count + 63) / 64)
        unitIn = [Bool](repeating: false, count: members.count)
        missing = predecessorCount
        inStage = [Bool](repeating: false, count: graph.nodeCount)
        counts = [Int](repeating: 0, count: graph.nodeCount)
        bits = [UInt64](repeating: 0, count: wordCount)
    }

    /// Answers "is there a partition with bottleneck ≤ `bottleneck`?" given the stage windows at that
    /// value (or at any larger value: wider windows only cost time). At most `stepLimit` steps.
    mutating func probe(bottleneck: Double, windows: StageWindows, stepLimit: Int, stopFlag: StopFlag?,
                        deadline: Date?) -> Verdict {
        limit = bottleneck * (1 + Self.relativeSlack) + absoluteSlack
        self.stepLimit = stepLimit
        self.stopFlag = stopFlag
        self.deadline = deadline
        steps = 0
        aborted = false
        failedAt.removeAll()
        chosen.removeAll()
        // A unit's window is the intersection of its members' (they are equal when groups are contracted).
        earliest = unitMembers.map { $0.map { windows.earliest[$0] }.max() ?? 0 }
        latest = unitMembers.map { $0.map { windows.latest[$0] }.min() ?? 0 }
        for unit in unitMembers.indices where earliest[unit] > latest[unit] { return .infeasible }
        consumerEarliest = (0..<graph.nodeCount).map { node in
            graph.successors[node].filter { unitOf[$0] != unitOf[node] }.map { earliest[unitOf[$0]] }.max() ?? -1
        }
        let found = search(stage: 0)
        if found {
            var stageOf = [Int](repeating: 0, count: graph.nodeCount)
            for (stage, units) in chosen.enumerated() {
                for unit in units { for node in unitMembers[unit] { stageOf[node] = stage } }
            }
            resetBoundary()
            return .feasible(Partition(stageCount: stageCount, stageOf: stageOf))
        }
        resetBoundary()
        return aborted ? .unknown : .infeasible
    }

    /// Undoes every stage still applied after a successful search.
    private mutating func resetBoundary() {
        while let units = chosen.popLast() { unapply(units) }
    }

    /// Counts a step; false (and the search aborted) once the budget, the stop flag or the deadline says so.
    private mutating func step() -> Bool {
        steps += 1
        if steps > stepLimit { aborted = true }
        if steps & 4095 == 0 {
            if stopFlag?.isStopped == true { aborted = true }
            if let deadline, Date() >= deadline { aborted = true }
        }
        return !aborted
    }

    /// Whether stages `stage`..k−1 can take every unit outside the current boundary.
    private mutating func search(stage: Int) -> Bool {
        guard step() else { return false }
        if unitIn.allSatisfy({ $0 }) { return true }
        if stage == stageCount - 1 { return lastStageFits() }
        for candidate in stageCandidates(stage: stage) {
            if aborted { return false }
            apply(candidate.units)
            if let failed = failedAt[bits], failed <= stage + 1 {
                unapply(candidate.units)
                continue
            }
            chosen.append(candidate.units)
            if search(stage: stage + 1) { return true }
            chosen.removeLast()
            if !aborted { failedAt[bits] = Swift.min(failedAt[bits] ?? .max, stage + 1) }
            unapply(candidate.units)
        }
        return false
    }

    /// Whether everything outside the boundary fits in one stage: memory, and f within the limit.
    private mutating func lastStageFits() -> Bool {
        steps += unitMembers.count / 8
        var rest = [Bool](repeating: false, count: graph.nodeCount)
        var memory = 0.0
        var units: [Int] = []
        for unit in unitMembers.indices where !unitIn[unit] {
            units.append(unit)
            memory += unitMemory[unit]
            for node in unitMembers[unit] { rest[node] = true }
        }
        guard memory <= memoryCap, graph.stageCost(ofMask: rest) <= limit else { return false }
        apply(units)
        chosen.append(units)
        return true
    }

    /// Marks `units` as inside the boundary (a chosen stage).
    private mutating func apply(_ units: [Int]) {
        for unit in units {
            unitIn[unit] = true
            bits[unit >> 6] |= 1 << UInt64(unit & 63)
            boundaryWork += unitWork[unit]
            boundaryMemory += unitMemory[unit]
            for consumer in unitSuccessors[unit] { missing[consumer] -= 1 }
        }
    }

    private mutating func unapply(_ units: [Int]) {
        for unit in units.reversed() {
            unitIn[unit] = false
            bits[unit >> 6] &= ~(1 << UInt64(unit & 63))
            boundaryWork -= unitWork[unit]
            boundaryMemory -= unitMemory[unit]
            for consumer in unitSuccessors[unit] { missing[consumer] += 1 }
        }
    }

    /// Running totals of the stage being grown.
    private struct StageTotals {
        var work = 0.0
        var commIn = 0.0
        var commOut = 0.0
        /// Output comm of members with a consumer whose window starts after this stage: paid whatever joins.
        var forcedOut = 0.0
        var memory = 0.0
        /// Units whose window ends by this stage and are not yet in.
        var requiredLeft = 0
        /// What only grows as the stage grows: a lower bound on f of every larger stage of this branch.
        var floor: Double { work + commIn + forcedOut }
        var cost: Double { work + commIn + commOut }
    }

    /// One possible stage: its units, and its work (the order they are tried in).
    private struct Candidate {
        var units: [Int]
        var work: Double
    }

    /// Every stage `stage` may take from the current boundary, heaviest first; empty when aborted.
    private mutating func stageCandidates(stage: Int) -> [Candidate] {
        let stagesAfter = Double(stageCount - 1 - stage)
        steps += unitMembers.count / 8
        var start = StageTotals()
        var candidates: [Int] = []
        var required: [Int] = []
        for unit in unitMembers.indices where !unitIn[unit] {
            if latest[unit] <= stage { start.requiredLeft += 1 }
            guard missing[unit] == 0, earliest[unit] <= stage else { continue }
            if latest[unit] <= stage { required.append(unit) } else { candidates.append(unit) }
        }
        // Required units first: once the walk passes one, the rest of its frame is dead.
        candidates = required + candidates
        var found: [Candidate] = []
        var totals = [start]
        var path: [Int] = []
        var frames = [(start: 0, end: candidates.count, next: 0, unit: -1)]
        while let top = frames.last {
            if top.next == top.end || aborted {
                frames.removeLast()
                candidates.removeLast(candidates.count - top.start)
                if top.unit >= 0 {
                    leave(top.unit)
                    totals.removeLast()
                    path.removeLast()
                    // Every later sibling would leave this required unit out of the stage.
                    if latest[top.unit] <= stage, !frames.isEmpty { frames[frames.count - 1].next = frames[frames.count - 1].end }
                }
                continue
            }
            frames[frames.count - 1].next += 1
            let unit = candidates[top.next]
            guard step() else { continue }
            let current = totals[totals.count - 1]
            guard current.work + unitWork[unit] <= limit, current.memory + unitMemory[unit] <= memoryCap,
                  let grown = enter(unit, stage: stage, totals: current) else {
                if latest[unit] <= stage { frames[frames.count - 1].next = top.end }
                continue
            }
            totals.append(grown)
            path.append(unit)
            if grown.requiredLeft == 0, grown.cost <= limit,
               totalWork - boundaryWork - grown.work <= stagesAfter * limit,
               totalMemory - boundaryMemory - grown.memory <= stagesAfter * memoryCap {
                found.append(Candidate(units: path, work: grown.work))
                // Stored candidates cost memory: charge them, so the budget bounds it too.
                steps += path.count / 4
            }
            let childStart = candidates.count
            for later in (top.next + 1)..<top.end { candidates.append(candidates[later]) }
            for consumer in unitSuccessors[unit] where missing[consumer] == 0 && earliest[consumer] <= stage {
                candidates.append(consumer)
            }
            frames.append((childStart, candidates.count, childStart, unit))
        }
        if aborted { return [] }
        found.sort { $0.work > $1.work }
        return found
    }

    /// Adds `unit` to the stage and returns the grown totals, or leaves everything as it was and returns
    /// nil when the stage's floor passes the limit.
    private mutating func enter(_ unit: Int, stage: Int, totals: StageTotals) -> StageTotals? {
        var grown = totals
        for node in unitMembers[unit] {
            grown.work += work[node]
            for producer in graph.predecessors[node] {
                if inStage[producer] {
                    counts[producer] -= 1
                    if counts[producer] == 0 { grown.commOut -= comm[producer] }
                } else {
                    counts[producer] += 1
                    if counts[producer] == 1 { grown.commIn += comm[producer] }
                }
            }
            inStage[node] = true
            counts[node] = graph.successors[node].count
            if counts[node] > 0 {
                grown.commOut += comm[node]
                if consumerEarliest[node] > stage { grown.forcedOut += comm[node] }
            }
        }
        grown.memory += unitMemory[unit]
        if latest[unit] <= stage { grown.requiredLeft -= 1 }
        unitIn[unit] = true
        for consumer in unitSuccessors[unit] { missing[consumer] -= 1 }
        guard grown.floor <= limit else {
            leave(unit)
            return nil
        }
        return grown
    }

    /// Takes `unit` out of the stage again (the reverse of ``enter(_:stage:totals:)``).
    private mutating func leave(_ unit: Int) {
        unitIn[unit] = false
        for consumer in unitSuccessors[unit] { missing[consumer] += 1 }
        for node in unitMembers[unit].reversed() {
            inStage[node] = false
            counts[node] = 0
            for producer in graph.predecessors[node] {
                counts[producer] += inStage[producer] ? 1 : -1
            }
        }
    }
}
