import XCTest
import PipeGraph
@testable import PipePartition
import PipeTestSupport

final class BottleneckNeighbourhoodTests: XCTestCase {
    /// A deliberately poor valid start: equal node counts per stage along a random order, else the slicing DP's partition.
    private func poorStart(_ graph: ComputationGraph, stageCount: Int, seed: UInt64) -> Partition? {
        var random = SeededGenerator(seed: seed)
        let order = TopologicalOrders.prioritySort(graph, keys: (0..<graph.nodeCount).map { _ in random.nextUnit() })
        let ends = (1...stageCount).map { $0 * graph.nodeCount / stageCount }
        let even = Partition(order: order, segmentEnds: ends, stageCount: stageCount)
        if graph.isValid(even) { return even }
        return try? Partitioner.partition(graph, stageCount: stageCount, method: .sliceInput).partition
    }

    /// With windows as wide as all k stages and room for every ideal, the search is exact: from a poor
    /// start it reaches the brute-force optimum, on random DAGs and training graphs with groups and memory caps.
    func testWindowOverAllStagesReachesTheOptimum() throws {
        var compared = 0
        var settings = BottleneckNeighbourhood.Settings()
        settings.idealLimit = 1_000_000
        settings.transitionLimit = 100_000_000
        settings.mostOrdersPerWindow = settings.ordersPerWindow
        for seed in UInt64(0)..<150 {
            let options = TestGraphs.options(seed: seed)
            let graph = seed % 3 == 2
                ? RandomGraphs.smallTrainingDAG(forwardCount: 4 + Int(seed % 4), seed: seed, options: options)
                : RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 5), seed: seed, options: options)
            let stageCount = 2 + Int(seed / 3 % 3)
            guard let truth = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount),
                  let start = poorStart(graph, stageCount: stageCount, seed: seed) else { continue }
            settings.widestWindow = stageCount
            let improved = BottleneckNeighbourhood.improve(start, in: graph, settings: settings, seed: seed)
            XCTAssertEqual(graph.violations(of: improved), [], "seed \(seed)")
            XCTAssertLessThanOrEqual(graph.bottleneck(of: improved), graph.bottleneck(of: start), "seed \(seed)")
            XCTAssertEqual(graph.bottleneck(of: improved), truth.bottleneck, accuracy: 1e-9 * max(1, truth.bottleneck), "seed \(seed)")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 90)
    }

    /// With narrow windows and the exact window DP kept to a few ideals (so the perturbed orders do the
    /// work), every result is valid, never worse than its start, the same for the same seed, and often better.
    func testNarrowWindowsStayValidAndNeverWorse() throws {
        var settings = BottleneckNeighbourhood.Settings()
        settings.idealLimit = 8
        settings.widestWindow = 3
        settings.mostOrdersPerWindow = 12
        settings.mostIdeals = settings.idealLimit
        var better = 0
        for seed in UInt64(0)..<50 {
            let options = TestGraphs.options(seed: seed)
            let graph = seed % 4 == 3
                ? RandomGraphs.smallTrainingDAG(forwardCount: 12 + Int(seed % 10), seed: seed, options: options)
                : RandomGraphs.smallDAG(nodeCount: 20 + Int(seed % 20), seed: seed, options: options)
            let stageCount = 3 + Int(seed % 4)
            guard let start = poorStart(graph, stageCount: stageCount, seed: seed) else { continue }
            let improved = BottleneckNeighbourhood.improve(start, in: graph, settings: settings, seed: seed)
            XCTAssertEqual(graph.violations(of: improved), [], "seed \(seed)")
            let before = graph.bottleneck(of: start), after = graph.bottleneck(of: improved)
            XCTAssertLessThanOrEqual(after, before, "seed \(seed)")
            if after < before { better += 1 }
            if seed % 8 == 0 {
                XCTAssertEqual(BottleneckNeighbourhood.improve(start, in: graph, settings: settings, seed: seed).stageOf,
                               improved.stageOf, "seed \(seed): not deterministic")
            }
        }
        XCTAssertGreaterThan(better, 12)
    }

    /// A raised stop flag returns the start as it is; the `lns` method is valid and never above BRKGA-100.
    func testStopFlagAndPartitionerMethod() throws {
        for seed in UInt64(0)..<5 {
            let graph = RandomGraphs.smallDAG(nodeCount: 16, seed: seed, options: TestGraphs.options(seed: seed))
            guard let start = poorStart(graph, stageCount: 4, seed: seed) else { continue }
            XCTAssertEqual(BottleneckNeighbourhood.improve(start, in: graph, shouldStop: { true }).stageOf, start.stageOf)
            let brkga = try Partitioner.partition(graph, stageCount: 4, method: .brkga100, seed: seed)
            let lns = try Partitioner.partition(graph, stageCount: 4, method: .lns, seed: seed)
            XCTAssertEqual(graph.violations(of: lns.partition), [], "seed \(seed)")
            XCTAssertLessThanOrEqual(lns.bottleneck, brkga.bottleneck, "seed \(seed)")
        }
    }
}
