import CCBCBridge
import XCTest
@testable import MIPCBC

/// How a CBC outcome becomes a status and a bound: after a stop that abandoned an LP after the root LP
/// (root cuts and heuristics), only the root LP's optimum is believed (docs/mip.md, "Stopping").
final class CBCEndingTests: XCTestCase {
    private func outcome(ending: PBCbcEnding, status: Int32, rawBound: Double, rootBound: Double,
                         objective: Double?, abandoned: Bool) -> PBCbcOutcome {
        var outcome = PBCbcOutcome()
        outcome.ending = ending
        outcome.cbcStatus = status
        outcome.rawBound = rawBound
        outcome.rootBound = rootBound
        outcome.reachedBranchAndBound = 1
        outcome.abandonedInSearch = abandoned ? 1 : 0
        outcome.hasSolution = objective == nil ? 0 : 1
        outcome.objective = objective ?? 0
        return outcome
    }

    func testAbandonedSearchBelievesOnlyTheRootBound() {
        // An abandoned LP taken for an infeasible problem: CBC says "infeasible" or reports a bound above
        // the root's; neither is believed, whatever the clock says.
        for limitMayHaveFired in [false, true] {
            let infeasible = CBCEnding(outcome: outcome(ending: PBCbcEndingInfeasible, status: 0, rawBound: 1e300, rootBound: 12.5,
                                                        objective: nil, abandoned: true),
                                       relativeGap: 0, absoluteGap: 0, minimizing: true, limitMayHaveFired: limitMayHaveFired)
            XCTAssertEqual(infeasible.status, .limitReachedWithoutSolution)
            XCTAssertEqual(infeasible.bound, 12.5)
            let optimal = CBCEnding(outcome: outcome(ending: PBCbcEndingOptimal, status: 0, rawBound: 20, rootBound: 12.5,
                                                     objective: 20, abandoned: true),
                                    relativeGap: 0, absoluteGap: 0, minimizing: true, limitMayHaveFired: limitMayHaveFired)
            XCTAssertEqual(optimal.status, .limitReachedWithSolution)
            XCTAssertEqual(optimal.bound, 12.5)
        }
        // Maximising: the root LP's optimum is an upper bound.
        let maximum = CBCEnding(outcome: outcome(ending: PBCbcEndingStopped, status: 1, rawBound: 3, rootBound: 9,
                                                 objective: 4, abandoned: true),
                                relativeGap: 0, absoluteGap: 0, minimizing: false, limitMayHaveFired: true)
        XCTAssertEqual(maximum.status, .limitReachedWithSolution)
        XCTAssertEqual(maximum.bound, 9)
        // No root optimum (the stop came before the root LP ended): nothing is proven.
        let none = CBCEnding(outcome: outcome(ending: PBCbcEndingStopped, status: 1, rawBound: 15, rootBound: -.infinity,
                                              objective: 20, abandoned: true),
                             relativeGap: 0, absoluteGap: 0, minimizing: true, limitMayHaveFired: true)
        XCTAssertEqual(none.bound, -.infinity)
    }

    func testSearchStoppedBetweenNodesKeepsCBCsBound() {
        let stopped = CBCEnding(outcome: outcome(ending: PBCbcEndingStopped, status: 1, rawBound: 15, rootBound: 12.5,
                                                 objective: 20, abandoned: false),
                                relativeGap: 0, absoluteGap: 0, minimizing: true, limitMayHaveFired: true)
        XCTAssertEqual(stopped.status, .limitReachedWithSolution)
        XCTAssertEqual(stopped.bound, 15)
    }
}
