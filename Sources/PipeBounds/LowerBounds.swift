import Foundation
import MIP
import PipeGraph

/// The lower-bound methods a user can ask for by name, weakest to strongest.
public enum LowerBoundMethod: String, CaseIterable, Sendable {
    /// L0: max(max w, W/k) and the stage-window ("path") bound. No solver.
    case combinatorial
    /// L0+: the boundary-cut and containing-stage bounds (max flows, no solver) from L0.
    case cuts
    /// L1: the exact prefix MIP with limits; its dual bound.
    case exact
    /// L2: the single-block bottleneck MIP.
    case singleBlock = "single-block"
    /// L3: guess-the-bottleneck-block MIPs, minimum over the guesses.
    case guessBlock = "guess-block"
    /// L4: bottleneck-value search with windowed feasibility MIPs.
    case valueSearch = "value-search"
    /// The exact DP over ideals (``IdealDPBound``, within its probe limits): OPT itself where it
    /// finishes, L0 where the graph has too many ideals. No solver.
    case idealDP = "ideal-dp"
    /// The stage-cover bound: the covering LP over stages of cost ≤ T, by column generation with pricing MIPs.
    case stageCover = "stage-cover"
    /// The convex-stage bound: per node, the least cost of a convex stage holding its group (a minimum cut,
    /// and a small MIP where the cut's set is not a stage).
    case convexStage = "convex-stage"
    /// The merged-stages bound: the exact MIP's bound at ⌈k/2⌉ stages (memory cap doubled), halved.
    case mergedStages = "merged-stages"
}

/// Everything a lower-bound method needs: the problem and the budget to solve it with. The
/// properties of both are also reachable here, by their own names.
public struct BoundRequest: Sendable {
    /// What is asked: graph, k, incumbent, known bound.
    public var problem: BoundProblem
    /// What may be spent: solver and limits.
    public var budget: SolveBudget

    /// The graph.
    public var graph: ComputationGraph { get { problem.graph } set { problem.graph = newValue } }
    /// k.
    public var stageCount: Int { get { problem.stageCount } set { problem.stageCount = newValue } }
    /// The best known partition (``BoundProblem/incumbent``).
    public var incumbent: Partition? { get { problem.incumbent } set { problem.incumbent = newValue } }
    /// The best lower bound already proven (``BoundProblem/knownLowerBound``).
    public var knownLowerBound: Double { get { problem.knownLowerBound } set { problem.knownLowerBound = newValue } }
    /// The MIP backend.
    public var solver: any MIPSolver { get { budget.solver } set { budget.solver = newValue } }
    /// Wall-clock budget for the whole method (nil: none).
    public var timeLimit: Double? { get { budget.timeLimit } set { budget.timeLimit = newValue } }
    /// Branch-and-bound node limit per MIP (nil: none).
    public var nodeLimit: Int? { get { budget.nodeLimit } set { budget.nodeLimit = newValue } }
    /// Threads the solver may use.
    public var threads: Int { get { budget.threads } set { budget.threads = newValue } }
    /// Stop once LB / UB reaches this.
    public var targetRatio: Double { get { budget.targetRatio } set { budget.targetRatio = newValue } }
    /// Set to stop early.
    public var stopFlag: StopFlag? { get { budget.stopFlag } set { budget.stopFlag = newValue } }
    /// ``SolveBudget/usesIdealDP``.
    public var usesIdealDP: Bool { get { budget.usesIdealDP } set { budget.usesIdealDP = newValue } }
    /// ``SolveBudget/searchStepLimit``.
    public var searchStepLimit: Int { get { budget.searchStepLimit } set { budget.searchStepLimit = newValue } }
    /// ``SolveBudget/boundaryCuts``.
    public var boundaryCuts: Bool { get { budget.boundaryCuts } set { budget.boundaryCuts = newValue } }
    /// ``SolveBudget/stageChainCuts``.
    public var stageChainCuts: Bool { get { budget.stageChainCuts } set { budget.stageChainCuts = newValue } }
    /// ``SolveBudget/pathSegmentCuts``.
    public var pathSegmentCuts: Bool { get { budget.pathSegmentCuts } set { budget.pathSegmentCuts = newValue } }
    /// ``SolveBudget/stageCapacityCuts``.
    public var stageCapacityCuts: Bool { get { budget.stageCapacityCuts } set { budget.stageCapacityCuts = newValue } }
    /// ``SolveBudget/forcedProducers``.
    public var forcedProducers: Bool { get { budget.forcedProducers } set { budget.forcedProducers = newValue } }

    /// The default of ``searchStepLimit``: about a second per probe in a release build.
    public static let defaultSearchStepLimit = 3_000_000

    public init(problem: BoundProblem, budget: SolveBudget) {
        self.problem = problem
        self.budget = budget
    }

    public init(graph: ComputationGraph, stageCount: Int, solver: any MIPSolver, timeLimit: Double? = nil,
                nodeLimit: Int? = nil, threads: Int = 1, incumbent: Partition? = nil, knownLowerBound: Double = 0,
                targetRatio: Double = 0.999, stopFlag: StopFlag? = nil) {
        self.init(problem: BoundProblem(graph: graph, stageCount: stageCount, incumbent: incumbent, knownLowerBound: knownLowerBound),
                  budget: SolveBudget(solver: solver, timeLimit: timeLimit, nodeLimit: nodeLimit, threads: threads,
                                      targetRatio: targetRatio, stopFlag: stopFlag))
    }
}

/// Runs a lower-bound method by name.
public enum LowerBounds {
    /// A proven lower bound on the optimal bottleneck of `request.graph` with `request.stageCount` stages.
    ///
    /// Every method's value is at least the combinatorial bound (and `request.knownLowerBound`), is
    /// rounded down for floating-point and solver tolerances, and never exceeds the optimum.
    /// A partition found on the way is returned when it beats `request.incumbent`.
    public static func compute(_ method: LowerBoundMethod, _ request: BoundRequest) throws -> LowerBoundResult {
        let run: (inout BoundContext) throws -> LowerBoundResult
        switch method {
        case .combinatorial: return try combinatorial(request)  // without the context's incumbent
        case .cuts: run = CutBounds.compute
        case .exact: run = ExactBound.compute
        case .singleBlock: run = SingleBlockBound.compute
        case .guessBlock: run = GuessBlockBound.compute
        case .valueSearch: run = ValueSearch.compute
        case .idealDP: run = IdealDPBound.compute
        case .stageCover: run = StageCoverBound.compute
        case .convexStage: run = ConvexStageBound.compute
        case .mergedStages: run = { try MergedStagesBound.compute(&$0) }
        }
        var context = try BoundContext(request)
        return try run(&context)
    }

    /// L0 alone: what ``BoundContext`` would give as its lower bound, without the incumbent it also
    /// prepares (the slicing DP when the request has none: seconds on a 20,000-node graph, which
    /// `certify` runs as a step of its own anyway).
    private static func combinatorial(_ request: BoundRequest) throws -> LowerBoundResult {
        guard request.stageCount >= 1 else { throw ModelError("the stage count must be at least 1, not \(request.stageCount)") }
        let started = Date()
        let bound = CombinatorialBound(graph: request.graph, stageCount: request.stageCount)
        let value = Swift.max(bound.value, request.knownLowerBound.isFinite ? request.knownLowerBound : 0)
        return LowerBoundResult(method: LowerBoundMethod.combinatorial.rawValue, value: value, status: .proved,
                                seconds: Date().timeIntervalSince(started), detail: bound.detail)
    }
}
