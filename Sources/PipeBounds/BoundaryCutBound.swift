import PipeGraph

/// The boundary-cut bound: the comm every stage boundary must cut, summed with the work over all stages.
///
/// In a partition with bottleneck ≤ T the k stage costs sum to at most k·T and to W plus every comm
/// paid. Each boundary b (the ideal I_b of stages 0...b) must take every node whose window at T ends
/// by b and none whose window starts after b; the cheapest such ideal, with each producer u it cuts
/// charged 2·c(u)/r(u) (r(u) the most boundaries u's edges can cross within the windows), is a
/// minimum cut. Summed over the k − 1 boundaries these charges never exceed the comm paid (a cut
/// producer pays c(u) out and at least c(u) in, and is cut at most r(u) times), so
/// W + Σ_b cut_b(T) > k·T proves OPT > T. A producer that no stage of cost ≤ T can hold together with
/// all its consumers (``ContainingStageBound/leastCostsHoldingConsumers(above:maximumCuts:shouldStop:)`` above T) pays at
/// least 2·c(u) in every such partition: it is charged that outright instead of at the boundaries.
/// See docs/formulations.md, "Boundary cuts".
public struct BoundaryCutBound: Sendable {
    /// Free nodes (window around the boundary) allowed over all boundaries of one check; boundaries past
    /// it count as cutting nothing, which only weakens the bound. A count, so the result is deterministic.
    public static let defaultWorkLimit = 400_000

    private let graph: ComputationGraph
    private let calculator: StageWindowCalculator
    private let workLimit: Int
    /// Per producer, a lower bound on the cost of a stage holding it with all its consumers (empty: none known).
    private let holdingConsumersCosts: [Double]

    /// Prepares the check for `graph` with the windows of `calculator`. `holdingConsumersCosts` (from
    /// ``ContainingStageBound/leastCostsHoldingConsumers(above:maximumCuts:shouldStop:)``, or empty) marks the producers
    /// whose comm every partition of bottleneck T below it pays twice.
    public init(graph: ComputationGraph, calculator: StageWindowCalculator, workLimit: Int = BoundaryCutBound.defaultWorkLimit,
                holdingConsumersCosts: [Double] = []) {
        self.graph = graph
        self.calculator = calculator
        self.workLimit = workLimit
        self.holdingConsumersCosts = holdingConsumersCosts.count == graph.nodeCount ? holdingConsumersCosts : []
    }

    /// W + Σ over boundaries of the least charged cut at `bottleneck` (a lower bound on the sum of the k
    /// stage costs of any partition with bottleneck ≤ `bottleneck`), or nil when some node has no window
    /// there (no such partition exists). The cuts are exact integer minimum cuts of charges rounded down.
    /// `shouldStop` is asked before each boundary: boundaries left out count as cutting nothing, so a
    /// stopped check is still a lower bound, only weaker.
    public func requiredTotal(bottleneck: Double, shouldStop: () -> Bool = { false }) -> Double? {
        guard let windows = calculator.windows(bottleneck: bottleneck) else { return nil }
        let stageCount = calculator.stageCount
        var total = graph.totalWork
        guard stageCount >= 2 else { return total }
        // r(u): the boundaries u's out-edges can cross; charge 2·c(u)/r(u) per crossing.
        var charge = [Double](repeating: 0, count: graph.nodeCount)
        var largest = 0.0
        for producer in 0..<graph.nodeCount where !graph.successors[producer].isEmpty {
            // No stage of cost ≤ T holds u with all its consumers: one is in a later stage, so u pays c(u) out
            // and that stage c(u) in. Charged here, and not again at the boundaries.
            if !holdingConsumersCosts.isEmpty,
               holdingConsumersCosts[producer] * (1 - SafeRounding.arithmeticMargin) > bottleneck {
                total += 2 * graph.nodes[producer].comm
                continue
            }
            let reach = (graph.successors[producer].map { windows.latest[$0] }.max() ?? 0) - windows.earliest[producer]
            guard reach >= 1 else { continue }
            charge[producer] = 2 * graph.nodes[producer].comm / Double(reach)
            largest = Swift.max(largest, charge[producer])
        }
        guard largest > 0 else { return total }
        // Integer capacities: charges rounded down to multiples of `unit`, so the cut never exceeds the real one.
        let unit = largest / 1e12
        let capacity = charge.map { Int64(($0 / unit).rounded(.down)) }
        var budget = workLimit
        var vertex = [Int](repeating: -1, count: graph.nodeCount)
        for boundary in 0..<(stageCount - 1) where !shouldStop() {
            let free = (0..<graph.nodeCount).filter { windows.earliest[$0] <= boundary && boundary < windows.latest[$0] }
            budget -= free.count
            if budget < 0 { break }
            let cut = minimumCut(boundary: boundary, windows: windows, free: free, capacity: capacity, vertex: &vertex)
            total += Double(cut) * unit
        }
        return total
    }

