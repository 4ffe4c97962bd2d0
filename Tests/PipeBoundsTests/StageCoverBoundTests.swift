import XCTest
import MIP
import MIPSolvers
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness of the stage-cover bound (docs/formulations.md, "Stage-cover bound") on random small
/// DAGs (a third comm-heavy, memory caps, colocation groups) and training graphs, on both backends.
final class StageCoverBoundTests: XCTestCase {
    private let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }

    /// The check at T = OPT must not refute it (a partition of bottleneck OPT exists), and, being monotone, no
    /// higher T either; the bound from L0 must be at most OPT. 1,200 DAGs, the backends taking turns.
    func testTheCheckNeverRefutesTheOptimum() throws {
        XCTAssertEqual(solvers.count, 2)
        var raised = 0, checked = 0, bounds = 0
        for seed in UInt64(44_000)..<UInt64(45_200) {
            let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % 4), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let stageCount = 2 + Int((seed / 4) % 3)
            guard let (optimum, partition) = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount) else { continue }
            checked += 1
            let solver = solvers[Int(seed % 2)]
            // Half the runs start from the optimal partition's stages, half from no sets at all.
            var cover = StageCoverBound(graph: graph, stageCount: stageCount, solver: solver, scale: Swift.max(1, optimum),
                                        seeds: seed % 4 < 2 ? [partition] : [])
            XCTAssertEqual(try cover.refutes(bottleneck: optimum, options: { SolveOptions() }, shouldStop: { false }), false,
                           "seed \(seed) k=\(stageCount) \(solver.name): a partition of bottleneck \(optimum) exists")
            guard seed % 3 == 0 else { continue }
            bounds += 1
            let start = CombinatorialBound(graph: graph, stageCount: stageCount).value
            let (bound, stopped) = try cover.bound(from: start, ceiling: optimum * 2 + 1, options: { SolveOptions() },
                                                   shouldStop: { false })
            XCTAssertFalse(stopped)
            XCTAssertLessThanOrEqual(bound, optimum, "seed \(seed) k=\(stageCount) \(solver.name): from \(start)")
            if bound > start * (1 + 1e-3) { raised += 1 }
        }
        print("stage-cover bound: \(checked) instances checked at OPT, above the combinatorial bound on \(raised) of \(bounds)")
        XCTAssertGreaterThan(checked, 1_000)
        // The bound must do something on these graphs, or the test above checks nothing.
        XCTAssertGreaterThan(raised, bounds / 10)
    }

    /// The same on training graphs (backward nodes in their forward node's group, stages convex in the
    /// precedence order), through the method itself: LB ≤ OPT ≤ UB.
    func testTrainingGraphs() throws {
        var checked = 0
        for seed in UInt64(45_500)..<UInt64(45_700) {
            let graph = RandomGraphs.smallTrainingDAG(forwardCount: 3 + Int(seed % 3), seed: seed, options: TestSupport.options(seed: seed))
            let stageCount = 2 + Int(seed % 2)
            guard let (optimum, _) = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount) else { continue }
            checked += 1
            let solver = solvers[Int(seed % 2)]
            let result = try LowerBounds.compute(.stageCover, BoundRequest(graph: graph, stageCount: stageCount, solver: solver))
            XCTAssertLessThanOrEqual(result.value, optimum, "seed \(seed) k=\(stageCount) \(solver.name) [\(result.detail)]")
            XCTAssertEqual(result.status, .proved, "seed \(seed): \(result.detail)")
        }
        XCTAssertGreaterThan(checked, 170)
    }
}
