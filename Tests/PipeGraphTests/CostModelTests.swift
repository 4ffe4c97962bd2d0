import XCTest
@testable import PipeGraph

final class CostModelTests: XCTestCase {
    /// a -> b, a -> c, b -> d, c -> d with a, b in stage 0 and c, d in stage 1.
    func testDiamondLoadsCountEachProducerOncePerStage() throws {
        let nodes = [
            Node(name: "a", work: 1, comm: 10), Node(name: "b", work: 2, comm: 20),
            Node(name: "c", work: 3, comm: 30), Node(name: "d", work: 4, comm: 40),
        ]
        let graph = try ComputationGraph(name: "diamond", nodes: nodes,
                                         namedEdges: [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
        let partition = Partition(stageCount: 2, stageOf: [0, 0, 1, 1])
        let loads = graph.stageLoads(of: partition)
        // Stage 0 = {a, b}: work 3, in nothing, out a (to c) and b (to d): 10 + 20.
        XCTAssertEqual(loads[0].work, 3)
        XCTAssertEqual(loads[0].commIn, 0)
        XCTAssertEqual(loads[0].commOut, 30)
        XCTAssertEqual(loads[0].cost, 33)
        // Stage 1 = {c, d}: work 7, in a and b once each: 30, out nothing.
        XCTAssertEqual(loads[1].cost, 37)
        XCTAssertEqual(graph.bottleneck(of: partition), 37)
        XCTAssertEqual(graph.stageCost(of: [0, 1]), 33)
        XCTAssertEqual(graph.stageCost(of: [2, 3]), 37)
        // A set with a producer feeding two outside consumers pays its comm once: {a} = 1 + 10.
        XCTAssertEqual(graph.stageCost(of: [0]), 11)
    }

    func testBackwardEdgeAndCycleAreReported() throws {
        let nodes = [Node(name: "a", work: 1), Node(name: "b", work: 1)]
        let graph = try ComputationGraph(name: "pair", nodes: nodes, namedEdges: [("a", "b")])
        XCTAssertEqual(graph.violations(of: Partition(stageCount: 2, stageOf: [1, 0])).count, 1)
        XCTAssertThrowsError(try ComputationGraph(name: "cycle", nodes: nodes, namedEdges: [("a", "b"), ("b", "a")])) { error in
            XCTAssertTrue("\(error)".contains("a -> b -> a") || "\(error)".contains("b -> a -> b"), "\(error)")
        }
    }
}
