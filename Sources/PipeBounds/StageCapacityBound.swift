import Foundation
import PipeGraph

/// The stage-capacity cuts: at bottleneck T, the stage holding node v can hold only so much work, because
/// a stage pays the comm of its boundary as well; if the nodes' shares of their stages add up to more
/// than k, no partition has bottleneck ≤ T. See docs/formulations.md, "Stage-capacity cuts".
///
/// For a partition with every stage's cost ≤ T, Σ_v w(v) / w(stage of v) counts the stages that hold
/// work, at most k. Each term is at least w(v) / U_v(T), where U_v(T) bounds the work of any stage that
/// holds v and costs at most T. U_v comes from a Lagrangian relaxation of "f(S) ≤ T" over the node sets
/// S that hold v and lie in v's reach at T (nodes whose convex hull with v works at most T): for
/// μ ∈ [0, 1], w(S) ≤ μT + (1 − μ)·w(S) − μ·comm(S), and the largest right-hand side over such sets is a
/// minimum cut. Where W/k and the one-node cuts see one stage, this sees every stage at once: on
/// comm-heavy graphs a stage that holds much work pays two layers' worth of comm.
public struct StageCapacityBound: Sendable {
    private let graph: ComputationGraph
    /// The stage windows at each T (nil: no windows, every node may share v's stage).
    private let calculator: StageWindowCalculator?
    /// Capacities are costs divided by this, rounded down.
    private let unit: Double
    /// Per node, its ancestors and descendants with itself, as bit sets.
    private let ancestors: [[UInt64]]
    private let descendants: [[UInt64]]
    /// The nodes by decreasing work (ties by index): the heaviest shares first.
    private let byWork: [Int]

