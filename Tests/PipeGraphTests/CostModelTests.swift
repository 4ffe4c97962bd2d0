import XCTest
@testable import PipeGraph
import PipeTestSupport

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

final class CostModelHandWorkedTests: XCTestCase {
    /// a -> b -> c -> d, works 1, 2, 3, 4 and comms 10, 20, 30, 40.
    private func chain() throws -> ComputationGraph {
        try ComputationGraph(name: "chain", nodes: [
            Node(name: "a", work: 1, comm: 10), Node(name: "b", work: 2, comm: 20),
            Node(name: "c", work: 3, comm: 30), Node(name: "d", work: 4, comm: 40),
        ], namedEdges: [("a", "b"), ("b", "c"), ("c", "d")])
    }

    func testChainSegmentsPayInAndOutOnce() throws {
        let graph = try chain()
        // {b, c}: work 5, in a (10), out c (30) = 45.
        XCTAssertEqual(graph.stageCost(of: [1, 2]), 45)
        // {a}: work 1, out a = 11; {d}: work 4, in c = 34.
        XCTAssertEqual(graph.stageCost(of: [0]), 11)
        XCTAssertEqual(graph.stageCost(of: [3]), 34)
        // The whole graph communicates with nobody: f(V) = W = 10.
        XCTAssertEqual(graph.stageCost(of: 0..<4), 10)
        XCTAssertEqual(graph.stageCost(of: []), 0)
        let loads = graph.stageLoads(of: Partition(stageCount: 3, stageOf: [0, 1, 1, 2]))
        XCTAssertEqual(loads.map(\.cost), [11, 45, 34])
        XCTAssertEqual(loads.map(\.commIn), [0, 10, 30])
        XCTAssertEqual(loads.map(\.commOut), [10, 30, 0])
        XCTAssertEqual(graph.bottleneck(of: Partition(stageCount: 3, stageOf: [0, 1, 1, 2])), 45)
    }

    /// f is not monotone: adding a consumer can remove an out-term (docs/cost-model.md).
    func testAddingAConsumerCanLowerTheCost() throws {
        let graph = try chain()
        // {a, b}: 3 + out b 20 = 23; {a, b, c}: 6 + out c 30 = 36; {c} alone: 3 + 20 + 30 = 53.
        XCTAssertEqual(graph.stageCost(of: [0, 1]), 23)
        XCTAssertEqual(graph.stageCost(of: [0, 1, 2]), 36)
        XCTAssertEqual(graph.stageCost(of: [2]), 53)
        // A fan: s -> t1, s -> t2 with a heavy comm on s. {s, t1} pays s's comm (t2 outside);
        // {s, t1, t2} does not: cost drops from 1 + 1 + 100 = 102 to 3.
        let fan = try ComputationGraph(name: "fan", nodes: [Node(name: "s", work: 1, comm: 100), Node(name: "t1", work: 1), Node(name: "t2", work: 1)],
                                       namedEdges: [("s", "t1"), ("s", "t2")])
        XCTAssertEqual(fan.stageCost(of: [0, 1]), 102)
        XCTAssertEqual(fan.stageCost(of: [0, 1, 2]), 3)
    }

    /// A producer feeding two later stages pays out once but is received by each of them.
    func testProducerFeedingTwoStages() throws {
        let graph = try ComputationGraph(name: "fork", nodes: [
            Node(name: "p", work: 5, comm: 7), Node(name: "x", work: 1, comm: 1), Node(name: "y", work: 2, comm: 1),
        ], namedEdges: [("p", "x"), ("p", "y"), ("p", "x")])
        XCTAssertEqual(graph.edgeCount, 2, "duplicate edges are merged")
        let loads = graph.stageLoads(of: Partition(stageCount: 3, stageOf: [0, 1, 2]))
        XCTAssertEqual(loads.map(\.cost), [12, 8, 9])
        // Stages may be empty (cost 0); p feeds x in its own stage and y in stage 3.
        XCTAssertEqual(graph.stageLoads(of: Partition(stageCount: 4, stageOf: [0, 0, 3]))[1].cost, 0)
        XCTAssertEqual(graph.stageLoads(of: Partition(stageCount: 4, stageOf: [0, 0, 3])).map(\.cost), [5 + 1 + 7, 0, 0, 2 + 7])
    }

