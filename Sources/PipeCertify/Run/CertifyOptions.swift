import MIP
import PipeBounds
import PipePartition

/// One step of a certify run: a partition heuristic, or a lower-bound method with the share
/// of the remaining time budget it may spend.
public enum CertifyStep: Sendable, Hashable {
    /// Run a partition method; a better partition becomes the incumbent.
    case partition(PartitionMethod)
    /// Run a lower-bound method with at most `budgetShare` of the time left (1: all of it).
    case bound(LowerBoundMethod, budgetShare: Double)

    /// The method's name as users write it.
    public var methodName: String {
        switch self {
        case let .partition(method): return method.rawValue
        case let .bound(method, _): return method.rawValue
        }
    }
}

/// What `certify` does and may spend, per stage count.
public struct CertifyOptions: Sendable {
    /// The MIP backend, chosen by the caller (the command line resolves `--solver`).
    public var solver: any MIPSolver
    /// Wall-clock budget per stage count, in seconds (nil: none; goldens use node limits instead).
    public var timeLimit: Double?

    /// What a command keeps of `timeLimit` for what surrounds its steps and cannot be stopped
    /// (reading a large graph, the last step's wind-down, writing the output): a tenth, at most a
    /// second, so that it ends by the limit plus 2 s even on a loaded machine.
    public static func reserve(forTimeLimit timeLimit: Double) -> Double { Swift.min(1, 0.1 * timeLimit) }
    /// Branch-and-bound node limit per MIP (deterministic; nil: none).
    public var nodeLimit: Int?
    /// Stop once lower / upper reaches this.
    public var targetRatio: Double
    /// Seed of the randomised partition methods.
    public var seed: UInt64
    /// Threads each MIP may use.
    public var threads: Int
    /// The steps, in order.
    public var plan: [CertifyStep]
    /// When true, every lower-bound method starts only from the combinatorial bound and every
    /// step runs even after the target is reached, so each method's figure is its own (the
    /// regression suites' mode). When false (certify), each method starts from the best bound
    /// so far and the run stops at the target.
    public var measuresEachMethod: Bool
    /// Set it to stop the run; the certificate so far is still sound.
    public var stopFlag: StopFlag?
    /// Steps each value-search probe may spend in the windowed search over ideals before a MIP
    /// takes it over (``PipeBounds/BoundRequest/searchStepLimit``; 0: MIP probes only).
    public var searchStepLimit: Int = BoundRequest.defaultSearchStepLimit
    /// Whether the value search starts from the boundary-cut bound (``PipeBounds/BoundRequest/boundaryCuts``).
    public var boundaryCuts = true
    /// Whether the cut bounds include the stage-chain cuts (``PipeBounds/BoundRequest/stageChainCuts``).
    public var stageChainCuts = true
    /// Whether the cut bounds include the path-segment cuts (``PipeBounds/BoundRequest/pathSegmentCuts``).
    public var pathSegmentCuts = true
    /// Whether the cut bounds include the stage-capacity cuts (``PipeBounds/BoundRequest/stageCapacityCuts``).
    public var stageCapacityCuts = true
    /// Whether the boundary cuts charge the producers no stage can hold with all their consumers outright
    /// (``PipeBounds/BoundRequest/forcedProducers``).
    public var forcedProducers = true
    /// The backend of the MIPs that run on a second core beside the plan on small problems, the exact MIP's or
    /// the stage-cover bound's (nil: no second core at all; then the exact MIP is the plan's last step). It must allow a solve
    /// concurrent with `solver`'s: the same backend when that one runs concurrent solves, another
    /// otherwise (CBC's solves take turns). Only runs with a time limit use a second core, started after
    /// the ideal DP gave up, with the whole budget left (docs/certificate.md, "The second core").
    public var secondCoreSolver: (any MIPSolver)?
    /// Whether the second core runs large-neighbourhood search where the exact MIP is too large to make
    /// headway (false: the exact MIP up to 20,000 nodes × stages, nothing beyond).
    public var secondCoreSearches = true
    /// Whether, while the second core runs the exact MIP with another backend, the plan runs its own
    /// exact MIP with ``solver`` before the value search (half the time left) instead of leaving it out.
    public var exactPortfolio = true
    /// Whether the second core runs the stage-cover bound (``PipeBounds/LowerBoundMethod/stageCover``) before the
    /// exact MIP at many stages on small graphs, where the exact MIP's bound makes no headway
    /// (docs/certificate.md, "The second core").
    public var secondCoreCover = true
    /// Whether the second core runs the merged-stages bound (``PipeBounds/LowerBoundMethod/mergedStages``) first
    /// at 5 to 8 stages where the exact MIP fits and the stage-cover bound does not run (docs/certificate.md,
    /// "The second core").
    public var secondCoreMergedStages = true
    /// Whether the second core's neighbourhood search also re-solves windows of stages around a costliest one by
    /// MIP (``PipeBounds/StageWindowNeighbourhood``; docs/certificate.md, "The second core").
    public var secondCoreWindowMIP = true
    /// Whether the plan runs MIP neighbourhoods after its `lns` step where the second core does not search
    /// (docs/certificate.md, "MIP neighbourhoods in the plan").
    public var planWindowMIP = true
    /// The stage counts at which the second core runs the merged-stages bound first: the MIP at ⌈k/2⌉ ≤ 4 stages
    /// makes headway where the k-stage one does not; from 9 stages on the halved bound is that of a MIP with 5 or
    /// more stages, itself the weak kind (docs/formulations.md, L6). Tests lower it.
    var secondCoreMergedStageCounts = 5...8
    /// From this many stages on, the second core runs the stage-cover bound first on small graphs: there the
    /// exact MIP's dual bound stays near W/k until its tree closes (wide #2 at k = 8: 780 against OPT 2,745),
    /// while the covering LP sees that k stages of cost T cannot tile a comm-heavy graph. Tests lower it (with
    /// n ≤ k nodes the covering LP can never refute).
    var secondCoreCoverStageCount = 8
    /// From this many stages on the plan runs MIP neighbourhoods after `lns` where the second core does not search
    /// (``planWindowMIP``): at 2 and 4 stages the exact MIP closes most gaps on the wide bed, and needs the time.
    /// Tests lower it.
    var planWindowMIPStageCount = 8

