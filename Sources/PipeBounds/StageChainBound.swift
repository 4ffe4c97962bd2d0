import PipeGraph

/// The stage-chain bound: the boundary-cut argument stage by stage instead of summed over all stages.
///
/// In a partition with bottleneck ≤ T, stage b = I_b ∖ I_{b−1} costs at least X_b(I_b) − Y_{b−1}(I_{b−1}),
/// where X_b(J) is w(J) plus the output comm of the producers of J that cannot sit before stage b, and
/// Y_b(J) is w(J) minus the comm J must send to consumers that cannot sit after stage b + 1 (both
/// read from the windows at T). Going forward over the boundaries, M_b bounds the largest Y_b(I_b) of
/// any chain whose stages 0...b cost ≤ T; a stage that cannot fit, or a last stage W − M_{k−2} > T,
/// proves OPT > T. Each M_b comes from a Lagrangian relaxation of "max Y_b(J) with X_b(J) ≤ T + M_{b−1}"
/// solved by minimum cuts, so every step only over-estimates and the proof stays sound. The same chain
/// runs backward from the last stage, and work-only chains first narrow the windows (what stages 0...b,
/// or b + 1...k − 1, can hold at all). See docs/formulations.md, "Stage-chain cuts".
public struct StageChainBound: Sendable {
    /// Free nodes (window around the boundary) allowed over all boundaries of one check; past it a check
    /// proves nothing. A count, so the result is deterministic.
    public static let defaultWorkLimit = 400_000
    /// The relative resolution of the bisection in `certify` and the value search: each check costs dozens of
    /// minimum cuts per boundary, so it stops coarser than the boundary cuts.
    public static let resolution = 1e-3
    /// Multiplier values tried per boundary after bracketing the best one (golden-section steps).
    static let refinementSteps = 6

    private let graph: ComputationGraph
    private let calculator: StageWindowCalculator
    private let workLimit: Int
    /// W + 2·Σc: the scale of every sum in a check, for the arithmetic margin.
    private let scale: Double
    /// The largest work or comm: capacities are multiples of it divided by 10¹².
    private let largest: Double
    /// What rounding can add to a sum of a check: every sum has fewer than 4(n + E) terms no larger than `scale`.
    private let slack: Double

    /// Prepares the check for `graph` with the windows of `calculator`.
    public init(graph: ComputationGraph, calculator: StageWindowCalculator, workLimit: Int = StageChainBound.defaultWorkLimit) {
        self.graph = graph
        self.calculator = calculator
        self.workLimit = workLimit
        scale = graph.nodes.reduce(0.0) { $0 + $1.work + 2 * $1.comm }
        largest = graph.nodes.reduce(0.0) { Swift.max($0, $1.work, $1.comm) }
        slack = 1e-12 * Double(4 * (graph.nodeCount + graph.edgeCount) + 16) * scale
    }

    /// Whether `bottleneck` is proven below OPT: no windows, or some stage of every chain costs more than
    /// it (by more than the arithmetic margin), forward or backward, after the windows are narrowed by the
    /// work each prefix and suffix of stages can hold. `shouldStop` is asked before each boundary; a
    /// stopped check proves nothing.
    public func provesInfeasible(bottleneck: Double, shouldStop: () -> Bool = { false }) -> Bool {
        switch narrowing(bottleneck: bottleneck, shouldStop: shouldStop) {
        case .refuted: return true
        case .unfinished: return false
        case let .narrowed(_, terms):
            // The full chains, with both comm terms, on the narrowest windows.
            for forward in [true, false] {
                guard let result = chain(terms, bottleneck: bottleneck, forward: forward, workOnly: false, shouldStop: shouldStop) else {
                    return false
                }
                if result.refuted { return true }
            }
            return false
        }
    }

    /// The stage windows at `bottleneck` narrowed by the work-only chains: every partition of bottleneck
    /// ≤ `bottleneck` lies in them, so a MIP or search restricted to them keeps every such partition (the
    /// prefix MIPs use them at the upper bound, the value search's probes at T). nil when no partition has
    /// bottleneck ≤ `bottleneck`; when stopped or past the work limit, the windows as far as they were narrowed.
    public func narrowedWindows(bottleneck: Double, shouldStop: () -> Bool = { false }) -> StageWindows? {
        switch narrowing(bottleneck: bottleneck, shouldStop: shouldStop) {
        case .refuted: return nil
        case let .unfinished(windows): return windows
        case let .narrowed(windows, _): return windows
        }
    }

