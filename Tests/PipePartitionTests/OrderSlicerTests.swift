import XCTest
import PipeGraph
@testable import PipePartition
import PipeTestSupport

final class OrderSlicerTests: XCTestCase {
    /// The DP equals brute force over every segmentation of the same order, and its internal cost is the re-costed one.
    func testSlicingEqualsBruteForceOnRandomOrders() {
        var compared = 0, infeasible = 0
        for seed in UInt64(0)..<1500 {
            let nodeCount = 3 + Int(seed % 7)
            let graph = RandomGraphs.smallDAG(nodeCount: nodeCount, seed: seed, options: TestGraphs.options(seed: seed))
            var random = SeededGenerator(seed: seed &+ 1000)
            let keys = (0..<nodeCount).map { _ in random.nextUnit() }
            let order = TopologicalOrders.prioritySort(graph, keys: keys)
            let stageCount = 1 + Int(seed / 7 % 4)
            let expected = TestGraphs.bruteForceSlicing(graph, order: order, stageCount: stageCount)
            let slicing = OrderSlicer(graph: graph, stageCount: stageCount).slice(order)
            XCTAssertEqual(slicing == nil, expected == nil, "seed \(seed)")
            guard let slicing, let expected else { infeasible += 1; continue }
            let partition = slicing.partition
            XCTAssertEqual(graph.violations(of: partition), [], "seed \(seed)")
            XCTAssertEqual(slicing.bottleneck, expected, "seed \(seed)")
            XCTAssertEqual(graph.bottleneck(of: partition), slicing.bottleneck, "seed \(seed)")
            XCTAssertEqual(slicing.order, order)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 1000)
        XCTAssertGreaterThan(infeasible, 0, "some instances should be infeasible under the memory caps")
    }

    /// On orders too long for brute force, the pruned DP (work bound, segment-count bands) equals the DP over all windows.
    func testPruningKeepsTheOptimumOnLongerOrders() {
        var compared = 0
        for seed in UInt64(0)..<60 {
            var options = TestGraphs.options(seed: seed)
            options.edgeProbability = 0.05
            options.integerCosts = seed % 3 != 0
            let graph = RandomGraphs.smallDAG(nodeCount: 40 + Int(seed % 5) * 30, seed: seed, options: options)
            var random = SeededGenerator(seed: seed &+ 77)
            let order = TopologicalOrders.prioritySort(graph, keys: (0..<graph.nodeCount).map { _ in random.nextUnit() })
            for stageCount in [1, 2, 5, 16] {
                let slicer = OrderSlicer(graph: graph, stageCount: stageCount)
                let pruned = slicer.slice(order), full = slicer.sliceOverAllWindows(order)
                XCTAssertEqual(pruned == nil, full == nil, "seed \(seed) k \(stageCount)")
                guard let pruned, let full else { continue }
                compared += 1
                XCTAssertEqual(pruned.bottleneck, full.bottleneck, accuracy: 1e-9 * full.bottleneck, "seed \(seed) k \(stageCount)")
                XCTAssertEqual(graph.violations(of: pruned.partition), [])
                XCTAssertEqual(graph.bottleneck(of: pruned.partition), pruned.bottleneck, accuracy: 1e-9 * full.bottleneck)
            }
        }
        XCTAssertGreaterThan(compared, 150)
    }

    /// A chain whose best cut is not the greedy one: non-monotone f matters.
    func testOutCommunicationDisappearsWhenTheConsumerJoins() throws {
        // a -> b -> c, a -> c: a's output is big; keeping a with both consumers avoids paying it.
        let nodes = [Node(name: "a", work: 1, comm: 100), Node(name: "b", work: 1, comm: 1), Node(name: "c", work: 1, comm: 1)]
        let graph = try ComputationGraph(name: "skip", nodes: nodes, namedEdges: [("a", "b"), ("b", "c"), ("a", "c")])
        let slicing = try XCTUnwrap(OrderSlicer(graph: graph, stageCount: 2).slice([0, 1, 2]))
        XCTAssertEqual(slicing.bottleneck, 3)
        XCTAssertEqual(graph.bottleneck(of: slicing.partition), 3)
    }

    /// Groups spanning a boundary forbid it; a memory cap below one node's memory makes slicing impossible.
    func testGroupsAndMemoryCapShapeTheCut() throws {
        let nodes = [Node(name: "a", work: 5, memory: 1, group: "g"), Node(name: "b", work: 5, memory: 1, group: "g"),
                     Node(name: "c", work: 5, memory: 1)]
        let graph = try ComputationGraph(name: "grouped", nodes: nodes, namedEdges: [("a", "b"), ("b", "c")])
        let slicing = try XCTUnwrap(OrderSlicer(graph: graph, stageCount: 3).slice([0, 1, 2]))
        XCTAssertEqual(slicing.partition.stageOf[0], slicing.partition.stageOf[1])
        XCTAssertEqual(slicing.bottleneck, 10)
        let capped = try ComputationGraph(name: "capped", nodes: nodes, namedEdges: [("a", "b"), ("b", "c")], stageMemory: 1)
        XCTAssertNil(OrderSlicer(graph: capped, stageCount: 3).slice([0, 1, 2]))
        XCTAssertThrowsError(try Partitioner.partition(capped, stageCount: 3, method: .slice)) { error in
            XCTAssertTrue("\(error)".contains("memory cap"), "\(error)")
        }
    }
}

final class PartitionerTests: XCTestCase {
    /// chain-dp is exact on chains (equals the ideal DP) and refuses other graphs.
    func testChainDPOnChainsOnly() throws {
        var random = SeededGenerator(seed: 5)
        let nodes = (0..<30).map { Node(name: "c\($0)", work: (1 + 9 * random.nextUnit()).rounded(), comm: (4 * random.nextUnit()).rounded()) }
        let chain = try ComputationGraph(name: "chain", nodes: nodes, edges: (0..<29).map { ($0, $0 + 1) })
        for stageCount in [1, 3, 7] {
            let dp = try Partitioner.partition(chain, stageCount: stageCount, method: .chainDP)
            let exact = try Partitioner.partition(chain, stageCount: stageCount, method: .idealDP)
            XCTAssertEqual(dp.bottleneck, exact.bottleneck)
        }
        let branching = RandomGraphs.smallDAG(nodeCount: 8, seed: 2, options: { var o = RandomGraphs.Options(); o.edgeProbability = 0.2; return o }())
        XCTAssertThrowsError(try Partitioner.partition(branching, stageCount: 2, method: .chainDP)) { error in
            XCTAssertTrue("\(error)".contains("is not a chain"), "\(error)")
        }
    }

    /// Every method returns a valid partition with the re-costed bottleneck, and refuses k < 1.
    func testEveryMethodReturnsAValidRecostedPartition() throws {
        let graph = RandomGraphs.smallDAG(nodeCount: 9, seed: 11, options: TestGraphs.options(seed: 3))
        for method in PartitionMethod.allCases where method != .chainDP && method != .brkga10000 {
            let result = try Partitioner.partition(graph, stageCount: 3, method: method)
            XCTAssertEqual(result.method, method.rawValue)
            XCTAssertEqual(graph.violations(of: result.partition), [], method.rawValue)
            XCTAssertEqual(result.bottleneck, graph.bottleneck(of: result.partition))
            XCTAssertEqual(result.partition.stageCount, 3)
        }
        XCTAssertThrowsError(try Partitioner.partition(graph, stageCount: 0, method: .slice))
    }
}
