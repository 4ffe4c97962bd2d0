import MIP

/// Turns a solver's answer into numbers that are safe to report (docs/formulations.md, "Tolerances").
enum SolverBound {
    /// The proven lower bound on a minimisation's optimum in unscaled units, rounded down for the
    /// solver's tolerances; +infinity when the model was proven infeasible, nil when nothing was proven.
    static func provenBound(_ result: SolveResult, scale: Double) -> Double? {
        switch result.status {
        case .infeasible:
            return .infinity
        case .error, .unbounded:
            return nil
        case .optimal, .limitReachedWithSolution, .limitReachedWithoutSolution:
            var bound = result.bestBound
            if result.status == .optimal, let objective = result.objective {
                // An optimal answer's bound can never exceed its own objective.
                bound = bound.isFinite ? Swift.min(bound, objective) : objective
            }
            guard bound.isFinite else { return nil }
            return SafeRounding.roundDown(bound * scale, relative: SafeRounding.solverMargin,
                                          absolute: SafeRounding.solverMargin * scale)
        }
    }

    /// Whether the solve ran to completion (optimal or infeasible), so the method's bound is its full value.
    static func finished(_ result: SolveResult) -> Bool {
        result.status == .optimal || result.status == .infeasible
    }
}
