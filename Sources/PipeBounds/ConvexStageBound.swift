import Foundation
import MIP
import PipeGraph

/// The convex-stage bound: the stage holding node v is a *stage* — convex, holding v's colocation group
/// whole, within the memory cap — so the optimum is at least min f(S) over such sets S ∋ v, for every v.
/// The containing-stage cuts (``ContainingStageBound``) compute the same minimum over all node sets, convex
/// or not, by a minimum cut; where that cut's set is not a stage (it holds part of a group, skips a node on a
/// path between two of its members, or passes the memory cap), a small MIP over stages gives the exact value.
/// See docs/formulations.md, "Convex-stage bound".
///
/// At large k the costliest node's stage is often the bottleneck: on wide #4 (groups) at k = 32 and 64 the cut
/// bound stopped at LB/UB 0.9495, and the least stage around its costliest group is the incumbent's bottleneck.
struct ConvexStageBound {
    private let graph: ComputationGraph
    private let solver: any MIPSolver
    /// The MIPs' costs are the graph's divided by this.
    private let scale: Double
    private let cut: ContainingStageBound
    /// MIPs solved, and cut sets that were stages already (for the detail line).
    private(set) var solves = 0
    private(set) var cutSetsThatAreStages = 0
    /// Whether a minimum cut whose set is a stage settles the minimum without a MIP (tests turn it off to check
    /// the MIP on every set).
    var trustsCutStages = true

    init(graph: ComputationGraph, solver: any MIPSolver, scale: Double) {
        self.graph = graph
        self.solver = solver
        self.scale = scale
        cut = ContainingStageBound(graph: graph)
    }

    /// The node sets a stage must hold together, one per group and one per node outside any group, with an
    /// upper bound on their least stage cost: f of the least stage holding them, or +∞ when that passes the
    /// memory cap (then any stage holding them does too, and only the MIP can tell).
    func candidates() -> [(members: [Int], ceiling: Double)] {
        let result = graph.colocationSets.map { members in
            // A node alone is convex: the hull's two closures (O(n) each) only for groups.
            let closed = members.count == 1 ? members : graph.closedStage(of: members)
            return (members: members, ceiling: graph.fitsMemoryCap(closed) ? graph.stageCost(of: closed) : .infinity)
        }
        return result.sorted { ($0.ceiling, $1.members[0]) > ($1.ceiling, $0.members[0]) }
    }

    /// A proven lower bound on min f(S) over the stages S holding `members` (rounded down for the solvers'
    /// tolerances). The minimum cut's value always counts; its set, when it is a stage, settles the minimum;
    /// otherwise a MIP over stages (``BlockFormulation/stage``) with `members` fixed inside raises it, stopping
    /// once its incumbent is at most `enough` (then the minimum cannot raise a bound of `enough`).
    mutating func leastStageCost(holding members: [Int], enough: Double, options: SolveOptions) throws -> Double {
        let (cutCost, cutSet) = cut.leastCostSet(holding: members)
        let cutBound = SafeRounding.roundDown(cutCost, relative: SafeRounding.arithmeticMargin)
        if trustsCutStages, graph.isStage(cutSet) {
            cutSetsThatAreStages += 1
            return cutBound
        }
        let model = stageModel(holding: members)
        var options = options
        let enoughFlag = StopFlag(parent: options.stopFlag)
        let enoughLevel = enough / scale
        options.stopFlag = enoughFlag
        options.progress = { progress in
            if let incumbent = progress.incumbent, incumbent <= enoughLevel { enoughFlag.stop() }
        }
        let (result, margin) = try SolverBound.solve(model, with: solver, options: options)
        solves += 1
        // Infeasible would mean no stage holds the group: no partition exists, which the graph's validation
        // rules out; nothing is claimed from it.
        guard let proven = SolverBound.provenBound(result, margin: margin, scale: scale), proven.isFinite else { return cutBound }
        return Swift.max(cutBound, proven)
    }

    /// The MIP over stages (``BlockFormulation/stage``) with `members` fixed inside, minimising the stage's
    /// cost in units of `scale`.
    func stageModel(holding members: [Int]) -> Model {
        var model = Model(name: "convex-stage")
        let (inside, cost) = BlockFormulation.stage(graph: graph, scale: scale, model: &model)
        for member in members { model.addConstraint(LinearExpression(inside[member]) >= 1) }
        model.minimize(cost)
        return model
    }

    /// The best bound from `from` (proven): candidates in decreasing order of their ceiling until it falls to
    /// the best so far, `shouldStop` asked before each. `stopped` tells whether a stop cut the search short.
    mutating func bound(from: Double, options: () -> SolveOptions, shouldStop: () -> Bool) throws -> (value: Double, stopped: Bool) {
        var best = from
        for candidate in candidates() {
            guard candidate.ceiling > best else { break }
            if shouldStop() { return (best, true) }
            best = Swift.max(best, try leastStageCost(holding: candidate.members, enough: best, options: options()))
        }
        return (best, false)
    }

    /// The `convex-stage` method, from the best known bound (the cut bounds in certify). Not on training graphs:
    /// their stages are not convex in the data edges (docs/graph-format.md).
    static func compute(_ context: inout BoundContext) throws -> LowerBoundResult {
        let lower = context.lowerBound
        guard !context.graph.isTraining else {
            return context.result(method: .convexStage, value: lower, status: .skipped, detail: "training graph: its stages are not convex in the data edges")
        }
        guard lower < context.upperBound else {
            return context.result(method: .convexStage, value: lower, status: .proved, detail: "the combinatorial bound meets the incumbent")
        }
        var bound = ConvexStageBound(graph: context.graph, solver: context.request.solver, scale: context.scale)
        let shared = context
        let (value, stopped) = try bound.bound(from: lower, options: { shared.options() }, shouldStop: { shared.shouldStop })
        return context.result(method: .convexStage, value: value, status: stopped ? .limit : .proved,
                              detail: "\(bound.solves) MIPs, \(bound.cutSetsThatAreStages) minimum cuts already stages")
    }
}
