import XCTest
@testable import PipeGraph

final class GraphValidationTests: XCTestCase {
    private func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testEveryInvalidInputIsReportedPrecisely() {
        let a = Node(name: "a", work: 1), b = Node(name: "b", work: 1), c = Node(name: "c", work: 1)
        XCTAssertEqual(message { try ComputationGraph(name: "x", nodes: [], edges: []) }, "the graph has no nodes")
        XCTAssertEqual(message { try ComputationGraph(name: "x", nodes: [a, a], edges: []) }, "duplicate node name 'a'")
        XCTAssertEqual(message { try ComputationGraph(name: "x", nodes: [a], namedEdges: [("a", "a")]) }, "self-loop on node 'a'")
        XCTAssertEqual(message { try ComputationGraph(name: "x", nodes: [a], namedEdges: [("a", "z")]) }, "edge [\"a\", \"z\"]: unknown node 'z'")
        XCTAssertEqual(message { try ComputationGraph(name: "x", nodes: [a], edges: [(0, 3)]) }, "edge (0, 3) refers to a node index outside 0..<1")
        XCTAssertEqual(message { try ComputationGraph(name: "x", nodes: [Node(name: "", work: 1)], edges: []) }, "node 0 has an empty name")
        XCTAssertEqual(message { try ComputationGraph(name: "x", nodes: [Node(name: "a", work: -1)], edges: []) }, "node 'a': work is negative (-1.0)")
        XCTAssertTrue(message { try ComputationGraph(name: "x", nodes: [Node(name: "a", work: 1, comm: .nan)], edges: []) }.contains("comm is nan"))
        XCTAssertTrue(message { try ComputationGraph(name: "x", nodes: [Node(name: "a", work: 1, memory: .infinity)], edges: []) }.contains("memory is inf"))
        XCTAssertTrue(message { try ComputationGraph(name: "x", nodes: [a], edges: [], stageMemory: -1) }.contains("stage_memory"))
        // A 3-cycle behind a source: the message names exactly the cycle.
        let cycle = message { try ComputationGraph(name: "x", nodes: [Node(name: "s", work: 1), a, b, c],
                                                   namedEdges: [("s", "a"), ("a", "b"), ("b", "c"), ("c", "a")]) }
        XCTAssertTrue(["a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c"].contains { cycle.hasSuffix($0) }, cycle)
        // A group whose closure under paths is above the memory cap has no partition: the reason is named.
        let heavy = [Node(name: "a", work: 1, memory: 2, group: "g"), Node(name: "b", work: 1, memory: 2), Node(name: "c", work: 1, memory: 2, group: "g")]
        XCTAssertEqual(try ComputationGraph(name: "x", nodes: heavy, namedEdges: [("a", "b"), ("b", "c")], stageMemory: 5).groupAboveMemoryCap(),
                       "colocation group 'g' (with 'b', on paths between its members) must share one stage but holds 6.0 memory, above the memory cap 5.0")
        XCTAssertNil(try ComputationGraph(name: "x", nodes: heavy, namedEdges: [("a", "b"), ("b", "c")], stageMemory: 6).groupAboveMemoryCap())
    }

    func testViolationsNameTheProblem() throws {
        let nodes = [Node(name: "a", work: 1, memory: 5, group: "g"), Node(name: "b", work: 1, memory: 5, group: "g"), Node(name: "c", work: 1, memory: 5)]
        let graph = try ComputationGraph(name: "x", nodes: nodes, namedEdges: [("a", "b"), ("b", "c")], stageMemory: 8)
        XCTAssertEqual(graph.violations(of: Partition(stageCount: 2, stageOf: [0, 0])), [.wrongNodeCount(expected: 3, found: 2)])
        XCTAssertEqual(graph.violations(of: Partition(stageCount: 2, stageOf: [0, 0, 2])), [.stageOutOfRange(node: "c", stage: 2, stageCount: 2)])
        let split = graph.violations(of: Partition(stageCount: 3, stageOf: [0, 1, 2]))
        XCTAssertTrue(split.contains(.groupSplit(group: "g", first: "a", firstStage: 0, second: "b", secondStage: 1)), "\(split)")
        XCTAssertEqual(graph.violations(of: Partition(stageCount: 2, stageOf: [0, 0, 1])), [.memoryExceeded(stage: 0, memory: 10, cap: 8)])
        XCTAssertTrue(graph.violations(of: Partition(stageCount: 2, stageOf: [1, 1, 0])).contains(
            .backwardEdge(producer: "b", producerStage: 1, consumer: "c", consumerStage: 0)))
        XCTAssertEqual(PartitionViolation.backwardEdge(producer: "b", producerStage: 1, consumer: "c", consumerStage: 0).description,
                       "edge 'b' -> 'c' goes backwards, from stage 1 to stage 0")
    }

    func testStatisticsOfAHandBuiltGraph() throws {
        // s -> a, s -> b, a -> t, b -> t, b -> u: levels s 0, a b 1, t u 2.
        let nodes = [Node(name: "s", work: 1, comm: 2, memory: 3), Node(name: "a", work: 4, comm: 1), Node(name: "b", work: 2, comm: 5, memory: 7, group: "g"),
                     Node(name: "t", work: 3), Node(name: "u", work: 1)]
        let graph = try ComputationGraph(name: "x", nodes: nodes, namedEdges: [("s", "a"), ("s", "b"), ("a", "t"), ("b", "t"), ("b", "u")])
        let statistics = graph.statistics
        XCTAssertEqual(statistics.nodeCount, 5)
        XCTAssertEqual(statistics.edgeCount, 5)
        XCTAssertEqual(statistics.sourceCount, 1)
        XCTAssertEqual(statistics.sinkCount, 2)
        XCTAssertEqual(statistics.totalWork, 11)
        XCTAssertEqual(statistics.totalComm, 8)
        XCTAssertEqual(statistics.totalMemory, 10)
        XCTAssertEqual(statistics.maxWork, 4)
        XCTAssertEqual(statistics.maxComm, 5)
        XCTAssertEqual(statistics.maxMemory, 7)
        XCTAssertEqual(statistics.depth, 3)
        XCTAssertEqual(statistics.width, 2)
        XCTAssertEqual(statistics.criticalPathWork, 8, "s -> a -> t: 1 + 4 + 3")
        XCTAssertEqual(statistics.groupCount, 1)
        XCTAssertEqual(graph.levels, [0, 1, 1, 2, 2])
        XCTAssertTrue(graph.isTopologicalOrder(graph.topologicalOrder))
        XCTAssertFalse(graph.isTopologicalOrder([1, 0, 2, 3, 4]))
        XCTAssertFalse(graph.isTopologicalOrder([0, 1, 2, 3, 3]))
    }
}
