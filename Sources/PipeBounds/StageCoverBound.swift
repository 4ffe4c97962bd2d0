import Foundation
import MIP
import PipeGraph

/// The stage-cover bound: at bottleneck T every stage of a partition is a convex node set of cost ≤ T (within
/// the memory cap, groups whole), and k of them cover every node once. So for any node prices π ≥ 0,
/// Σ_v π_v = Σ_b π(S_b) ≤ k · max{π(S) : S such a set}; prices whose sum exceeds k times that maximum refute T.
/// The prices come from the covering LP over the sets found so far (column generation), the maximum from a
/// pricing MIP's proven bound (a convex node set of cost ≤ T). See docs/formulations.md, "L5 — stage cover".
///
/// Where the cut bounds weigh every node by what one stage around it could hold, the prices are those of
/// the covering LP's optimum: on comm-heavy graphs at k ≥ 8 a stage that holds much work pays much comm, and
/// the LP sees that no k sets of cost ≤ T fit together.
struct StageCoverBound {
    private let graph: ComputationGraph
    private let stageCount: Int
    private let solver: any MIPSolver
    /// The MIPs' costs are the graph's divided by this.
    private let scale: Double
    /// Node sets met so far (stages of known partitions, pricing solutions), with their cost f; kept across
    /// checks, since a set of cost ≤ T is one at every higher T.
    private(set) var columns: [(members: [Int], cost: Double)] = []
    private var seen = Set<[Int]>()
    /// Pricing MIPs solved (for the detail line).
    private(set) var pricingSolves = 0
    /// Seconds spent in the pricing MIPs, the price LPs and the greedy growth (for the detail line).
    private(set) var pricingSeconds = 0.0
    private(set) var priceSeconds = 0.0
    private(set) var growthSeconds = 0.0

    init(graph: ComputationGraph, stageCount: Int, solver: any MIPSolver, scale: Double, seeds: [Partition]) {
        self.graph = graph
        self.stageCount = stageCount
        self.solver = solver
        self.scale = scale
        for partition in seeds {
            for members in partition.stageMembers where !members.isEmpty { add(members.sorted()) }
        }
    }

    /// Keeps `members` as a set unless it is empty or known; its recorded cost is capped at `costAtMost` (a
    /// pricing MIP's set may pass T by the solver's tolerances, and is still meant for this T). Whether it was new.
    @discardableResult
    private mutating func add(_ members: [Int], costAtMost: Double = .infinity) -> Bool {
        guard !members.isEmpty, seen.insert(members).inserted else { return false }
        columns.append((members, Swift.min(graph.stageCost(of: members), costAtMost)))
        return true
    }