    /// Whether `bottleneck` is proven below OPT: no windows, or the required total exceeds k·T (by more
    /// than the arithmetic margin).
    public func provesInfeasible(bottleneck: Double, shouldStop: () -> Bool = { false }) -> Bool {
        guard let required = requiredTotal(bottleneck: bottleneck, shouldStop: shouldStop) else { return true }
        return required * (1 - SafeRounding.arithmeticMargin) > Double(calculator.stageCount) * bottleneck
    }

    /// The least charged cut of an ideal holding every node whose window ends by `boundary` and none whose
    /// window starts after it; `free` are the others. Source side = inside the ideal.
    private func minimumCut(boundary: Int, windows: StageWindows, free: [Int], capacity: [Int64],
                            vertex: inout [Int]) -> Int64 {
        var network = MaxFlow()
        for node in free { vertex[node] = network.addNode() }
        defer { for node in free { vertex[node] = -1 } }
        func side(_ node: Int) -> Int {
            let index = vertex[node]
            if index >= 0 { return index }
            return windows.latest[node] <= boundary ? MaxFlow.source : MaxFlow.sink
        }
        var constant: Int64 = 0
        for producer in 0..<graph.nodeCount where capacity[producer] > 0 {
            let from = side(producer)
            guard from != MaxFlow.sink else { continue }
            var outside = false
            var open = 0
            for consumer in graph.successors[producer] {
                let to = side(consumer)
                if to == MaxFlow.sink { outside = true } else if to != MaxFlow.source { open += 1 }
            }
            if outside {
                // Some consumer is never in the ideal: u pays whenever it is inside.
                if from == MaxFlow.source { constant += capacity[producer] } else {
                    network.addArc(from: from, to: MaxFlow.sink, capacity: capacity[producer])
                }
                continue
            }
            guard open > 0 else { continue }
            // u pays once if any consumer is outside: through one auxiliary node.
            let auxiliary = network.addNode()
            network.addArc(from: from, to: auxiliary, capacity: capacity[producer])
            for consumer in graph.successors[producer] where vertex[consumer] >= 0 {
                network.addArc(from: auxiliary, to: vertex[consumer], capacity: MaxFlow.infinite)
            }
        }
        // Ideal: a free consumer inside pulls its free producers inside.
        for node in free {
            for producer in graph.predecessors[node] where vertex[producer] >= 0 {
                network.addArc(from: vertex[node], to: vertex[producer], capacity: MaxFlow.infinite)
            }
        }
        // Colocation groups: members on one side (their windows are equal, so all free or none).
        for members in graph.groupMembers where members.count > 1 {
            let indices = members.map { vertex[$0] }.filter { $0 >= 0 }
            for (first, second) in zip(indices, indices.dropFirst()) {
                network.addArc(from: first, to: second, capacity: MaxFlow.infinite)
                network.addArc(from: second, to: first, capacity: MaxFlow.infinite)
            }
        }
        return constant + (network.maximumFlow() ?? 0)
    }

    /// The largest T below which the check proves every value infeasible, searched from `from` (a proven
    /// lower bound) upwards: doubling to a value the check cannot refute, then bisecting to `resolution`
    /// (relative). Returns a value proven infeasible (or `from` itself when none above it is).
    /// `shouldStop` is asked before each check; stopping early returns the best value proven so far.
    public func bound(from: Double, resolution: Double = 1e-4, maximumChecks: Int = 40,
                      shouldStop: () -> Bool = { false }) -> Double {
        guard calculator.stageCount >= 2 else { return from }
        return Self.largestRefuted(from: from, resolution: resolution, maximumChecks: maximumChecks, shouldStop: shouldStop) {
            provesInfeasible(bottleneck: $0, shouldStop: shouldStop)
        }
    }

    /// The search of ``bound(from:resolution:maximumChecks:shouldStop:)`` for any check `refutes` (true
    /// only for values proven below OPT): doubling from `from` (up to `ceiling`, a value known feasible),
    /// then bisecting; the largest refuted value.
    static func largestRefuted(from: Double, ceiling: Double = .infinity, resolution: Double, maximumChecks: Int,
                               shouldStop: () -> Bool, refutes: (Double) -> Bool) -> Double {
        guard from > 0, from * (1 + resolution) < ceiling else { return from }
        var low = from
        var checks = 0
        var high = from * (1 + resolution)
        while !shouldStop(), refutes(high) {
            checks += 1
            low = high
            guard checks < maximumChecks, high < 1e300, high < ceiling else { return low }
            high = Swift.min(high * 2, ceiling)
        }
        checks += 1
        while high - low > resolution * high, checks < maximumChecks, !shouldStop() {
            let middle = (low + high) / 2
            checks += 1
            if refutes(middle) { low = middle } else { high = middle }
        }
        return low
    }
}
