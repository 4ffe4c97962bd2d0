import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness of the stage-chain cuts (docs/formulations.md, "Stage-chain cuts") on 1,200 random
/// small DAGs (a third comm-heavy, with memory caps and colocation groups): the check never refutes the
/// optimum (the check is monotone in T, so no larger value either), and, on every sixth instance, the bound
/// started from the boundary cuts is at most OPT. The value search that starts from the cut bounds (this one
/// included) is checked against brute force on both backends by `BoundaryCutBoundTests`.
final class StageChainBoundTests: XCTestCase {
    func testChainCheckNeverRefutesAPartitionsBottleneck() {
        var raised = 0, checked = 0, bounded = 0
        for seed in UInt64(21_000)..<UInt64(22_200) {
            let (graph, stageCount, calculator, chain) = Self.instance(seed: seed, largestNodeCount: 7)
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
            checked += 1
            // The optimum: the value the check is most likely to get wrong (the check is monotone in T).
            XCTAssertFalse(chain.provesInfeasible(bottleneck: optimum),
                           "seed \(seed) k=\(stageCount): a partition of bottleneck \(optimum) exists")
            // The bisection is the costly part: on every sixth instance, at a coarser resolution.
            guard seed % 6 == 0 else { continue }
            bounded += 1
            let boundary = BoundaryCutBound(graph: graph, calculator: calculator)
            let start = boundary.bound(from: CombinatorialBound(graph: graph, stageCount: stageCount, windows: calculator).value,
                                       resolution: 1e-3)
            let bound = chain.bound(from: start, resolution: 1e-2)
            XCTAssertLessThanOrEqual(bound, optimum, "seed \(seed) k=\(stageCount): from \(start)")
            if bound > start * (1 + 1e-2) { raised += 1 }
        }
        print("stage-chain cuts: above the boundary cuts on \(raised) of \(bounded) instances")
        XCTAssertGreaterThan(checked, 1_000)
        // The bound must do something on these graphs, or the test above checks nothing.
        XCTAssertGreaterThan(raised, 15)
    }

    /// The windows narrowed by the work-only chains (what the prefix MIPs and the value search's probes use)
    /// hold every partition of bottleneck ≤ T: on 1,200 random small DAGs, at the optimum and at five more
    /// partition costs spread over the rest, every valid partition (empty stages allowed) of bottleneck ≤ T
    /// lies in the narrowed windows at T. They must be narrower than the plain windows somewhere, or the test
    /// checks nothing.
    func testNarrowedWindowsHoldEveryPartitionOfTheirBottleneck() {
        var narrower = 0, checks = 0, instances = 0
        for seed in UInt64(23_000)..<UInt64(24_200) {
            let (graph, stageCount, calculator, chain) = Self.instance(seed: seed, largestNodeCount: 6)
            var partitions: [(partition: Partition, bottleneck: Double)] = []
            ExhaustiveSearch.forEachPartition(of: graph, stageCount: stageCount) { partition in
                guard graph.isValid(partition) else { return }
                partitions.append((partition, graph.bottleneck(of: partition)))
            }
            let costs = Array(Set(partitions.map(\.bottleneck))).sorted()
            guard !costs.isEmpty else { continue }
            instances += 1
            for value in Set((0..<6).map { costs[$0 * (costs.count - 1) / 5] }) {
                checks += 1
                guard let windows = chain.narrowedWindows(bottleneck: value) else {
                    XCTFail("seed \(seed) k=\(stageCount): the narrowing refutes \(value), a partition's bottleneck")
                    continue
                }
                if windows != calculator.windows(bottleneck: value) { narrower += 1 }
                for (partition, bottleneck) in partitions where bottleneck <= value {
                    for node in 0..<graph.nodeCount where !windows.allows(node, in: partition.stageOf[node]) {
                        XCTFail("seed \(seed) k=\(stageCount) T=\(value): node \(node) in stage \(partition.stageOf[node]) "
                                + "of a partition of bottleneck \(bottleneck), outside [\(windows.earliest[node]), \(windows.latest[node])]")
                    }
                }
            }
        }
        print("narrowed windows: \(checks) values on \(instances) instances, narrower than the plain ones at \(narrower)")
        XCTAssertGreaterThan(instances, 1_000)
        XCTAssertGreaterThan(narrower, 100)
    }

    /// The random instance of `seed`: 3 to `largestNodeCount` nodes (a third comm-heavy, memory caps, groups),
    /// k = 2 to 4, with its windows and check.
    private static func instance(seed: UInt64, largestNodeCount: Int)
        -> (graph: ComputationGraph, stageCount: Int, calculator: StageWindowCalculator, chain: StageChainBound) {
        let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % UInt64(largestNodeCount - 2)), seed: seed,
                                          options: BoundaryCutBoundTests.options(seed: seed))
        let stageCount = 2 + Int((seed / 5) % 3)
        let calculator = StageWindowCalculator(graph: graph, stageCount: stageCount)
        return (graph, stageCount, calculator, StageChainBound(graph: graph, calculator: calculator))
    }
}