    /// What the narrowing rounds of a check ended with.
    private enum Narrowing {
        /// Some window is empty or a work-only chain cannot fit: OPT > T.
        case refuted
        /// Stopped or past the work limit, with the windows narrowed so far.
        case unfinished(StageWindows)
        /// The narrowest windows and their boundary terms.
        case narrowed(StageWindows, [BoundaryTerms])
    }

    /// Narrows the windows at `bottleneck` by the work-only chains, at most ``narrowingRounds`` times.
    private func narrowing(bottleneck: Double, shouldStop: () -> Bool) -> Narrowing {
        guard var windows = calculator.windows(bottleneck: bottleneck) else { return .refuted }
        let stageCount = calculator.stageCount
        guard stageCount >= 2, largest > 0 else { return .unfinished(windows) }
        var budget = workLimit
        var rounds = 0
        while true {
            var terms: [BoundaryTerms] = []
            for boundary in 0..<(stageCount - 1) {
                if shouldStop() { return .unfinished(windows) }
                terms.append(BoundaryTerms(graph: graph, windows: windows, boundary: boundary))
                budget -= terms[boundary].freeCount
                if budget < 0 { return .unfinished(windows) }
            }
            guard rounds < Self.narrowingRounds else { return .narrowed(windows, terms) }
            rounds += 1
            // Work-only chains: M_b ≥ w(I_b) forward, ≥ w(V ∖ I_b) backward; they narrow the windows.
            guard let prefix = chain(terms, bottleneck: bottleneck, forward: true, workOnly: true, shouldStop: shouldStop),
                  let suffix = chain(terms, bottleneck: bottleneck, forward: false, workOnly: true, shouldStop: shouldStop) else {
                return .unfinished(windows)
            }
            if prefix.refuted || suffix.refuted { return .refuted }
            guard let narrowed = narrow(windows, mostInPrefix: prefix.bounds, mostInSuffix: suffix.bounds) else { return .refuted }
            if narrowed == windows { return .narrowed(windows, terms) }
            windows = narrowed
        }
    }

    /// Rounds of narrowing the windows before the full chains run.
    static let narrowingRounds = 2

    /// One chain over the boundaries. Forward: M_b ≥ Y_b(I_b) with X_b = w + late output, Y_b = w − early input
    /// (`workOnly`: Y_b = w). Backward (from the last stage): M_b ≥ Y′_b(I_b) with X′_b = W − w + early input,
    /// Y′_b = W − w − late output (`workOnly`: W − w). `refuted` when a stage cannot fit; nil when stopped.
    private func chain(_ terms: [BoundaryTerms], bottleneck: Double, forward: Bool, workOnly: Bool,
                       shouldStop: () -> Bool) -> (refuted: Bool, bounds: [Double])? {
        let total = graph.totalWork
        var bounds = [Double](repeating: .infinity, count: terms.count)
        var carried = 0.0  // M of the previous boundary: 0 before the first stage (forward) or after the last
        let order = forward ? Array(terms.indices) : Array(terms.indices.reversed())
        for boundary in order {
            if shouldStop() { return nil }
            let terms = terms[boundary]
            let room = bottleneck + carried  // X(I_b) ≤ T + M of the previous boundary
            let unit = largest / 1e12
            let leastX = forward ? terms.leastValue(work: 1, output: 1, input: 0, unit: unit)
                : total + terms.leastValue(work: -1, output: 0, input: 1, unit: unit)
            if leastX > room + slack { return (true, bounds) }
            // M_b ≤ λ·room + max_J (Y(J) − λ X(J)) for every λ ≥ 0, convex in λ; every value tried is valid.
            var best = Double.infinity
            func upper(_ lambda: Double) -> Double {
                let unit = Swift.max(1, lambda) * largest / 1e12
                let least = forward
                    ? terms.leastValue(work: lambda - 1, output: lambda, input: workOnly ? 0 : 1, unit: unit)
                    : terms.leastValue(work: 1 - lambda, output: workOnly ? 0 : 1, input: lambda, unit: unit)
                let value = lambda * room + (forward ? 0 : (1 - lambda) * total) - least + slack * (1 + lambda)
                best = Swift.min(best, value)
                return value
            }
            // Bracket the minimum: U(0), U(1), U(2), U(4), … until U stops falling (convexity).
            var previous = 0.0, current = 1.0
            var currentValue = upper(1)
            var low = 0.0, high = 1.0
            if currentValue < upper(0) {
                while true {
                    if shouldStop() { return nil }
                    let next = current * 2
                    let nextValue = upper(next)
                    if nextValue >= currentValue || next > 1e12 { low = previous; high = next; break }
                    previous = current
                    current = next; currentValue = nextValue
                }
            }
            // Golden-section refinement inside [low, high].
            let ratio = (5.0.squareRoot() - 1) / 2
            var left = high - ratio * (high - low), right = low + ratio * (high - low)
            var leftValue = upper(left), rightValue = upper(right)
            for _ in 0..<Self.refinementSteps {
                if shouldStop() { return nil }
                if leftValue <= rightValue {
                    high = right; right = left; rightValue = leftValue
                    left = high - ratio * (high - low); leftValue = upper(left)
                } else {
                    low = left; left = right; leftValue = rightValue
                    right = low + ratio * (high - low); rightValue = upper(right)
                }
            }
            carried = best
            bounds[boundary] = best
        }
        // The stage at the far end holds what the last boundary leaves: W − M.
        return (total - carried > bottleneck + slack, bounds)
    }