    /// Whether no partition has bottleneck ≤ `bottleneck`: true when prices are found whose sum exceeds k
    /// times the pricing MIP's proven bound; false when the covering LP over the sets found falls to k or a
    /// pricing MIP that ran to the end finds no set to add; nil when `shouldStop` or a limit stopped it first.
    /// `options` gives each solve its limits (the time left, the node limit).
    mutating func refutes(bottleneck: Double, options: () -> SolveOptions, shouldStop: () -> Bool) throws -> Bool? {
        let limit = Double(stageCount) * (1 + Self.margin)
        // The stability centre: the prices with the best proven ratio Σπ / max π(S) so far at this T.
        var centre: (prices: [Double], ratio: Double)?
        while true {
            if shouldStop() { return nil }
            let usable = columns.filter { $0.cost <= bottleneck }.map(\.members)
            let pricesStarted = Date()
            let found = try self.prices(over: usable, options: options())
            priceSeconds += Date().timeIntervalSince(pricesStarted)
            guard let linearPrices = found else { return nil }
            // The LP over fewer sets is an upper bound on the LP over all: at most k, nothing to refute.
            if linearPrices.reduce(0, +) <= limit { return false }
            // Sets the greedy growth (failing that, the widened tight sets) finds are tried first: a pricing MIP costs
            // seconds, and only its bound proves.
            let growthStarted = Date()
            var grown = grownSets(prices: linearPrices, bottleneck: bottleneck, shouldStop: shouldStop)
            if grown.isEmpty { grown = widenedSets(usable, prices: linearPrices, bottleneck: bottleneck, shouldStop: shouldStop) }
            growthSeconds += Date().timeIntervalSince(growthStarted)
            if !grown.isEmpty {
                for members in grown { add(members) }
                continue
            }
            // The MIP prices the smoothed prices first (halfway to the centre): the LP's own prices jump between
            // degenerate optima, and the smoothed ones reach a refutation in fewer rounds. Should their set not be a
            // column for the LP's prices, the LP's prices are priced as well.
            var candidates = [(prices: linearPrices, isLinear: true)]
            if let centre {
                let smoothed = zip(centre.prices, linearPrices).map { Self.smoothing * $0 + (1 - Self.smoothing) * $1 }
                candidates.insert((smoothed, false), at: 0)
            }
            // Every way through ends in a return or a new column (the next round): the LP's prices end in one or the
            // other, the smoothed ones hand over to them.
            pricing: for (prices, isLinear) in candidates {
                let total = prices.reduce(0, +)
                // The MIP may stop early (a column, or a bound past the refutation level); for the LP's prices, when
                // that decided nothing after all (the margins, or a set already known), it runs once more to the end.
                for stopsEarly in isLinear ? [true, false] : [true] {
                    if shouldStop() { return nil }
                    let pricingStarted = Date()
                    let (largest, set, finished) = try price(prices, bottleneck: bottleneck, stopsEarly: stopsEarly, options: options())
                    pricingSolves += 1
                    pricingSeconds += Date().timeIntervalSince(pricingStarted)
                    // Any prices prove: their sum against k times the MIP's bound on max π(S).
                    if let largest, total > limit * largest { return true }
                    if let largest, largest > 0, total / largest > centre?.ratio ?? 0 { centre = (prices, total / largest) }
                    // The next column: the pricing MIP's set, when the LP's prices overfill it. Should the solver's
                    // tolerances have let its cost pass T a little, it still goes in: any set only constrains the prices.
                    if let set, set.reduce(0, { $0 + linearPrices[$1] }) > 1 + Self.pricingImprovement,
                       add(set, costAtMost: bottleneck) { break pricing }
                    // Smoothed prices without a column for the LP: price the LP's own.
                    if !isLinear { continue pricing }
                    // No new set: the LP over the sets found is the LP over all stages if the MIP finished.
                    if finished { return false }
                    if !stopsEarly || largest == nil { return nil }
                }
            }
        }
    }

    /// Stages of cost ≤ T that the prices overfill (π(S) > 1), grown greedily from the highest-priced nodes not
    /// yet in one: each step adds the neighbour whose convex, group-closed hull with the set gains the most
    /// price per added cost within cost T (ties: the cheaper). Any sets would do for soundness; these are real
    /// stages, so the LP stays as strong as the covering LP over stages.
    private func grownSets(prices: [Double], bottleneck: Double, shouldStop: () -> Bool) -> [[Int]] {
        var found: [[Int]] = []
        var covered = [Bool](repeating: false, count: graph.nodeCount)
        let seeds = (0..<graph.nodeCount).filter { prices[$0] > 0 }.sorted { (prices[$0], $1) > (prices[$1], $0) }
        var tried = 0
        for seed in seeds where !covered[seed] {
            if tried == Self.seedsPerRound || shouldStop() { break }
            tried += 1
            var members = graph.closedStage(of: [seed])
            var cost = graph.stageCost(of: members)
            guard cost <= bottleneck else { continue }
            var value = members.reduce(0) { $0 + prices[$1] }
            while !shouldStop() {
                // The best gain of price per added cost; a step that adds no price is still taken when nothing
                // better fits (it may open the way to priced nodes behind it), so the set only grows.
                var best: (members: [Int], value: Double, cost: Double, score: Double)?
                for candidate in neighbours(of: members) {
                    let grown = graph.closedStage(of: members + [candidate])
                    let grownCost = graph.stageCost(of: grown)
                    guard grownCost <= bottleneck else { continue }
                    let grownValue = grown.reduce(0) { $0 + prices[$1] }
                    guard grownValue >= value else { continue }
                    let score = (grownValue - value) / Swift.max(grownCost - cost, 1e-9 * bottleneck)
                    if let current = best, (score, -grownCost) <= (current.score, -current.cost) { continue }
                    best = (grown, grownValue, grownCost, score)
                }
                guard let best else { break }
                (members, value, cost) = (best.members, best.value, best.cost)
            }
            if value > 1 + Self.pricingImprovement, !seen.contains(members) {
                found.append(members)
                for node in members { covered[node] = true }
            }
        }
        return found
    }

