import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness of the path-segment cuts (docs/formulations.md, "Path-segment cuts") on 1,200
/// random small DAGs (a third comm-heavy, with memory caps and colocation groups).
final class PathSegmentBoundTests: XCTestCase {
    /// In an optimal partition (found by enumeration), every run of a tried path that one stage holds has a
    /// least cost at most that stage's cost; so the check never refutes the optimum, and the bound from the
    /// combinatorial bound is at most OPT.
    func testRunsCostNoMoreThanTheirStageAndTheBoundStaysBelowTheOptimum() {
        var raised = 0, checked = 0, runsChecked = 0
        for seed in UInt64(31_000)..<UInt64(32_200) {
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 5), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let stageCount = 2 + Int((seed / 5) % 3)
            guard let (optimum, partition) = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount) else { continue }
            checked += 1
            let segments = PathSegmentBound(graph: graph)
            for path in segments.paths {
                // The runs of the optimal partition along the path, each against its stage's cost.
                var first = 0
                while first < path.count {
                    var last = first
                    while last + 1 < path.count, partition.stageOf[path[last + 1]] == partition.stageOf[path[first]] { last += 1 }
                    let stage = (0..<graph.nodeCount).filter { partition.stageOf[$0] == partition.stageOf[path[first]] }
                    let least = segments.leastCost(of: path, from: first, to: last)
                    XCTAssertLessThanOrEqual(least, graph.stageCost(of: stage) * (1 + 1e-12),
                                             "seed \(seed) k=\(stageCount): run \(path[first...last]) of stage \(stage)")
                    runsChecked += 1
                    first = last + 1
                }
                XCTAssertEqual(segments.needsMoreStages(path: path, bottleneck: optimum, stageCount: stageCount, shouldStop: { false })?.needsMore, false,
                               "seed \(seed) k=\(stageCount): a partition of bottleneck \(optimum) exists")
            }
            let start = CombinatorialBound(graph: graph, stageCount: stageCount,
                                           windows: StageWindowCalculator(graph: graph, stageCount: stageCount)).value
            let bound = segments.bound(from: start, ceiling: optimum * 2 + 1, stageCount: stageCount, resolution: 1e-3)
            XCTAssertLessThanOrEqual(bound, optimum, "seed \(seed) k=\(stageCount): from \(start)")
            if bound > start * (1 + 1e-3) { raised += 1 }
        }
        print("path-segment cuts: above the combinatorial bound on \(raised) of \(checked) instances, \(runsChecked) runs checked")
        XCTAssertGreaterThan(checked, 1_000)
        // The bound must do something on these graphs, or the test above checks nothing.
        XCTAssertGreaterThan(raised, 30)
    }

    /// Training graphs' stages need not be convex: the bound leaves them alone.
    func testTrainingGraphsAreLeftAlone() {
        let graph = RandomGraphs.smallTrainingDAG(forwardCount: 5, seed: 7)
        XCTAssertEqual(PathSegmentBound(graph: graph).bound(from: 1, ceiling: 1_000, stageCount: 2), 1)
    }
}
