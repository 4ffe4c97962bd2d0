import CCBCBridge
import MIP

/// Turns CBC's raw outcome into a status and a bound that is safe to report.
///
/// CBC 2.10's best possible value is unreliable after an early stop (it can be the
/// "infinite" initial value, or optimistic when read inside the search), so a stopped
/// solve's bound is taken only when CBC reached branch-and-bound, the value is finite, and
/// it does not pass the incumbent; otherwise nothing is proven (-infinity when minimising).
struct CBCEnding {
    var status: SolveStatus
    /// The bound in the model's sense, without the objective constant.
    var bound: Double

    init(outcome: PBCbcOutcome, relativeGap: Double, absoluteGap: Double, minimizing: Bool) {
        // Work as if minimising: sign flips a maximisation's values.
        let sign: Double = minimizing ? 1 : -1
        let nothingProven = -Double.infinity
        let incumbent = outcome.hasSolution != 0 ? outcome.objective * sign : nil
        let raw = outcome.rawBound * sign
        let rawIsUsable = raw.isFinite && Swift.abs(raw) < 1e50 && (incumbent.map { raw <= $0 } ?? true)
        var bound = nothingProven
        switch outcome.ending {
        case PBCbcEndingOptimal:
            status = .optimal
            let objective = incumbent ?? 0
            let allowedGap = Swift.max(absoluteGap, relativeGap * Swift.abs(objective))
            bound = rawIsUsable ? Swift.min(raw, objective) : objective - allowedGap
        case PBCbcEndingInfeasible:
            status = .infeasible
            bound = .infinity
        case PBCbcEndingUnbounded:
            status = .unbounded
            bound = nothingProven
        default:
            status = incumbent == nil ? .limitReachedWithoutSolution : .limitReachedWithSolution
            if outcome.reachedBranchAndBound != 0, rawIsUsable { bound = raw }
        }
        self.bound = bound * sign
    }
}