    /// The nodes outside `members` joined to one of them by an edge (either way), ascending.
    private func neighbours(of members: [Int]) -> [Int] {
        let inside = Set(members)
        var found = Set<Int>()
        for node in members {
            for next in graph.successors[node] + graph.predecessors[node] where !inside.contains(next) { found.insert(next) }
        }
        return found.sorted()
    }

    /// Stages of cost ≤ T that the prices overfill, one node away from a set the prices fill (π(S) = 1): each
    /// such set with a priced neighbour, closed to a stage (convex hull, groups), kept when it costs at most T,
    /// fits the memory cap and has π > 1; tight sets are taken until about ``seedsPerRound`` stages are found.
    /// The LP's prices make its tight sets exactly full, so a priced node next to one is often all a new column
    /// needs.
    private func widenedSets(_ sets: [[Int]], prices: [Double], bottleneck: Double, shouldStop: () -> Bool) -> [[Int]] {
        var found: [[Int]] = []
        var known = Set<[Int]>()
        for members in sets where members.reduce(0, { $0 + prices[$1] }) >= 1 - Self.pricingImprovement {
            if found.count >= Self.seedsPerRound || shouldStop() { break }
            for candidate in neighbours(of: members) where prices[candidate] > 0 {
                let widened = graph.closedStage(of: members + [candidate])
                guard known.insert(widened).inserted, !seen.contains(widened),
                      widened.reduce(0, { $0 + prices[$1] }) > 1 + Self.pricingImprovement,
                      graph.stageCost(of: widened) <= bottleneck, graph.fitsMemoryCap(widened) else { continue }
                found.append(widened)
            }
        }
        return found
    }

    /// The covering LP's dual over `sets`: max Σ π_v with π(S) ≤ 1 per set and 0 ≤ π ≤ 1 (a node in some set
    /// never gets more than 1 in an optimum). Nil when the solver gave no solution.
    private func prices(over sets: [[Int]], options: SolveOptions) throws -> [Double]? {
        var model = Model(name: "stage-cover-prices")
        let price = (0..<graph.nodeCount).map { model.addVariable(lower: 0, upper: 1, name: "price_\($0)") }
        for members in sets {
            model.addConstraint(columns: members.map { price[$0].index }, coefficients: [Double](repeating: 1, count: members.count),
                                upper: 1)
        }
        model.maximize(LinearExpression(variables: price, coefficients: [Double](repeating: 1, count: price.count)))
        let result = try solver.solve(model, options: options)
        guard result.status == .optimal else { return nil }
        // The LP's answer only chooses the prices; soundness rests on the pricing bound, so clamping is free.
        return price.map { Swift.min(1, Swift.max(0, result[$0])) }
    }

