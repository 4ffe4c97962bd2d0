import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness of the stage-chain cuts (docs/formulations.md, "Stage-chain cuts") on 1,200 random
/// small DAGs (a third comm-heavy, with memory caps and colocation groups): the check never refutes the
/// bottleneck of any partition, at the optimum and at every partition cost just above it, and the bound is
/// at most OPT. The value search that starts from the cut bounds (and so from this one) is checked against
/// brute force on both backends by `BoundaryCutBoundTests.testValueSearchFromBoundaryCutsIsSound`.
final class StageChainBoundTests: XCTestCase {
    func testChainCheckNeverRefutesAPartitionsBottleneck() {
        var raised = 0, checked = 0
        for seed in UInt64(21_000)..<UInt64(22_200) {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 5), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let stageCount = 2 + Int((seed / 5) % 3)
            let calculator = StageWindowCalculator(graph: graph, stageCount: stageCount)
            let chain = StageChainBound(graph: graph, calculator: calculator)
            var costs = Set<Double>()
            ExhaustiveSearch.forEachPartition(of: graph, stageCount: stageCount) { partition in
                costs.insert(graph.stageLoads(of: partition).map(\.cost).max() ?? 0)
            }
            guard let optimum = costs.min() else { continue }
            checked += 1
            // The optimum and the next partition costs above it: the values the check is most likely to get wrong.
            for value in costs.sorted().prefix(4) {
                XCTAssertFalse(chain.provesInfeasible(bottleneck: value),
                               "seed \(seed) k=\(stageCount): a partition of bottleneck \(value) exists (OPT \(optimum))")
            }
            let boundary = BoundaryCutBound(graph: graph, calculator: calculator)
            let start = boundary.bound(from: CombinatorialBound(graph: graph, stageCount: stageCount, windows: calculator).value,
                                       resolution: 1e-3)
            let bound = chain.bound(from: start, resolution: 1e-3)
            XCTAssertLessThanOrEqual(bound, optimum, "seed \(seed) k=\(stageCount): from \(start)")
            if bound > start * (1 + 1e-3) { raised += 1 }
        }
        print("stage-chain cuts: above the boundary cuts on \(raised) of \(checked) instances")
        XCTAssertGreaterThan(checked, 1_000)
        // The bound must do something on these graphs, or the test above checks nothing.
        XCTAssertGreaterThan(raised, 50)
    }
}
