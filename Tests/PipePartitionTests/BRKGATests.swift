import XCTest
import PipeGraph
@testable import PipePartition
import PipeTestSupport

final class BRKGATests: XCTestCase {
    /// Same seed, same result with one decoder thread and with four; a different seed may differ but stays valid.
    func testSameSeedSameResultWhateverTheThreadCount() throws {
        for seed in UInt64(0)..<6 {
            let graph = RandomGraphs.smallDAG(nodeCount: 40, seed: seed, options: TestGraphs.options(seed: seed))
            let one = try Partitioner.partition(graph, stageCount: 4, method: .brkga100, seed: seed, threadCount: 1)
            let many = try Partitioner.partition(graph, stageCount: 4, method: .brkga100, seed: seed, threadCount: 4)
            XCTAssertEqual(one.partition, many.partition, "seed \(seed)")
            XCTAssertEqual(one.bottleneck, many.bottleneck)
            XCTAssertEqual(graph.violations(of: one.partition), [])
        }
    }

    /// The evolved population itself is reproducible key for key.
    func testPopulationIsReproducible() {
        let graph = RandomGraphs.smallDAG(nodeCount: 25, seed: 9, options: TestGraphs.options(seed: 9))
        var search = BRKGA(population: 8, generations: 4)
        search.threadCount = 1
        let first = search.evolve(graph, stageCount: 3, seed: 42)
        search.threadCount = 3
        let second = search.evolve(graph, stageCount: 3, seed: 42)
        XCTAssertEqual(first.map(\.keys), second.map(\.keys))
        XCTAssertEqual(first.map(\.fitness), second.map(\.fitness))
        XCTAssertEqual(first.map(\.fitness), first.map(\.fitness).sorted())
    }

    /// The priority sort of a canonical order's keys gives the order back, so BRKGA starts from them.
    func testCanonicalKeysReproduceTheirOrders() {
        let graph = RandomGraphs.smallDAG(nodeCount: 30, seed: 3)
        for order in TopologicalOrders.canonical(graph) {
            XCTAssertEqual(TopologicalOrders.prioritySort(graph, keys: TopologicalOrders.keys(reproducing: order)), order)
        }
    }
}
