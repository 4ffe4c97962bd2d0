import XCTest
@testable import PipeGraph
import PipeImport
import PipeTestSupport

/// Colocation groups closed under paths: the graph's closed groups allow exactly the partitions that
/// keep every input group in one stage (docs/graph-format.md).
final class GroupClosureTests: XCTestCase {
    /// The reproducer of issue 13: {a, b} with a -> x -> b is valid, x joins the group, optimum 3 at k = 2.
    func testPathBetweenMembersJoinsTheGroup() throws {
        let graph = try ModelLoader.load(path: FixturePaths.path("groups/path-between-members.json"))
        XCTAssertEqual(graph.groupMembers, [[0, 1, 2]])
        XCTAssertEqual(graph.groupNames, ["g"])
        XCTAssertEqual(ExhaustiveSearch.optimum(of: graph, stageCount: 2)?.bottleneck, 3)
    }

    /// Two groups whose hulls meet are merged, and the merge is closed again.
    func testOverlappingHullsMerge() throws {
        // g = {a, c} pulls in b, which is in h = {b, e}; h's hull pulls in d.
        let nodes = ["a", "b", "c", "d", "e", "f"].map { Node(name: $0, work: 1) }
        var grouped = nodes
        grouped[0].group = "g"; grouped[2].group = "g"; grouped[1].group = "h"; grouped[4].group = "h"
        let graph = try ComputationGraph(name: "x", nodes: grouped,
                                         namedEdges: [("a", "b"), ("b", "c"), ("b", "d"), ("d", "e"), ("c", "f")])
        XCTAssertEqual(graph.groupMembers, [[0, 1, 2, 3, 4]])
        XCTAssertEqual(graph.groupNames, ["g+h"])
        XCTAssertEqual(graph.groupOf[5], nil)
        // Two convex groups with edges both ways (a1 -> b1, b2 -> a2) can only share one stage.
        let crossing = [Node(name: "a1", work: 1, group: "A"), Node(name: "b1", work: 1, group: "B"),
                        Node(name: "b2", work: 1, group: "B"), Node(name: "a2", work: 1, group: "A"), Node(name: "z", work: 1)]
        let both = try ComputationGraph(name: "x", nodes: crossing, namedEdges: [("a1", "b1"), ("b2", "a2"), ("a2", "z")])
        XCTAssertEqual(both.groupMembers, [[0, 1, 2, 3]])
        XCTAssertEqual(both.groupNames, ["A+B"])
    }

    /// On random DAGs whose groups are not convex as given, a monotone stage map keeps every input group in
    /// one stage exactly when it keeps every closed group in one stage; and the closed groups are convex.
    func testClosedGroupsAllowExactlyThePartitionsOfTheInputGroups() throws {
        var nonConvexInstances = 0, checkedMaps = 0
        for seed in UInt64(0)..<300 {
            var options = RandomGraphs.Options()
            options.edgeProbability = [0.25, 0.4][Int(seed % 2)]
            options.groupProbability = 0.4
            options.allowNonConvexGroups = true
            options.commRange = 0...3
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 4), seed: seed, options: options)
            for members in graph.groupMembers {
                XCTAssertEqual(graph.convexHull(of: members), members, "seed \(seed): closed group not convex")
            }
            let inputGroups = Dictionary(grouping: graph.nodes.indices.filter { graph.nodes[$0].group != nil }) { graph.nodes[$0].group! }
            if inputGroups.values.contains(where: { graph.convexHull(of: $0).count > $0.count }) { nonConvexInstances += 1 }
            // Every monotone map into 3 stages: the two definitions of "groups together" agree.
            let validByInput = Set(ExhaustiveSearch.allPartitions(of: graph, stageCount: 3).map(\.stageOf))
            var validByClosure = Set<[Int]>()
            var stageOf = [Int](repeating: 0, count: graph.nodeCount)
            func assign(_ position: Int) {
                if position == graph.nodeCount {
                    checkedMaps += 1
                    if graph.isValid(Partition(stageCount: 3, stageOf: stageOf)) { validByClosure.insert(stageOf) }
                    return
                }
                let node = graph.topologicalOrder[position]
                for stage in (graph.predecessors[node].map { stageOf[$0] }.max() ?? 0)..<3 {
                    stageOf[node] = stage
                    assign(position + 1)
                }
            }
            assign(0)
            XCTAssertEqual(validByInput, validByClosure, "seed \(seed)")
        }
        XCTAssertGreaterThan(nonConvexInstances, 50)
        print("group closure: \(nonConvexInstances) instances with non-convex input groups, \(checkedMaps) stage maps checked")
    }
}