    /// Prepares the bound for `graph` (not for training graphs, whose stages need not be convex), with the
    /// stage windows of `calculator` (for the bound's stage count) narrowing each node's reach.
    public init(graph: ComputationGraph, calculator: StageWindowCalculator? = nil) {
        self.graph = graph
        self.calculator = calculator
        guard graph.nodeCount <= Self.maximumNodes else {
            (unit, ancestors, descendants, byWork) = (1, [], [], [])
            return
        }
        let largest = graph.nodes.reduce(0.0) { Swift.max($0, $1.work, $1.comm) }
        unit = largest > 0 ? largest / 1e12 : 1
        let words = (graph.nodeCount + 63) / 64
        var ancestors = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: graph.nodeCount)
        var descendants = ancestors
        for node in graph.topologicalOrder {
            ancestors[node][node / 64] |= 1 << UInt64(node % 64)
            for producer in graph.predecessors[node] {
                for word in 0..<words { ancestors[node][word] |= ancestors[producer][word] }
            }
        }
        for node in graph.topologicalOrder.reversed() {
            descendants[node][node / 64] |= 1 << UInt64(node % 64)
            for consumer in graph.successors[node] {
                for word in 0..<words { descendants[node][word] |= descendants[consumer][word] }
            }
        }
        self.ancestors = ancestors
        self.descendants = descendants
        byWork = (0..<graph.nodeCount).sorted {
            (graph.nodes[$0].work, $1) > (graph.nodes[$1].work, $0)
        }
    }

    /// The nodes a stage holding `node` may hold at bottleneck `bottleneck`: every node not comparable with
    /// it, and its ancestors and descendants u whose convex hull with it works at most `bottleneck` (the
    /// stage holds that hull); with `windows` (at `bottleneck`), only nodes whose window meets the node's.
    /// Hulls only grow further away, so each side is a search that stops at the first node whose hull is
    /// too heavy: every node beyond reaches `node` through such a node.
    func reach(of node: Int, bottleneck: Double, windows: StageWindows? = nil) -> [Int] {
        var state = [UInt8](repeating: 0, count: graph.nodeCount)  // 0 not comparable, 1 comparable and held, 2 excluded
        for isUp in [true, false] {
            let side = isUp ? graph.predecessors : graph.successors
            var stack = [node]
            var seen = Set([node])
            while let current = stack.popLast() {
                for next in side[current] where seen.insert(next).inserted {
                    let hull = isUp ? hullWork(top: next, bottom: node) : hullWork(top: node, bottom: next)
                    // The hull's sum may round either way: exclude only what is clearly too heavy.
                    if hull <= bottleneck * (1 + Self.margin) { state[next] = 1; stack.append(next) }
                }
            }
            // Comparable nodes not held: every path to them passes a node whose hull is too heavy.
            let comparable = isUp ? ancestors[node] : descendants[node]
            for (word, bits) in comparable.enumerated() where bits != 0 {
                var remaining = bits
                while remaining != 0 {
                    let other = word * 64 + remaining.trailingZeroBitCount
                    remaining &= remaining - 1
                    if other != node, state[other] != 1 { state[other] = 2 }
                }
            }
        }
        guard let windows else { return (0..<graph.nodeCount).filter { state[$0] != 2 } }
        return (0..<graph.nodeCount).filter {
            state[$0] != 2 && Swift.max(windows.earliest[$0], windows.earliest[node]) <= Swift.min(windows.latest[$0], windows.latest[node])
        }
    }

    /// The work of every node on a path from `top` to `bottom` (both included).
    private func hullWork(top: Int, bottom: Int) -> Double {
        var total = 0.0
        for (word, bits) in zip(descendants[top], ancestors[bottom]).enumerated() {
            var remaining = bits.0 & bits.1
            while remaining != 0 {
                total += graph.nodes[word * 64 + remaining.trailingZeroBitCount].work
                remaining &= remaining - 1
            }
        }
        return total
    }

    /// An upper bound on the work of any stage that holds `node` (and its group) and costs at most
    /// `bottleneck`: the least over the multipliers tried of μT + (1 − μ)·w(R) − g(μ), with g(μ) the
    /// minimum cut below (rounded down, so the bound is rounded up). `windows` are the stage windows at
    /// `bottleneck`, if any: the stage holds only nodes whose window meets the node's.
    public func capacity(of node: Int, bottleneck: Double, windows: StageWindows? = nil,
                         shouldStop: () -> Bool = { false }) -> Double {
        capacity(of: node, bottleneck: bottleneck, windows: windows, multiplierHint: nil, shouldStop: shouldStop).value
    }

    /// ``capacity(of:bottleneck:windows:shouldStop:)`` with the multiplier that gave it. With
    /// `multiplierHint` (the best multiplier of this node at a nearby T, or of a similar node) a pattern
    /// search from the hint replaces the golden-section search over [0, 1]: three or four cuts instead
    /// of eight, each still a valid bound.
    func capacity(of node: Int, bottleneck: Double, windows: StageWindows?, multiplierHint: Double?,
                  shouldStop: () -> Bool) -> (value: Double, multiplier: Double) {
        let reach = reach(of: node, bottleneck: bottleneck, windows: windows)
        var forced = [node]
        if let group = graph.groupOf[node] { forced = graph.groupMembers[group] }
        var inReach = [Int](repeating: -1, count: graph.nodeCount)
        var members = reach
        for member in forced where !members.contains(member) { members.append(member) }
        for (index, member) in members.enumerated() { inReach[member] = index }
        let reachWork = members.reduce(0.0) { $0 + graph.nodes[$1].work }
        func upperBound(_ multiplier: Double) -> Double? {
            guard let cut = minimumCut(members: members, inReach: inReach, forced: forced, multiplier: multiplier,
                                       shouldStop: shouldStop) else { return nil }
            return multiplier * bottleneck + (1 - multiplier) * reachWork - cut
        }
        var best = (value: Swift.min(bottleneck, reachWork), multiplier: 1.0)
        // Every multiplier gives a valid bound: keep the least, and stop at the first refusal to go on.
        func tryMultiplier(_ multiplier: Double) -> Double? {
            guard let value = upperBound(multiplier) else { return nil }
            if value < best.value { best = (value, multiplier) }
            return value
        }
        if let hint = multiplierHint {
            // A pattern search from the hint in steps of ``hintStep``: the function is convex in μ, so it
            // walks downhill to the best multiple of the step near the hint, usually in three or four cuts.
            guard var here = tryMultiplier(hint) else { return best }
            var position = hint
            for direction in [1.0, -1.0] {
                var moved = false
                while (0...1).contains(position + direction * Self.hintStep) {
                    guard let next = tryMultiplier(position + direction * Self.hintStep) else { return best }
                    guard next < here else { break }
                    (here, position, moved) = (next, position + direction * Self.hintStep, true)
                }
                if moved { break }
            }
            return best
        }
        guard tryMultiplier(1) != nil else { return best }
        // μT + (1 − μ)w(R) − g(μ) is convex in μ (g is a minimum of linear functions): golden-section search.
        var low = 0.0, high = 1.0
        let ratio = (5.0.squareRoot() - 1) / 2
        var left = high - ratio * (high - low), right = low + ratio * (high - low)
        guard var leftValue = tryMultiplier(left), var rightValue = tryMultiplier(right) else { return best }
        for _ in 0..<Self.multiplierSteps {
            if leftValue < rightValue {
                high = right; right = left; rightValue = leftValue
                left = high - ratio * (high - low)
                guard let value = tryMultiplier(left) else { return best }
                leftValue = value
            } else {
                low = left; left = right; leftValue = rightValue
                right = low + ratio * (high - low)
                guard let value = tryMultiplier(right) else { return best }
                rightValue = value
            }
        }
        return best
    }

    /// The best multiplier of each node at the last T it was checked at: the bisection on T asks
    /// for nearby values, where the best multiplier moves little.
    final class MultiplierHints {
        var multiplier: [Int: Double] = [:]
    }

    /// The step of the pattern search from a hint.
    static let hintStep = 0.04

    /// g(μ) = min over S with `forced` ⊆ S ⊆ `members` of μ·comm(S) + (1 − μ)·w(members ∖ S), comm(S) the
    /// stage's comm in and out, as a minimum cut (source side = inside S).
    private func minimumCut(members: [Int], inReach: [Int], forced: [Int], multiplier: Double,
                            shouldStop: () -> Bool) -> Double? {
        func capacity(_ value: Double) -> Int64 { Int64((value / unit).rounded(.down)) }
        var network = MaxFlow()
        var vertexOf = [Int](repeating: -1, count: members.count)
        for index in members.indices { vertexOf[index] = network.addNode() }
        for (index, member) in members.enumerated() {
            network.addArc(from: MaxFlow.source, to: vertexOf[index], capacity: capacity((1 - multiplier) * graph.nodes[member].work))
        }
        for member in forced { network.addArc(from: MaxFlow.source, to: vertexOf[inReach[member]], capacity: MaxFlow.infinite) }
        var outsideProducers = Set<Int>()
        for (index, member) in members.enumerated() {
            let comm = multiplier * graph.nodes[member].comm
            for producer in graph.predecessors[member] where inReach[producer] < 0 { outsideProducers.insert(producer) }
            let consumers = graph.successors[member]
            guard !consumers.isEmpty, comm > 0 else { continue }
            if consumers.contains(where: { inReach[$0] < 0 }) {
                network.addArc(from: vertexOf[index], to: MaxFlow.sink, capacity: capacity(comm))
            } else {
                let allInside = network.addNode()
                network.addArc(from: vertexOf[index], to: allInside, capacity: capacity(comm))
                for consumer in consumers { network.addArc(from: allInside, to: vertexOf[inReach[consumer]], capacity: MaxFlow.infinite) }
            }
            let someInside = network.addNode()
            network.addArc(from: someInside, to: vertexOf[index], capacity: capacity(comm))
            for consumer in consumers where inReach[consumer] >= 0 {
                network.addArc(from: vertexOf[inReach[consumer]], to: someInside, capacity: MaxFlow.infinite)
            }
        }
        for producer in outsideProducers.sorted() {
            let comm = multiplier * graph.nodes[producer].comm
            guard comm > 0 else { continue }
            let someInside = network.addNode()
            network.addArc(from: someInside, to: MaxFlow.sink, capacity: capacity(comm))
            for consumer in graph.successors[producer] where inReach[consumer] >= 0 {
                network.addArc(from: vertexOf[inReach[consumer]], to: someInside, capacity: MaxFlow.infinite)
            }
        }
        return network.maximumFlow(shouldStop: shouldStop).map { Double($0) * unit }
    }

    /// Whether no partition into `stageCount` stages has bottleneck ≤ `bottleneck`: the nodes' shares
    /// w(v) / U_v(T) add up to more than k. The ``nodesPerCheck`` heaviest nodes are taken by decreasing
    /// work, the others counted at w(v) / T (no stage works more than T), so the check ends as soon as
    /// the sum passes k. Nil when `shouldStop` said so first.
    public func refutes(bottleneck: Double, stageCount: Int, shouldStop: () -> Bool) -> Bool? {
        refutes(bottleneck: bottleneck, stageCount: stageCount, hints: nil, shouldStop: shouldStop)
    }

    private func refutes(bottleneck: Double, stageCount: Int, hints: MultiplierHints?, shouldStop: () -> Bool) -> Bool? {
        guard bottleneck > 0 else { return true }
        let limit = Double(stageCount) * (1 + Self.margin)
        var rest = graph.totalWork / bottleneck
        guard rest <= limit else { return true }
        // Every partition of bottleneck ≤ T keeps each node in its window at T: no windows, no such partition.
        var windows: StageWindows?
        if let calculator {
            guard let found = calculator.windows(bottleneck: bottleneck) else { return true }
            windows = found
        }
        var shares = 0.0
        // A node not seen before starts from the best multiplier of the node before it (nodes of similar
        // work in the same graph have similar ones); only the first node of a bisection searches all of [0, 1].
        var previous: Double?
        for node in byWork.prefix(Self.nodesPerCheck) {
            if shouldStop() { return nil }
            let work = graph.nodes[node].work
            guard work > 0 else { break }
            rest -= work / bottleneck
            let (held, multiplier) = capacity(of: node, bottleneck: bottleneck, windows: windows,
                                              multiplierHint: hints?.multiplier[node] ?? previous, shouldStop: shouldStop)
            hints?.multiplier[node] = multiplier
            previous = multiplier
            if shouldStop() { return nil }
            // A stage holding the node works at least w(v): a capacity below it means no stage of cost ≤ T holds v.
            guard held * (1 + Self.margin) >= work else { return true }
            shares += work / held
            if shares + Swift.max(0, rest) > limit { return true }
        }
        return false
    }

    /// Golden-section steps on μ after μ = 1 and the first two points (each step one minimum cut).
    static let multiplierSteps = 5

    /// At most this many nodes get a capacity of their own per check (each is a few minimum cuts on a
    /// network as large as the graph); the heaviest carry most of the sum.
    static let nodesPerCheck = 256

    /// Relative slack for floating-point sums: on the sum of shares against k (a few hundred rounded
    /// divisions), on a capacity against its node's work, on a hull's work against T.
    static let margin = 1e-9

    /// The best bound from `from` (a proven lower bound) below `ceiling` (an upper bound): bisection on T,
    /// to a relative resolution of `resolution` or until `shouldStop` says so; rounded down by the
    /// arithmetic margin. Refuting T refutes every lower value (capacities only shrink as T falls).
    public func bound(from: Double, ceiling: Double, stageCount: Int, resolution: Double = 1e-3,
                      shouldStop: () -> Bool = { false }) -> Double {
        guard !graph.isTraining, graph.nodeCount <= Self.maximumNodes, ceiling.isFinite, ceiling > from else { return from }
        // The bound so far first: a check that cannot refute even that value refutes nothing higher.
        let hints = MultiplierHints()
        guard refutes(bottleneck: from, stageCount: stageCount, hints: hints, shouldStop: shouldStop) == true else { return from }
        var low = from
        var high = ceiling
        while high - low > resolution * high {
            let middle = (low + high) / 2
            guard let refuted = refutes(bottleneck: middle, stageCount: stageCount, hints: hints, shouldStop: shouldStop) else { break }
            if refuted { low = middle } else { high = middle }
        }
        return SafeRounding.roundDown(low, relative: SafeRounding.arithmeticMargin)
    }

    /// Above this many nodes the ancestor and descendant bit sets (n² bits each) are not built.
    public static let maximumNodes = 5_000
}
