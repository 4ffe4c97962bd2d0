import XCTest
import PipeGraph
@testable import PipeBounds
import PipeTestSupport

/// The neighbourhood bound of a closed colocation group: never above the optimum (exhaustive search
/// over every partition), and strictly stronger than the node terms on some grouped graphs.
final class GroupNeighbourhoodBoundTests: XCTestCase {
    func testGroupNeighbourhoodIsSoundAndSometimesDecisive() {
        var checked = 0, stronger = 0
        for seed in UInt64(0)..<400 {
            var options = RandomGraphs.Options()
            options.edgeProbability = [0.2, 0.35, 0.5][Int(seed % 3)]
            options.commRange = seed % 4 == 0 ? 0...0 : 0...6
            options.groupProbability = 0.5
            options.allowNonConvexGroups = seed % 2 == 1
            options.integerCosts = seed % 5 != 0
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 5), seed: seed, options: options)
            let stageCount = 2 + Int(seed / 5 % 3)
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
            let bound = CombinatorialBound(graph: graph, stageCount: stageCount)
            XCTAssertLessThanOrEqual(bound.value, optimum * (1 + 1e-12), "seed \(seed): \(bound.detail)")
            let groupTerm = graph.groupMembers.filter { $0.count > 1 }.map { CombinatorialBound.groupNeighbourhood(of: $0, in: graph) }.max() ?? 0
            XCTAssertLessThanOrEqual(groupTerm, optimum * (1 + 1e-12), "seed \(seed)")
            var nodesOnly = graph.nodes
            for index in nodesOnly.indices { nodesOnly[index].group = nil }
            let ungrouped = try! ComputationGraph(name: graph.name, nodes: nodesOnly, edges: graph.edges, stageMemory: graph.stageMemory)
            if bound.value > CombinatorialBound(graph: ungrouped, stageCount: stageCount).value * (1 + 1e-9) { stronger += 1 }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 300)
        XCTAssertGreaterThan(stronger, 10)
        print("group neighbourhood bound: \(checked) instances, stronger than the node terms on \(stronger)")
    }
}
