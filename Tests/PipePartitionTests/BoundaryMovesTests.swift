import XCTest
import PipeGraph
@testable import PipePartition
import PipeTestSupport

final class BoundaryMovesTests: XCTestCase {
    /// A node moves from the bottleneck stage to its lighter neighbour.
    func testMovesANodeOutOfTheBottleneck() throws {
        let nodes = [Node(name: "a", work: 1), Node(name: "b", work: 4), Node(name: "c", work: 5)]
        let graph = try ComputationGraph(name: "chain", nodes: nodes, namedEdges: [("a", "b"), ("b", "c")])
        let improved = BoundaryMoves.improve(Partition(stageCount: 2, stageOf: [0, 1, 1]), in: graph)
        XCTAssertEqual(improved.stageOf, [0, 0, 1])
        XCTAssertEqual(graph.bottleneck(of: improved), 5)
    }

    /// A group moves as a whole or not at all, and a move that would break an edge is not taken.
    func testGroupsMoveTogether() throws {
        let nodes = [Node(name: "a", work: 1), Node(name: "b", work: 3, group: "g"), Node(name: "c", work: 3, group: "g"),
                     Node(name: "d", work: 1)]
        let graph = try ComputationGraph(name: "grouped", nodes: nodes, namedEdges: [("a", "b"), ("b", "c"), ("c", "d")])
        let improved = BoundaryMoves.improve(Partition(stageCount: 2, stageOf: [0, 1, 1, 1]), in: graph)
        XCTAssertEqual(graph.violations(of: improved), [])
        XCTAssertEqual(graph.bottleneck(of: improved), 7)
        XCTAssertEqual(improved.stageOf[1], improved.stageOf[2])
    }

    /// On random instances the result stays valid and is never worse than the start.
    func testNeverWorseAndAlwaysValid() {
        var improvedCount = 0
        for seed in UInt64(0)..<200 {
            let graph = RandomGraphs.smallDAG(nodeCount: 12 + Int(seed % 20), seed: seed, options: TestGraphs.options(seed: seed))
            let stageCount = 2 + Int(seed % 5)
            var random = SeededGenerator(seed: seed)
            let order = TopologicalOrders.prioritySort(graph, keys: (0..<graph.nodeCount).map { _ in random.nextUnit() })
            // A deliberately poor start: equal node counts per stage, when valid.
            let ends = (1...stageCount).map { $0 * graph.nodeCount / stageCount }
            let start = Partition(order: order, segmentEnds: ends, stageCount: stageCount)
            guard graph.isValid(start) else { continue }
            let improved = BoundaryMoves.improve(start, in: graph)
            XCTAssertEqual(graph.violations(of: improved), [], "seed \(seed)")
            XCTAssertLessThanOrEqual(graph.bottleneck(of: improved), graph.bottleneck(of: start), "seed \(seed)")
            if graph.bottleneck(of: improved) < graph.bottleneck(of: start) { improvedCount += 1 }
        }
        XCTAssertGreaterThan(improvedCount, 20)
    }
}