    /// The windows narrowed by the work bounds of the work-only chains: s(v) ≤ b needs w(Anc*(v)) ≤ w(I_b)
    /// ≤ `mostInPrefix[b]`, and s(v) > b needs w(Desc*(v)) ≤ w(V ∖ I_b) ≤ `mostInSuffix[b]`; then made
    /// consistent with the edges. Nil when some window is empty (no partition of bottleneck ≤ T).
    private func narrow(_ windows: StageWindows, mostInPrefix: [Double], mostInSuffix: [Double]) -> StageWindows? {
        let totals = calculator.totals
        var narrowed = windows
        for node in 0..<graph.nodeCount {
            while narrowed.earliest[node] < mostInPrefix.count,
                  totals.ancestorWork[node] > mostInPrefix[narrowed.earliest[node]] + slack {
                narrowed.earliest[node] += 1
            }
            while narrowed.latest[node] >= 1, totals.descendantWork[node] > mostInSuffix[narrowed.latest[node] - 1] + slack {
                narrowed.latest[node] -= 1
            }
        }
        for producer in graph.topologicalOrder {
            for consumer in graph.precedenceSuccessors[producer] where narrowed.earliest[consumer] < narrowed.earliest[producer] {
                narrowed.earliest[consumer] = narrowed.earliest[producer]
            }
        }
        for producer in graph.topologicalOrder.reversed() {
            for consumer in graph.precedenceSuccessors[producer] where narrowed.latest[producer] > narrowed.latest[consumer] {
                narrowed.latest[producer] = narrowed.latest[consumer]
            }
        }
        for node in 0..<graph.nodeCount where narrowed.earliest[node] > narrowed.latest[node] { return nil }
        return narrowed
    }

    /// The largest value the check refutes above `from` (a proven lower bound), by the same doubling and
    /// bisection as the boundary cuts (``BoundaryCutBound/bound(from:resolution:maximumChecks:shouldStop:)``),
    /// never probing above `ceiling` (the cost of a known partition, which no sound check refutes).
    public func bound(from: Double, ceiling: Double = .infinity, resolution: Double = 1e-4, maximumChecks: Int = 40,
                      shouldStop: () -> Bool = { false }) -> Double {
        BoundaryCutBound.largestRefuted(from: from, ceiling: ceiling, resolution: resolution, maximumChecks: maximumChecks,
                                        shouldStop: shouldStop) { provesInfeasible(bottleneck: $0, shouldStop: shouldStop) }
    }
}

/// The terms of X_b and Y_b at one boundary b, as a minimum-cut network over the nodes whose window
/// straddles b (source side = inside the ideal J): work, the output comm of producers whose window starts
/// at b or later ("late"), and the comm to consumers whose window ends by b + 1 ("early").
struct BoundaryTerms {
    /// Where a node sits: a network vertex (free), or fixed inside (source) or outside (sink).
    private var vertex: [Int]
    /// Free nodes: their vertex and work.
    private var free: [(vertex: Int, work: Double)] = []
    private var insideWork = 0.0
    /// One producer's charge: paid when the producer is inside and some of `consumers` (vertices) is outside;
    /// `alwaysOutside` when a consumer is fixed outside.
    private struct Charge {
        var producer: Int
        var amount: Double
        var consumers: [Int]
        var alwaysOutside: Bool
    }
    private var outputCharges: [Charge] = []
    private var inputCharges: [Charge] = []
    /// Infinite arcs that keep J an ideal and groups whole.
    private var closureArcs: [(Int, Int)] = []
    private var vertexCount = 2