    /// The default plan: cheap steps first, then the bound that closes typical gaps fastest.
    /// The combinatorial bound and the slicing DP cost nothing and BRKGA-100 little; the cut bounds
    /// (max flows) usually take well under a second and count even when the value search gets no time; the
    /// convex-stage bound then makes the containing-stage cut's sets stages (a small MIP where a group or the
    /// memory cap breaks one; a quarter of the time left at most), which is what a group's heaviest stage needs
    /// at large k. The exact
    /// DP over ideals is bounded by the standard counts (``PipePartition/IdealDP/Limits/standard``) and half the time left: on graphs with few ideals (chains,
    /// ResNet-like models) it finishes at once and proves the optimum; on others it gives up
    /// quickly. BRKGA-10000 runs when it fits in a third of the time left: a better partition
    /// pays twice, as the upper bound and as the aim of the value search, the strongest bound,
    /// whose first probe sits at the target ratio below it (one infeasible probe can finish
    /// the job; a feasible one improves the partition). Before the value search, large-neighbourhood search (`lns`)
    /// re-splits windows of stages around the bottleneck of the best partition so far, within a
    /// quarter of the time left (after BRKGA-10000, which it would otherwise crowd out). The single-block and guess-block relaxations and the exact MIP use the rest, their dual
    /// bounds helping where the value search's probes hit their limits.
    public static let defaultPlan: [CertifyStep] = [
        .bound(.combinatorial, budgetShare: 1),
        .partition(.slice),
        .partition(.cutChain),
        .bound(.cuts, budgetShare: 0.5),
        .bound(.convexStage, budgetShare: 0.25),
        .partition(.brkga100),
        .partition(.idealDP),
        .partition(.brkga10000),
        .partition(.lns),
        .bound(.valueSearch, budgetShare: 0.6),
        .bound(.singleBlock, budgetShare: 0.3),
        .bound(.guessBlock, budgetShare: 0.7),
        .bound(.exact, budgetShare: 1),
    ]

    public init(solver: any MIPSolver, timeLimit: Double? = 60, nodeLimit: Int? = nil, targetRatio: Double = 0.999,
                seed: UInt64 = 1, threads: Int = 1, plan: [CertifyStep] = CertifyOptions.defaultPlan,
                measuresEachMethod: Bool = false, stopFlag: StopFlag? = nil) {
        self.solver = solver
        self.timeLimit = timeLimit
        self.nodeLimit = nodeLimit
        self.targetRatio = targetRatio
        self.seed = seed
        self.threads = threads
        self.plan = plan
        self.measuresEachMethod = measuresEachMethod
        self.stopFlag = stopFlag
    }
}