    /// An upper bound on max π(S) over the convex node sets S of cost ≤ `bottleneck` within the memory cap
    /// (nil: the solver proved nothing), the set the MIP found, and whether it ran to optimality. The MIP has
    /// one binary per node and continuous "holds an ancestor / a descendant" columns for convexity: on wide
    /// #2 at k = 8 it let the bound reach in 153 s what L2's two-ideal block (2n binaries) did not in 300 s.
    private func price(_ prices: [Double], bottleneck: Double, stopsEarly: Bool,
                       options: SolveOptions) throws -> (Double?, [Int]?, Bool) {
        var model = Model(name: "stage-cover-pricing")
        // A set of cost exactly T must stay feasible through the division by the scale.
        let (inside, _) = BlockFormulation.stage(graph: graph, scale: scale, costAtMost: bottleneck / scale * (1 + SafeRounding.arithmeticMargin),
                                                 model: &model)
        var objective = LinearExpression(capacity: graph.nodeCount)
        for node in 0..<graph.nodeCount where prices[node] > 0 { objective.add(-prices[node], inside[node]) }
        model.minimize(objective)
        // The MIP looks only at sets of price ≥ c, just below the refutation level Σπ / k: one it finds is a column
        // (c > 1, as the sum of the prices exceeds k), and "infeasible" proves max π(S) < c, which refutes T (c
        // leaves room for the margin). Branch-and-bound prunes below c from the start (docs/formulations.md, L5).
        let total = prices.reduce(0, +)
        let level = total / (Double(stageCount) * (1 + Self.levelSlack))
        let usesLevel = level > 1 + Self.pricingImprovement
        if usesLevel { model.addConstraint(objective <= -level, name: "level") }
        var options = options
        // The MIP need not finish: it may stop at a set the prices overfill by half (the next column) or once its
        // bound shows max π(S) below Σ π / k (the refutation); either is decided from the result below.
        let enough = StopFlag(parent: options.stopFlag)
        let columnLevel = -Self.columnPrice
        let refutationLevel = -total / (Double(stageCount) * (1 + Self.refutationSlack))
        if stopsEarly {
            options.stopFlag = enough
            options.progress = { progress in
                if let incumbent = progress.incumbent, incumbent < columnLevel { enough.stop() }
                if let bound = progress.bestBound, bound > refutationLevel { enough.stop() }
            }
        }
        let (result, margin) = try SolverBound.solve(model, with: solver, options: options)
        let found = result.status.hasSolution ? (0..<graph.nodeCount).filter { result.values[inside[$0].index] > 0.5 } : nil
        if usesLevel, result.status == .infeasible {
            return (level + margin + level * SafeRounding.arithmeticMargin, nil, false)
        }
        // The least −π(S) proven, lowered by the solver's tolerances; its negation bounds max π(S). Without the
        // level row, infeasible cannot happen (the empty set is a block) and proves nothing here.
        let finished = result.status == .optimal
        guard result.status.hasSolution || result.status == .limitReachedWithoutSolution else { return (nil, found, finished) }
        var bound = result.bestBound
        if result.status == .optimal, let value = result.objective { bound = bound.isFinite ? Swift.min(bound, value) : value }
        guard bound.isFinite else { return (nil, found, finished) }
        return (-bound + margin + Swift.abs(bound) * SafeRounding.arithmeticMargin, found, finished)
    }

    /// The best bound from `from` (proven) below `ceiling` (an upper bound), to a relative `resolution`, until
    /// `shouldStop`; rounded down by the arithmetic margin. A refuted T refutes every lower one (fewer sets cost
    /// ≤ T). Checks gallop up from `from` (1 %, 2 %, then 4 % at a time above the last refuted value), then
    /// bisect: a check that refutes ends once its prices prove it, one that does not only when the LP has
    /// converged, which takes far longer, so the first checks sit where refutation is likely. `stopped` tells whether a check was cut short.
    mutating func bound(from: Double, ceiling: Double, resolution: Double = 1e-3, options: () -> SolveOptions,
                        shouldStop: () -> Bool) throws -> (value: Double, stopped: Bool) {
        guard ceiling.isFinite, ceiling > from else { return (from, false) }
        var low = from
        var high = ceiling
        var step = Self.firstStep
        var stopped = false
        while high - low > resolution * high {
            let middle = Swift.min(low * (1 + step), (low + high) / 2)
            guard let refuted = try refutes(bottleneck: middle, options: options, shouldStop: shouldStop) else {
                stopped = true
                break
            }
            if refuted { low = middle; step = Swift.min(step * 2, Self.largestStep) } else { high = middle; step = .infinity }
        }
        return (low == from ? from : SafeRounding.roundDown(low, relative: SafeRounding.arithmeticMargin), stopped)
    }