    var freeCount: Int { free.count }

    init(graph: ComputationGraph, windows: StageWindows, boundary: Int) {
        vertex = [Int](repeating: MaxFlow.sink, count: graph.nodeCount)
        for node in 0..<graph.nodeCount {
            if windows.latest[node] <= boundary {
                vertex[node] = MaxFlow.source
                insideWork += graph.nodes[node].work
            } else if windows.earliest[node] <= boundary {
                vertex[node] = vertexCount
                free.append((vertexCount, graph.nodes[node].work))
                vertexCount += 1
            }
        }
        for node in 0..<graph.nodeCount where vertex[node] != MaxFlow.sink && !graph.successors[node].isEmpty {
            let comm = graph.nodes[node].comm
            guard comm > 0 else { continue }
            // Output: u inside with earliest(u) ≥ b sits in stage b; it pays c(u) once if a consumer is outside.
            if windows.earliest[node] >= boundary {
                outputCharges.append(Self.charge(node, comm, graph.successors[node], vertex))
            }
            // Input: a consumer outside I_b whose window ends by b + 1 sits in stage b + 1, which pays c(u) once.
            let early = graph.successors[node].filter { windows.latest[$0] <= boundary + 1 }
            if !early.isEmpty { inputCharges.append(Self.charge(node, comm, early, vertex)) }
        }
        for node in 0..<graph.nodeCount where vertex[node] >= 2 {
            for producer in graph.predecessors[node] where vertex[producer] >= 2 {
                closureArcs.append((vertex[node], vertex[producer]))
            }
        }
        for members in graph.groupMembers where members.count > 1 {
            let indices = members.map { vertex[$0] }.filter { $0 >= 2 }
            for (first, second) in zip(indices, indices.dropFirst()) {
                closureArcs.append((first, second))
                closureArcs.append((second, first))
            }
        }
    }

    private static func charge(_ producer: Int, _ amount: Double, _ consumers: [Int], _ vertex: [Int]) -> Charge {
        var charge = Charge(producer: producer, amount: amount, consumers: [], alwaysOutside: false)
        for consumer in consumers {
            if vertex[consumer] == MaxFlow.sink { charge.alwaysOutside = true } else if vertex[consumer] >= 2 {
                charge.consumers.append(vertex[consumer])
            }
        }
        return charge
    }

    /// min over admissible ideals J of work·w(J) + output·(late output comm of J) + input·(early comm sent
    /// out of J), rounded down (`output`, `input` ≥ 0; `work` of any sign). Capacities are multiples of
    /// `unit` rounded down, so the value never exceeds the true minimum.
    func leastValue(work: Double, output: Double, input: Double, unit: Double) -> Double {
        func capacity(_ value: Double) -> Int64 { Int64((value / unit).rounded(.down)) }
        var network = MaxFlow()
        for _ in 2..<vertexCount { _ = network.addNode() }
        var constant = work * insideWork
        for (index, nodeWork) in free {
            let weight = work * nodeWork
            // A negative weight pays when J leaves the node out instead: weight + |weight|·[outside].
            if weight > 0 { network.addArc(from: index, to: MaxFlow.sink, capacity: capacity(weight)) } else if weight < 0 {
                constant += weight
                network.addArc(from: MaxFlow.source, to: index, capacity: capacity(-weight))
            }
        }
        for (charges, factor) in [(outputCharges, output), (inputCharges, input)] where factor > 0 {
            for charge in charges {
                let amount = factor * charge.amount
                let from = vertex[charge.producer]
                if charge.alwaysOutside {
                    if from == MaxFlow.source { constant += amount } else { network.addArc(from: from, to: MaxFlow.sink, capacity: capacity(amount)) }
                    continue
                }
                guard !charge.consumers.isEmpty else { continue }
                let auxiliary = network.addNode()
                network.addArc(from: from, to: auxiliary, capacity: capacity(amount))
                for consumer in charge.consumers { network.addArc(from: auxiliary, to: consumer, capacity: MaxFlow.infinite) }
            }
        }
        for (from, to) in closureArcs { network.addArc(from: from, to: to, capacity: MaxFlow.infinite) }
        return constant + Double(network.maximumFlow() ?? 0) * unit
    }
}
