import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// The containing-stage bound against brute force: for every node, the min cut equals the least f(S) over
/// every node set S holding the node and its group (checked by enumerating all sets), and the bound is ≤ OPT
/// (200 seeds; `CutBoundsTests` checks the bound against OPT on 200 more).
final class ContainingStageBoundTests: XCTestCase {
    func testLeastCostEqualsTheCheapestContainingSet() {
        var raised = 0
        for seed in UInt64(13_000)..<UInt64(13_200) {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 5), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let stageCount = 2 + Int((seed / 5) % 4)
            let containing = ContainingStageBound(graph: graph)
            for node in 0..<graph.nodeCount {
                let members = graph.groupMembers.first { $0.contains(node) } ?? [node]
                var cheapest = Double.infinity
                for mask in 1..<(1 << graph.nodeCount) where members.allSatisfy({ mask & (1 << $0) != 0 }) {
                    cheapest = Swift.min(cheapest, graph.stageCost(ofMask: (0..<graph.nodeCount).map { mask & (1 << $0) != 0 }))
                }
                XCTAssertEqual(containing.leastCost(holding: members), cheapest, accuracy: 1e-9 * Swift.max(1, cheapest),
                               "seed \(seed) node \(node)")
            }
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
            let combinatorial = CombinatorialBound(graph: graph, stageCount: stageCount).value
            let bound = containing.bound(from: combinatorial)
            XCTAssertLessThanOrEqual(bound, optimum, "seed \(seed) k=\(stageCount)")
            if bound > combinatorial * (1 + 1e-3) { raised += 1 }
        }
        print("containing-stage cuts: above L0 on \(raised) of 200 instances")
        XCTAssertGreaterThan(raised, 10)
    }

    /// Per producer, the cut around it and all its consumers equals the least f(S) over every node set holding
    /// them and their groups (all sets enumerated); 0 for nodes without consumers or comm.
    func testLeastCostsHoldingConsumersEqualTheCheapestSets() {
        for seed in UInt64(13_200)..<UInt64(13_400) {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 5), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let costs = ContainingStageBound(graph: graph).leastCostsHoldingConsumers()
            for node in 0..<graph.nodeCount {
                guard !graph.successors[node].isEmpty, graph.nodes[node].comm > 0 else {
                    XCTAssertEqual(costs[node], 0, "seed \(seed) node \(node)")
                    continue
                }
                var required = Set([node] + graph.successors[node])
                for member in Array(required) {
                    if let group = graph.groupOf[member] { required.formUnion(graph.groupMembers[group]) }
                }
                var cheapest = Double.infinity
                for mask in 1..<(1 << graph.nodeCount) where required.allSatisfy({ mask & (1 << $0) != 0 }) {
                    cheapest = Swift.min(cheapest, graph.stageCost(ofMask: (0..<graph.nodeCount).map { mask & (1 << $0) != 0 }))
                }
                XCTAssertEqual(costs[node], cheapest, accuracy: 1e-9 * Swift.max(1, cheapest), "seed \(seed) node \(node)")
            }
        }
    }
}