    /// The `stage-cover` method: the bound from the cut bounds (``CutBounds``, from the best known bound) to the
    /// incumbent's bottleneck, the incumbent's stages as the first sets. Skipped above ``maximumNodes`` nodes
    /// (each pricing MIP is a block MIP over the whole graph, and a check needs hundreds of them).
    static func compute(_ context: inout BoundContext) throws -> LowerBoundResult {
        let lower = context.lowerBound
        guard context.graph.nodeCount <= maximumNodes else {
            return context.result(method: .stageCover, value: lower, status: .skipped,
                                  detail: "more than \(maximumNodes) nodes: a check needs hundreds of MIPs over the whole graph")
        }
        guard lower < context.upperBound else {
            return context.result(method: .stageCover, value: lower, status: .proved, detail: "the combinatorial bound meets the incumbent")
        }
        // Each check is hundreds of MIPs: start above what the solver-free cuts prove (a second or less here).
        let (cuts, _, _) = CutBounds.bound(context, from: lower)
        var bound = StageCoverBound(graph: context.graph, stageCount: context.stageCount, solver: context.request.solver,
                                    scale: context.scale, seeds: context.incumbent.map { [$0.partition] } ?? [])
        let shared = context
        let (value, stopped) = try bound.bound(from: cuts, ceiling: context.upperBound, options: { shared.options() },
                                               shouldStop: { shared.shouldStop })
        return context.result(method: .stageCover, value: Swift.max(lower, value), status: stopped ? .limit : .proved,
                              detail: String(format: "from the cut bounds' %.6g; ", cuts)
                                + String(format: "%d pricing MIPs (%.1f s), price LPs %.1f s, greedy growth %.1f s, %d sets",
                                         bound.pricingSolves, bound.pricingSeconds, bound.priceSeconds, bound.growthSeconds,
                                         bound.columns.count))
    }

    /// Above this many nodes the method is skipped.
    static let maximumNodes = 1_000

    /// Relative slack on the sum of prices against k times the bound (rounded sums of a few thousand terms).
    static let margin = 1e-9
    /// A pricing MIP stops once its bound is this much (relative) past the refutation level, which leaves room
    /// for the margins applied afterwards.
    static let refutationSlack = 1e-6
    /// The first check's distance above the bound so far (relative).
    static let firstStep = 0.01
    /// The galloping steps double up to this (relative): a check far above the last refuted value but still
    /// below the optimum takes most of a minute to refute (wide #2 at k = 8, 8 %: 43 s), where two checks of
    /// 4 % take less. At 60 s: #2 2,469.01 → 2,567.77, #4 3,085.41 → 3,342.12; #2's convergence 92 → 117 s.
    static let largestStep = 0.04
    /// Greedy growths per round of the column generation.
    static let seedsPerRound = 64
    /// A pricing set must overfill its row by this much to be added (the LP's own tolerance is 1e-7).
    static let pricingImprovement = 1e-6
    /// A pricing MIP stops early at a set of at least this price (the prices overfill it by half), not at the
    /// first set above 1: fewer, stronger columns. At k = 8, 60 s, GLPK: wide #2 2,374.05 → 2,469.01, #4
    /// 2,746.98 → 3,085.41 (docs/benchmarks-wide.md); 1.05 and 1.2 gave less, 3 the same.
    static let columnPrice = 1.5
    /// The weight of the stability centre in the smoothed prices (Wentges' smoothing of column generation). A
    /// prototype with exact pricing on wide #2 at k = 8, T = 2,700 refuted in 103 rounds unsmoothed, 52 at 0.3,
    /// 39 at 0.5, 52 at 0.75 (docs/formulations.md, "L5 — stage cover").
    static let smoothing = 0.5
    /// The pricing MIP's level row asks for π(S) ≥ Σπ / (k · (1 + this)): below the refutation level by enough
    /// to leave room for the solver-tolerance margin an infeasible answer is charged.
    static let levelSlack = 1e-4
}
