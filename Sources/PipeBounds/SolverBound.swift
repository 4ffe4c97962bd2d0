import Foundation
import MIP

/// Turns a solver's answer into numbers that are safe to report (docs/formulations.md, "Tolerances").
enum SolverBound {
    /// The proven lower bound on a minimisation's optimum in unscaled units, rounded down by
    /// `margin`, the solver's tolerances on the model solved (``toleranceMargin(of:)``, returned by
    /// ``solve(_:with:options:)``); +infinity when the model was proven infeasible, nil when nothing
    /// was proven.
    static func provenBound(_ result: SolveResult, margin: Double, scale: Double) -> Double? {
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
            return SafeRounding.roundDown((bound - margin) * scale, relative: SafeRounding.arithmeticMargin)
        }
    }

    /// How far, in the model's units, the LP solves behind a dual bound can have overstated it
    /// (docs/formulations.md, "Tolerances"): a simplex basis is accepted as optimal when every
    /// reduced cost is within the dual feasibility tolerance ε_d of the right sign, and the true LP
    /// minimum is then at least the reported one minus ε_d · Σ_j (u_j − l_j) (Neumaier and
    /// Shcherbina, 2004); rows accepted within the primal tolerance ε_p add at most
    /// ε_p · max_i Σ_j |a_ij| (u_j − l_j). Both backends run with ε_d = ε_p = 1e-7.
    static func toleranceMargin(of model: Model) -> Double {
        let tolerance = SafeRounding.solverTolerance
        var ranges = [Double](repeating: 0, count: model.variableCount)
        var rangeSum = 0.0
        for column in 0..<model.variableCount {
            let lower = model.columnLower[column], upper = model.columnUpper[column]
            // A column without two finite bounds gets the unit range of the scaled model's values.
            let range = lower.isFinite && upper.isFinite ? upper - lower : 1
            ranges[column] = range
            rangeSum += range
        }
        var largestRowMass = 0.0
        for row in 0..<model.constraintCount {
            var mass = 0.0
            for entry in model.rowStart[row]..<model.rowStart[row + 1] {
                mass += Swift.abs(model.rowValues[entry]) * ranges[Int(model.rowColumns[entry])]
            }
            largestRowMass = Swift.max(largestRowMass, mass)
        }
        return tolerance * (rangeSum + largestRowMass + 1)
    }

    /// Solves what every bound and probe hands a solver: `model` without its negligible terms
    /// (``Model/relaxingNegligibleTerms(relativeTolerance:)``, a relaxation, so a bound or an
    /// infeasibility proven on it holds for `model`), with the margin of its tolerances.
    static func solve(_ model: Model, with solver: any MIPSolver,
                      options: SolveOptions) throws -> (result: SolveResult, margin: Double) {
        let started = Date()
        let relaxed = model.relaxingNegligibleTerms()
        let margin = toleranceMargin(of: relaxed)
        var options = options
        // On models with hundreds of thousands of rows these passes take a noticeable part of a
        // short budget: the solver gets what is left of it (a time limit is a promise).
        options.timeLimit = options.timeLimit.map { Swift.max(0.001, $0 - Date().timeIntervalSince(started)) }
        return (try solver.solve(relaxed, options: options), margin)
    }

    /// Whether the solve ran to completion (optimal or infeasible), so the method's bound is its full value.
    static func finished(_ result: SolveResult) -> Bool {
        result.status == .optimal || result.status == .infeasible
    }
}
