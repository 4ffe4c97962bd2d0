import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

final class ReachabilityTests: XCTestCase {
    /// Set sums by depth-first search, the slow obvious way.
    private func bruteForceTotals(_ graph: ComputationGraph, forward: Bool) -> [Double] {
        (0..<graph.nodeCount).map { start in
            var seen = Set<Int>([start])
            var stack = [start]
            while let node = stack.popLast() {
                for next in (forward ? graph.successors[node] : graph.predecessors[node]) where seen.insert(next).inserted {
                    stack.append(next)
                }
            }
            seen.remove(start)
            return seen.reduce(0.0) { $0 + graph.nodes[$1].work }
        }
    }

    func testTotalsMatchDepthFirstSearchAcrossSeveralWordBatches() {
        var options = RandomGraphs.Options()
        options.edgeProbability = 0.04
        for seed in 0..<6 as Range<UInt64> {
            let graph = RandomGraphs.smallDAG(nodeCount: 70 + Int(seed) * 20, seed: seed, options: options)
            XCTAssertEqual(graph.ancestorWork, bruteForceTotals(graph, forward: false), "seed \(seed)")
            XCTAssertEqual(graph.descendantWork, bruteForceTotals(graph, forward: true), "seed \(seed)")
        }
    }

    func testDiamondCountsTheSharedAncestorOnce() throws {
        let nodes = ["a", "b", "c", "d"].enumerated().map { Node(name: $0.element, work: Double(1 << $0.offset)) }
        let graph = try ComputationGraph(name: "diamond", nodes: nodes, namedEdges: [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
        XCTAssertEqual(graph.ancestorWork, [0, 1, 1, 7])
        XCTAssertEqual(graph.descendantWork, [14, 8, 8, 0])
    }

    func testGroupsAreContractedInClosureTotals() throws {
        // a -> b, c -> d with {b, c} a group: d's closed ancestors are a, b, c, d.
        let nodes = [Node(name: "a", work: 1), Node(name: "b", work: 2, group: "g"),
                     Node(name: "c", work: 4, group: "g"), Node(name: "d", work: 8)]
        let graph = try ComputationGraph(name: "grouped", nodes: nodes, namedEdges: [("a", "b"), ("c", "d")])
        let totals = ClosureTotals(graph: graph)
        XCTAssertEqual(totals.ancestorWork, [1, 7, 7, 15])
        XCTAssertEqual(totals.descendantWork, [15, 14, 14, 8])
    }

    func testTwentyThousandNodeChainOfDiamonds() throws {
        // A long series of diamonds: ancestor work of the last node is everything else.
        var nodes: [Node] = []
        var edges: [(Int, Int)] = []
        for block in 0..<5_000 {
            let base = nodes.count
            for part in 0..<4 { nodes.append(Node(name: "n\(block)_\(part)", work: 1)) }
            edges += [(base, base + 1), (base, base + 2), (base + 1, base + 3), (base + 2, base + 3)]
            if block > 0 { edges.append((base - 1, base)) }
        }
        let graph = try ComputationGraph(name: "long", nodes: nodes, edges: edges)
        let ancestors = graph.ancestorWork
        XCTAssertEqual(ancestors.last, Double(nodes.count - 1))
        XCTAssertEqual(graph.descendantWork.first, Double(nodes.count - 1))
        XCTAssertEqual(ancestors[5], 5)
    }
}

/// The linear-time estimates that replace the exact closure totals on very large graphs only widen
/// the stage windows: work and memory never above the exact set sums, source and sink counts never
/// below, so the path bound they give is never above the exact one (docs/formulations.md).
final class ClosureEstimateTests: XCTestCase {
    func testEstimatesOnlyWidenTheWindows() throws {
        for seed in 0..<200 as Range<UInt64> {
            var options = TestSupport.options(seed: seed)
            options.edgeProbability = 0.3
            let graph = RandomGraphs.smallDAG(nodeCount: 6 + Int(seed % 10), seed: seed, options: options)
            let exact = ClosureTotals(graph: graph)
            let estimate = ClosureTotals(graph: graph, exactComponentLimit: 0)
            XCTAssertTrue(exact.isExact)
            XCTAssertFalse(estimate.isExact)
            for node in 0..<graph.nodeCount {
                XCTAssertLessThanOrEqual(estimate.ancestorWork[node], exact.ancestorWork[node] * (1 + 1e-12), "seed \(seed)")
                XCTAssertLessThanOrEqual(estimate.descendantWork[node], exact.descendantWork[node] * (1 + 1e-12), "seed \(seed)")
                XCTAssertLessThanOrEqual(estimate.ancestorMemory[node], exact.ancestorMemory[node] * (1 + 1e-12), "seed \(seed)")
                XCTAssertLessThanOrEqual(estimate.descendantMemory[node], exact.descendantMemory[node] * (1 + 1e-12), "seed \(seed)")
                XCTAssertGreaterThanOrEqual(estimate.ancestorSources[node], exact.ancestorSources[node], "seed \(seed)")
                XCTAssertGreaterThanOrEqual(estimate.descendantSinks[node], exact.descendantSinks[node], "seed \(seed)")
                // Own work is always counted, and a node's heaviest path is at least its own.
                XCTAssertGreaterThanOrEqual(estimate.ancestorWork[node], graph.nodes[node].work * (1 - 1e-12), "seed \(seed)")
            }
        }
    }
}

/// A time limit stops the exact closure totals between batches of 64 sources; the windows then come
/// from the linear-time estimates (sound, only wider), exactly as above the component limit.
final class ClosureTotalsStopTests: XCTestCase {
    func testAStoppedExactComputationFallsBackToTheEstimates() throws {
        for seed in 0..<12 as Range<UInt64> {
            var options = TestSupport.options(seed: seed)
            options.edgeProbability = 0.05
            let graph = RandomGraphs.smallDAG(nodeCount: 150 + Int(seed % 3) * 40, seed: seed, options: options)
            let order = graph.topologicalOrder
            let weights = [graph.nodes.map(\.work)]
            let plain = Reachability.reachableTotals(order: order, incoming: graph.precedencePredecessors, weights: weights)
            XCTAssertEqual(Reachability.reachableTotals(order: order, incoming: graph.precedencePredecessors, weights: weights,
                                                        shouldStop: { false }), plain, "seed \(seed)")
            // Stopped after the first batch, then at once: no partial sums come back.
            var polls = 0
            XCTAssertNil(Reachability.reachableTotals(order: order, incoming: graph.precedencePredecessors, weights: weights,
                                                      shouldStop: { polls += 1; return polls > 1 }), "seed \(seed)")
            let estimate = ClosureTotals(graph: graph, exactComponentLimit: 0)
            // Stopped at once, or after the first batch (the second poll comes from the descendant
            // sums when grouped graphs contract to 64 components or fewer).
            for stopAfter in [0, 1] {
                var calls = 0
                let stopped = ClosureTotals(graph: graph, shouldStop: { calls += 1; return calls > stopAfter })
                XCTAssertFalse(stopped.isExact, "seed \(seed)")
                XCTAssertEqual(stopped.ancestorWork, estimate.ancestorWork, "seed \(seed)")
                XCTAssertEqual(stopped.descendantWork, estimate.descendantWork, "seed \(seed)")
                XCTAssertEqual(stopped.ancestorSources, estimate.ancestorSources, "seed \(seed)")
                XCTAssertEqual(stopped.descendantSinks, estimate.descendantSinks, "seed \(seed)")
            }
            XCTAssertTrue(ClosureTotals(graph: graph, shouldStop: { false }).isExact, "seed \(seed)")
        }
    }
}
