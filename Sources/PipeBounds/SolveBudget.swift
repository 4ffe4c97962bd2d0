import MIP

/// What a lower-bound method may spend and with which MIP backend: the solver, chosen by the
/// caller (the library never names a backend), and the limits.
public struct SolveBudget: Sendable {
    /// The MIP backend.
    public var solver: any MIPSolver
    /// Wall-clock budget for the whole method (nil: none).
    public var timeLimit: Double?
    /// Branch-and-bound node limit per MIP (deterministic; nil: none).
    public var nodeLimit: Int?
    /// Threads the solver may use.
    public var threads: Int
    /// Stop once LB / UB reaches this.
    public var targetRatio: Double
    /// Set to stop early; the result is still a proven bound.
    public var stopFlag: StopFlag?
    /// Whether the value search first tries the exact DP over ideals (``IdealDPBound``, within
    /// ``PipePartition/IdealDP/Limits/standard`` and the time left): where it finishes, its optimum
    /// answers every probe at once. False: MIP and search probes only (the soundness tests run both).
    public var usesIdealDP = true
    /// Each value-search probe is first answered by the windowed search over ideals
    /// (docs/formulations.md, "L4 search probe") within this many steps; only when the steps run
    /// out does a MIP answer it. 0 turns the search off (MIP probes only).
    public var searchStepLimit: Int = BoundRequest.defaultSearchStepLimit
    /// The value search starts from the boundary-cut and containing-stage bounds (``BoundaryCutBound``,
    /// ``ContainingStageBound``, docs/formulations.md); false skips them (for before/after measurements).
    public var boundaryCuts = true
    /// The cut bounds include the stage-chain cuts (``StageChainBound``, docs/formulations.md,
    /// "Stage-chain cuts"); false leaves them out (for before/after measurements).
    public var stageChainCuts = true
    /// The cut bounds include the path-segment cuts (``PathSegmentBound``, docs/formulations.md,
    /// "Path-segment cuts"); false leaves them out (for before/after measurements).
    public var pathSegmentCuts = true
    /// The cut bounds include the stage-capacity cuts (``StageCapacityBound``, docs/formulations.md,
    /// "Stage-capacity cuts"); false leaves them out (for before/after measurements).
    public var stageCapacityCuts = true
    /// The boundary cuts charge 2·c(u) outright for every producer u that no stage of cost ≤ T holds with all
    /// its consumers (docs/formulations.md, "Boundary cuts"); false leaves that out (for before/after measurements).
    public var forcedProducers = true

    public init(solver: any MIPSolver, timeLimit: Double? = nil, nodeLimit: Int? = nil, threads: Int = 1,
                targetRatio: Double = 0.999, stopFlag: StopFlag? = nil) {
        self.solver = solver
        self.timeLimit = timeLimit
        self.nodeLimit = nodeLimit
        self.threads = threads
        self.targetRatio = targetRatio
        self.stopFlag = stopFlag
    }
}
