import MIP
import PipeBounds
import PipePartition
import MIPSolvers
import PipeTestSupport
import XCTest

/// The medium soundness check (``MediumSoundnessCheck``: every MIP lower bound and probe on both
/// backends against the exact optimum, docs/formulations.md, "Tolerances") on a few graphs in the
/// test build, with their own seeds; `make test` runs 500 more in the release program
/// (PipeboundCommandTests' `MediumSoundnessProgramTests`).
final class MediumSoundnessTests: XCTestCase {
    private func check(block: UInt64) throws {
        let solvers = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }
        XCTAssertEqual(solvers.count, 2, "both backends must be available")
        let summary = MediumSoundnessCheck(solvers: solvers).run(firstSeed: block * 100_000, graphCount: 6)
        print("medium soundness block \(block): \(summary.line)")
        XCTAssertEqual(summary.graphs, 6)
        XCTAssertEqual(summary.failures, [])
    }

    func testBlockFive() throws { try check(block: 5) }
    func testBlockSix() throws { try check(block: 6) }
}

/// Seed 31 (costs from 1e-7 to 1e7): CBC's probing, handed the stage-cost rows' coefficients of
/// 3e-14 next to 1, cut the optimum off at the root and the exact bound under a one-node limit
/// came out 0.3 % above it. Bounds now solve the model without its negligible terms.
final class NegligibleTermRegressionTests: XCTestCase {
    func testCBCExactBoundUnderOneNodeStaysBelowTheOptimum() throws {
        let graph = MediumGraphs.graph(seed: 31)
        let optimum = try XCTUnwrap(IdealDP.optimum(of: graph, stageCount: 3)).bottleneck
        var request = BoundRequest(graph: graph, stageCount: 3, solver: try SolverCatalog.solver(named: "cbc"), nodeLimit: 1)
        request.usesIdealDP = false
        request.searchStepLimit = 0
        let bound = try LowerBounds.compute(.exact, request)
        XCTAssertLessThanOrEqual(bound.value, optimum, bound.detail)
        // Still a real bound: within 1e-5 of the optimum (the LP relaxation is that close here).
        XCTAssertGreaterThan(bound.value, optimum * (1 - 1e-5), bound.detail)
    }
}