    /// The incremental per-partition loads and the set function agree, and f is subadditive.
    func testLoadsAgreeWithSetFunctionAndSubadditivity() throws {
        var random = SeededGenerator(seed: 11)
        for seed in 0..<60 {
            var options = RandomGraphs.Options()
            options.memoryRange = 0...5
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + seed % 9, seed: UInt64(seed), options: options)
            let stageCount = 1 + seed % 4
            // A random monotone map along the topological order.
            var stageOf = [Int](repeating: 0, count: graph.nodeCount)
            var stage = 0
            for node in graph.topologicalOrder {
                if random.nextUnit() < 0.3 { stage = min(stage + 1, stageCount - 1) }
                stageOf[node] = stage
            }
            let partition = Partition(stageCount: stageCount, stageOf: stageOf)
            XCTAssertTrue(graph.isValid(partition))
            let loads = graph.stageLoads(of: partition)
            for (index, members) in partition.stageMembers.enumerated() {
                XCTAssertEqual(loads[index].cost, graph.stageCost(of: members), accuracy: 1e-9)
                XCTAssertEqual(loads[index].memory, members.reduce(0) { $0 + graph.nodes[$1].memory }, accuracy: 1e-9)
                XCTAssertEqual(loads[index].nodeCount, members.count)
            }
            let a = graph.nodes.indices.filter { _ in random.nextUnit() < 0.5 }
            let b = graph.nodes.indices.filter { !a.contains($0) && random.nextUnit() < 0.5 }
            XCTAssertLessThanOrEqual(graph.stageCost(of: a + b), graph.stageCost(of: a) + graph.stageCost(of: b) + 1e-9)
        }
    }

    func testExhaustiveOptimumOnAWorkedExample() throws {
        // Chain of works 1, 2, 3, 4, comm 0: k = 2 best split {a, b, c} | {d} or {a, b} | {c, d}... = max(6, 4) = 6 or max(3, 7) = 7 → 6.
        let graph = try ComputationGraph(name: "chain0", nodes: (1...4).map { Node(name: "n\($0)", work: Double($0)) },
                                         namedEdges: [("n1", "n2"), ("n2", "n3"), ("n3", "n4")])
        XCTAssertEqual(ExhaustiveSearch.optimum(of: graph, stageCount: 2)?.bottleneck, 6)
        XCTAssertEqual(ExhaustiveSearch.optimum(of: graph, stageCount: 1)?.bottleneck, 10)
        XCTAssertEqual(ExhaustiveSearch.optimum(of: graph, stageCount: 4)?.bottleneck, 4)
    }

    /// The sparse f(S) (members and their producers only) adds the mask version's terms in the same order:
    /// equal to the last bit on random graphs with fractional costs and random node sets.
    func testStageCostOfMembersEqualsTheMaskVersionExactly() {
        var options = RandomGraphs.Options()
        options.integerCosts = false
        options.commRange = 0...50
        var random = SeededGenerator(seed: 7)
        for seed in UInt64(0)..<UInt64(300) {
            options.edgeProbability = [0.15, 0.3, 0.6][Int(seed % 3)]
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 12), seed: seed, options: options)
            for _ in 0..<20 {
                let mask = (0..<graph.nodeCount).map { _ in Bool.random(using: &random) }
                let members = (0..<graph.nodeCount).filter { mask[$0] }.shuffled(using: &random)
                XCTAssertEqual(graph.stageCost(of: members).bitPattern, graph.stageCost(ofMask: mask).bitPattern, "seed \(seed) \(members)")
            }
        }
    }
}
