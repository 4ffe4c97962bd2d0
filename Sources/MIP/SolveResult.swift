/// How a solve ended.
public enum SolveStatus: Equatable, Sendable {
    /// Proven optimal (within the gap tolerances asked for).
    case optimal
    /// A limit (time, nodes, gap, stop flag) ended the search with a feasible solution in hand.
    case limitReachedWithSolution
    /// A limit ended the search before any feasible solution was found.
    case limitReachedWithoutSolution
    /// Proven infeasible.
    case infeasible
    /// Proven unbounded (or the relaxation is).
    case unbounded
    /// The solver failed; the text says how.
    case error(String)

    /// Whether ``SolveResult/values`` holds a feasible solution.
    public var hasSolution: Bool { self == .optimal || self == .limitReachedWithSolution }
}

/// What a backend returns.
public struct SolveResult: Sendable {
    /// How the solve ended.
    public var status: SolveStatus
    /// Objective of the returned solution (nil without one).
    public var objective: Double?
    /// The proven dual bound: when minimising, no feasible solution has a smaller objective.
    /// It holds also when a limit stopped the solver. `-.infinity` (minimising) when nothing is
    /// proven; `+.infinity` when minimising an infeasible model.
    public var bestBound: Double
    /// One value per column (empty without a solution).
    public var values: [Double]
    /// Wall-clock seconds spent in the solver.
    public var seconds: Double
    /// Branch-and-bound nodes processed.
    public var nodes: Int

    public init(status: SolveStatus, objective: Double?, bestBound: Double, values: [Double], seconds: Double, nodes: Int) {
        self.status = status
        self.objective = objective
        self.bestBound = bestBound
        self.values = values
        self.seconds = seconds
        self.nodes = nodes
    }

    /// The value of one variable in the returned solution.
    public subscript(variable: Variable) -> Double { values[variable.index] }
}
