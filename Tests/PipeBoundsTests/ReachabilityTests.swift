import XCTest
@testable import PipeBounds
import PipeGraph

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
