import CCBCBridge
import MIP

/// Turns CBC's raw outcome into a status and a bound that is safe to report.
///
/// CBC 2.10 is not to be believed after an early stop: when its time limit fires during the
/// root, CbcModel can say "finished" (status 0) with no solution, which it also calls
/// proven infeasible, and its best possible value can be the initial "infinite" one or the
/// incumbent clamp. So:
/// - "infeasible" and "optimal" are believed only if no limit can have fired (the clock is
///   below the time limit and the stop flag is down) and, for "optimal", CBC's own bound
///   closes the gap to the incumbent within the gap tolerances;
/// - after a stop, the bound is CBC's only when CBC reached branch-and-bound and stopped in
///   the regular way (status 1 or 5), the value is finite and strictly below the incumbent;
///   otherwise nothing is proven (-infinity when minimising);
/// - after a stop that abandoned an LP between the root LP and the tree loop (the bridge's
///   `abandonedInSearch`: root cuts, heuristics), CBC may have taken the abandoned LP for an infeasible
///   problem: none of its verdicts and bounds is believed, only the optimum of the LP relaxation
///   solved before the search started.
struct CBCEnding {
    var status: SolveStatus
    /// The bound in the model's sense, without the objective constant.
    var bound: Double

    init(outcome: PBCbcOutcome, relativeGap: Double, absoluteGap: Double, minimizing: Bool, limitMayHaveFired: Bool) {
        // Work as if minimising: sign flips a maximisation's values.
        let sign: Double = minimizing ? 1 : -1
        let incumbent = outcome.hasSolution != 0 ? outcome.objective * sign : nil
        let raw = outcome.rawBound * sign
        let rawIsFinite = raw.isFinite && Swift.abs(raw) < 1e50
        var stoppedBound = -Double.infinity
        if outcome.abandonedInSearch != 0 {
            let root = outcome.rootBound * sign
            if root.isFinite, Swift.abs(root) < 1e50, incumbent.map({ root < $0 }) ?? true { stoppedBound = root }
            status = incumbent == nil ? .limitReachedWithoutSolution : .limitReachedWithSolution
            bound = stoppedBound * sign
            return
        }
        if outcome.reachedBranchAndBound != 0, outcome.cbcStatus == 1 || outcome.cbcStatus == 5, rawIsFinite,
           incumbent.map({ raw < $0 }) ?? true {
            stoppedBound = raw
        }
        switch outcome.ending {
        case PBCbcEndingOptimal where incumbent != nil:
            let objective = incumbent ?? 0
            let allowedGap = Swift.max(absoluteGap, relativeGap * Swift.abs(objective)) + 1e-9 * Swift.max(1, Swift.abs(objective))
            if !limitMayHaveFired, rawIsFinite, raw >= objective - allowedGap {
                status = .optimal
                bound = Swift.min(raw, objective)
            } else {
                status = .limitReachedWithSolution
                bound = stoppedBound
            }
        case PBCbcEndingInfeasible where !limitMayHaveFired:
            status = .infeasible
            bound = .infinity
        case PBCbcEndingUnbounded:
            status = .unbounded
            bound = -.infinity
        default:
            status = incumbent == nil ? .limitReachedWithoutSolution : .limitReachedWithSolution
            bound = stoppedBound
        }
        bound *= sign
    }
}
