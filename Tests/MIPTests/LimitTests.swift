import Foundation
import MIP
import MIPSolvers
import XCTest

/// Limited, warm-started and stopped solves: bounds stay proven, starts are used, stops are quick.
final class LimitTests: XCTestCase {
    let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }

    func testLimitedRunsReturnProvenBounds() throws {
        var boundsInsideTheGap = 0
        for seed: UInt64 in 1...3 {
            let model = HardModels.setCover(elements: 150, sets: 300, seed: seed)
            var optima: [Double] = []
            for solver in solvers {
                optima.append(try XCTUnwrap(solver.solve(model, options: SolveOptions()).objective))
            }
            XCTAssertEqual(optima[0], optima[1], accuracy: 1e-6)
            let optimum = optima[0]
            let limits = [SolveOptions(nodeLimit: 0), SolveOptions(nodeLimit: 1), SolveOptions(nodeLimit: 5),
                          SolveOptions(timeLimit: 0.005), SolveOptions(timeLimit: 0.03), SolveOptions(timeLimit: 0.1)]
            for solver in solvers {
                for options in limits {
                    let result = try solver.solve(model, options: options)
                    let label = "\(solver.name) seed \(seed) nodes \(options.nodeLimit ?? -1) time \(options.timeLimit ?? -1)"
                    XCTAssertLessThanOrEqual(result.bestBound, optimum + 1e-6, label)
                    XCTAssertNotEqual(result.status, .infeasible, label)
                    if let objective = result.objective {
                        XCTAssertTrue(result.status.hasSolution, label)
                        XCTAssertLessThanOrEqual(result.bestBound, objective + 1e-9, label)
                        XCTAssertGreaterThanOrEqual(objective, optimum - 1e-6, label)
                        XCTAssertNil(model.violation(of: result.values), label)
                    }
                    if result.status == .optimal { XCTAssertEqual(result.objective ?? .nan, optimum, accuracy: 1e-6, label) }
                    if result.bestBound > -.infinity, result.bestBound < optimum - 1e-6 { boundsInsideTheGap += 1 }
                }
            }
        }
        // The limits must really have stopped some solves with a proven, non-trivial bound.
        XCTAssertGreaterThan(boundsInsideTheGap, 3)
    }

    func testMaximisationBoundsAreUpperBounds() throws {
        let (model, optimum) = TextbookModels.knapsack()
        for solver in solvers {
            let result = try solver.solve(model, options: SolveOptions(nodeLimit: 0))
            XCTAssertGreaterThanOrEqual(result.bestBound, optimum - 1e-6, solver.name)
            if let objective = result.objective { XCTAssertGreaterThanOrEqual(result.bestBound, objective - 1e-9, solver.name) }
        }
    }

    func testMIPStartIsUsed() throws {
        let (model, start) = HardModels.marketSplitWithPlantedSolution(rows: 4, columns: 30, seed: 5)
        XCTAssertNil(model.violation(of: start))
        for solver in solvers {
            // Without the start, a root-only solve does not find an objective-0 split.
            let cold = try solver.solve(model, options: SolveOptions(nodeLimit: 0))
            XCTAssertTrue(cold.objective.map { $0 > 0.5 } ?? true, "\(solver.name) cold \(cold.objective as Any)")
            let warm = try solver.solve(model, options: SolveOptions(nodeLimit: 0, mipStart: start))
            XCTAssertEqual(warm.objective ?? .nan, 0, accuracy: 1e-9, solver.name)
            if solver.name == "glpk" {
                // GLPK holds the start as incumbent; with the root bound 0 that proves optimality
                // (returning the start after a limit would say limitReachedWithSolution).
                XCTAssertEqual(warm.status, .optimal, solver.name)
                // Proven up to the pruning margin below the incumbent (docs/mip.md, "Bounds and pruning").
                XCTAssertEqual(warm.bestBound, 0, accuracy: 1e-6, solver.name)
            } else {
                // CBC is not handed the start (its MIP start once produced a wrong optimum, docs/mip.md);
                // the start comes back as the solution of the limited solve.
                XCTAssertEqual(warm.status, .limitReachedWithSolution, solver.name)
            }
            XCTAssertLessThanOrEqual(warm.bestBound, 0, solver.name)
        }
    }

    func testInfeasibleStartIsIgnored() throws {
        let (model, optimum) = TextbookModels.knapsack()
        let overweight = [1.0, 1, 1, 1, 1]
        for solver in solvers {
            let result = try solver.solve(model, options: SolveOptions(mipStart: overweight))
            XCTAssertEqual(result.status, .optimal, solver.name)
            XCTAssertEqual(result.objective ?? .nan, optimum, accuracy: 1e-9, solver.name)
        }
    }

    func testStopFlagEndsAHardSolveQuicklyAndProgressIsReported() throws {
        let model = HardModels.marketSplit(rows: 5, columns: 40, seed: 2)
        for solver in solvers {
            let flag = StopFlag()
            let reports = ProgressLog()
            let options = SolveOptions(timeLimit: 60, stopFlag: flag)
            var reporting = options
            reporting.progress = { reports.append($0) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 1) { flag.stop() }
            let result = try solver.solve(model, options: reporting)
            XCTAssertLessThan(result.seconds, 2.5, solver.name)
            XCTAssertGreaterThanOrEqual(result.seconds, 0.9, solver.name)
            XCTAssertTrue(result.status == .limitReachedWithSolution || result.status == .limitReachedWithoutSolution,
                          "\(solver.name) \(result.status)")
            if let objective = result.objective { XCTAssertLessThanOrEqual(result.bestBound, objective + 1e-9, solver.name) }
            XCTAssertGreaterThan(reports.count, 0, solver.name)
            XCTAssertTrue(reports.all.allSatisfy { $0.elapsed >= 0 && $0.elapsed < 3 }, solver.name)
        }
    }

    /// A large covering MIP whose root LP alone takes CBC's dual simplex well over ten seconds:
    /// CBC looks at its limits only between branch-and-bound nodes, so only the bridge's Clp event
    /// handler can end this solve on time (and GLPK's sliced simplex).
    func testStopFlagAndTimeLimitEndALongRootLP() throws {
        let model = HardModels.longRootLP()
        for solver in solvers {
            let flag = StopFlag()
            DispatchQueue.global().asyncAfter(deadline: .now() + 1) { flag.stop() }
            let stopped = try solver.solve(model, options: SolveOptions(timeLimit: 600, stopFlag: flag))
            XCTAssertLessThan(stopped.seconds, 3, "\(solver.name): the stop flag ends the root LP")
            XCTAssertNotEqual(stopped.status, .optimal, solver.name)
            let limited = try solver.solve(model, options: SolveOptions(timeLimit: 1))
            XCTAssertLessThan(limited.seconds, 3, "\(solver.name): the time limit ends the root LP")
        }
    }

    func testRaisedFlagBeforeTheSolveStopsAtOnce() throws {
        let model = HardModels.marketSplit(rows: 5, columns: 40, seed: 3)
        for solver in solvers {
            let flag = StopFlag()
            flag.stop()
            let result = try solver.solve(model, options: SolveOptions(stopFlag: flag))
            XCTAssertLessThan(result.seconds, 1, solver.name)
            XCTAssertFalse(result.status == .optimal || result.status == .infeasible, "\(solver.name) \(result.status)")
        }
    }
}

/// Progress reports collected from the solving thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [SolveProgress] = []
    func append(_ report: SolveProgress) { lock.lock(); reports.append(report); lock.unlock() }
    var all: [SolveProgress] { lock.lock(); defer { lock.unlock() }; return reports }
    var count: Int { all.count }
}
