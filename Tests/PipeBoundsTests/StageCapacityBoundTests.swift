import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness of the stage-capacity cuts (docs/formulations.md, "Stage-capacity cuts") on
/// random small DAGs (a third comm-heavy, with memory caps and colocation groups).
final class StageCapacityBoundTests: XCTestCase {
    /// For *every* partition P of 160 small DAGs and T = P's bottleneck, each node's stage works at most
    /// the node's capacity at T with the windows at T: the inequality the check rests on, on partitions
    /// far from optimal too.
    func testEveryStageWorksAtMostTheCapacityOfItsNodes() {
        var stagesChecked = 0
        for seed in UInt64(41_000)..<UInt64(41_160) {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 4), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let stageCount = 2 + Int((seed / 4) % 2)
            let calculator = StageWindowCalculator(graph: graph, stageCount: stageCount)
            let capacities = StageCapacityBound(graph: graph, calculator: calculator)
            ExhaustiveSearch.forEachPartition(of: graph, stageCount: stageCount) { partition in
                let bottleneck = graph.bottleneck(of: partition)
                // The windows at P's own bottleneck hold for P.
                let windows = calculator.windows(bottleneck: bottleneck)
                XCTAssertNotNil(windows, "seed \(seed) k=\(stageCount): no windows at the bottleneck of a partition")
                for stage in 0..<stageCount {
                    let members = (0..<graph.nodeCount).filter { partition.stageOf[$0] == stage }
                    let work = members.reduce(0.0) { $0 + graph.nodes[$1].work }
                    for member in members {
                        let capacity = capacities.capacity(of: member, bottleneck: bottleneck, windows: windows)
                        XCTAssertLessThanOrEqual(work, capacity * (1 + 1e-12) + 1e-9,
                                                 "seed \(seed) k=\(stageCount): stage \(members) at T = \(bottleneck), node \(member)")
                        stagesChecked += 1
                    }
                }
            }
        }
        print("stage-capacity cuts: \(stagesChecked) node-in-stage pairs checked")
        XCTAssertGreaterThan(stagesChecked, 10_000)
    }

    /// On 1,200 random DAGs with their optimum by enumeration: the check never refutes the optimum, and
    /// the bound from the combinatorial bound is at most OPT; it must also rise above it on some.
    func testTheCheckNeverRefutesTheOptimum() {
        var raised = 0, checked = 0
        for seed in UInt64(42_000)..<UInt64(43_200) {
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 5), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let stageCount = 2 + Int((seed / 5) % 3)
            guard let (optimum, _) = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount) else { continue }
            checked += 1
            let capacities = StageCapacityBound(graph: graph, calculator: StageWindowCalculator(graph: graph, stageCount: stageCount))
            XCTAssertEqual(capacities.refutes(bottleneck: optimum, stageCount: stageCount, shouldStop: { false }), false,
                           "seed \(seed) k=\(stageCount): a partition of bottleneck \(optimum) exists")
            let start = CombinatorialBound(graph: graph, stageCount: stageCount,
                                           windows: StageWindowCalculator(graph: graph, stageCount: stageCount)).value
            let bound = capacities.bound(from: start, ceiling: optimum * 2 + 1, stageCount: stageCount)
            XCTAssertLessThanOrEqual(bound, optimum, "seed \(seed) k=\(stageCount): from \(start)")
            if bound > start * (1 + 1e-3) { raised += 1 }
        }
        print("stage-capacity cuts: above the combinatorial bound on \(raised) of \(checked) instances")
        XCTAssertGreaterThan(checked, 1_000)
        // The bound must do something on these graphs, or the test above checks nothing.
        XCTAssertGreaterThan(raised, 20)
    }

    /// The value search under a time limit (so it runs the stage-capacity cuts) on both backends: its
    /// bound is at most the optimum by enumeration, and the cuts were asked for on every run.
    func testValueSearchWithTheCapacityCutsIsSoundOnBothBackends() throws {
        let details = try BoundaryCutBoundTests.valueSearchAgainstBruteForce(seeds: 46_000..<47_000, sizes: 5) { request, _ in
            request.timeLimit = 60
        }
        // Runs that end at once (L0 meets the target) never reach the cuts; most do.
        XCTAssertGreaterThan(details.filter { $0.contains("stage-capacity cuts") }.count, 400)
    }

    /// Training graphs' stages need not be convex: the bound leaves them alone.
    func testTrainingGraphsAreLeftAlone() {
        let graph = RandomGraphs.smallTrainingDAG(forwardCount: 5, seed: 7)
        XCTAssertEqual(StageCapacityBound(graph: graph).bound(from: 1, ceiling: 1_000, stageCount: 2), 1)
    }
}
