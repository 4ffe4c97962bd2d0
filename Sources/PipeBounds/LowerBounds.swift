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
}

/// Everything a lower-bound method needs.
public struct BoundRequest: Sendable {
    /// The graph.
    public var graph: ComputationGraph
    /// k.
    public var stageCount: Int
    /// The MIP backend.
    public var solver: any MIPSolver
    /// Wall-clock budget for the whole method (nil: none).
    public var timeLimit: Double?
    /// Branch-and-bound node limit per MIP (deterministic; nil: none).
    public var nodeLimit: Int?
    /// Threads the solver may use.
    public var threads: Int
    /// The best known partition: a warm start and the upper end of searches.
    public var incumbent: Partition?
    /// The best lower bound already proven by other methods (a search may start from it).
    public var knownLowerBound: Double
    /// Stop once LB / UB reaches this.
    public var targetRatio: Double
    /// Set to stop early; the result is still a proven bound.
    public var stopFlag: StopFlag?
    /// The value search first tries the exact DP over ideals (``IdealDP``) when the graph has at
    /// most this many ideals: its optimum answers every probe at once. 0 turns it off.
    public var idealCountLimit: Int = BoundRequest.defaultIdealCountLimit

    /// The default of ``idealCountLimit``.
    public static let defaultIdealCountLimit = 200_000
    /// Each value-search probe is first answered by the windowed search over ideals
    /// (docs/formulations.md, "L4 search probe") within this many steps; only when the steps run
    /// out does a MIP answer it. 0 turns the search off (MIP probes only).
    public var searchStepLimit: Int = BoundRequest.defaultSearchStepLimit

    /// The default of ``searchStepLimit``: about a second per probe in a release build.
    public static let defaultSearchStepLimit = 3_000_000
    /// The value search starts from the boundary-cut and containing-stage bounds (``BoundaryCutBound``,
    /// ``ContainingStageBound``, docs/formulations.md); false skips them (for before/after measurements).
    public var boundaryCuts = true

    public init(graph: ComputationGraph, stageCount: Int, solver: any MIPSolver, timeLimit: Double? = nil,
                nodeLimit: Int? = nil, threads: Int = 1, incumbent: Partition? = nil, knownLowerBound: Double = 0,
                targetRatio: Double = 0.999, stopFlag: StopFlag? = nil) {
        self.graph = graph
        self.stageCount = stageCount
        self.solver = solver
        self.timeLimit = timeLimit
        self.nodeLimit = nodeLimit
        self.threads = threads
        self.incumbent = incumbent
        self.knownLowerBound = knownLowerBound
        self.targetRatio = targetRatio
        self.stopFlag = stopFlag
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
        if method == .combinatorial { return try combinatorial(request) }
        var context = try BoundContext(request)
        switch method {
        case .combinatorial:
            return try combinatorial(request)
        case .cuts:
            return CutBounds.compute(&context)
        case .exact:
            return try ExactBound.compute(&context)
        case .singleBlock:
            return try SingleBlockBound.compute(&context)
        case .guessBlock:
            return try GuessBlockBound.compute(&context)
        case .valueSearch:
            return try ValueSearch.compute(&context)
        }
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
