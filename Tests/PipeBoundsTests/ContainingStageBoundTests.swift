import XCTest
@testable import PipeBounds
import PipeGraph
import PipeImport
import PipeTestSupport

/// The containing-stage bound against brute force: for every node, the min cut equals the least f(S) over
/// every node set S holding the node and its group (checked by enumerating all sets), and the bound is ≤ OPT
/// (1,000 seeds; `CutBoundsTests` checks the bound against OPT on 1,000 more).
final class ContainingStageBoundTests: XCTestCase {
    func testLeastCostEqualsTheCheapestContainingSet() {
        var raised = 0
        for seed in UInt64(13_000)..<UInt64(14_000) {
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
        print("containing-stage cuts: above L0 on \(raised) of 1,000 instances")
        XCTAssertGreaterThan(raised, 50)
    }

    /// Per producer, the cut around it and all its consumers equals the least f(S) over every node set holding
    /// them, every node on a path between them and their groups (the closed stage; all sets enumerated), and is at
    /// most the cost of every possible stage (convex, groups whole) holding them: the outright charges of the
    /// boundary cuts rest on that. The paths make it larger than the cut around the producer and consumers alone
    /// on some graphs. 0 for nodes without consumers or comm.
    func testLeastCostsHoldingConsumersEqualTheCheapestSets() {
        var raisedByPaths = 0
        for seed in UInt64(53_000)..<UInt64(54_000) {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 5), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let costs = ContainingStageBound(graph: graph).leastCostsHoldingConsumers()
            let masks = 1..<(1 << graph.nodeCount)
            func members(_ mask: Int) -> [Int] { (0..<graph.nodeCount).filter { mask & (1 << $0) != 0 } }
            for node in 0..<graph.nodeCount {
                guard !graph.successors[node].isEmpty, graph.nodes[node].comm > 0 else {
                    XCTAssertEqual(costs[node], 0, "seed \(seed) node \(node)")
                    continue
                }
                let neighbourhood = [node] + graph.successors[node]
                let closed = Set(graph.closedStage(of: neighbourhood))
                var withGroups = Set(neighbourhood)
                for member in neighbourhood { if let group = graph.groupOf[member] { withGroups.formUnion(graph.groupMembers[group]) } }
                var cheapest = Double.infinity, cheapestWithoutPaths = Double.infinity, cheapestStage = Double.infinity
                for mask in masks where withGroups.allSatisfy({ mask & (1 << $0) != 0 }) {
                    let cost = graph.stageCost(of: members(mask))
                    cheapestWithoutPaths = Swift.min(cheapestWithoutPaths, cost)
                    if closed.allSatisfy({ mask & (1 << $0) != 0 }) { cheapest = Swift.min(cheapest, cost) }
                    if graph.closedStage(of: members(mask)) == members(mask) { cheapestStage = Swift.min(cheapestStage, cost) }
                }
                XCTAssertEqual(costs[node], cheapest, accuracy: 1e-9 * Swift.max(1, cheapest), "seed \(seed) node \(node)")
                XCTAssertLessThanOrEqual(costs[node], cheapestStage * (1 + 1e-12), "seed \(seed) node \(node): above a stage")
                if cheapest > cheapestWithoutPaths * (1 + 1e-9) { raisedByPaths += 1 }
            }
        }
        XCTAssertGreaterThan(raisedByPaths, 0, "the paths between a producer and its consumers should count on some graphs")
    }

    /// `convexHull`, whose searches stay within the members' span of the topological order, is the set of nodes
    /// reachable from a member and reaching a member over the whole graph, on wide layered graphs with skip
    /// connections and groups (every producer's neighbourhood, as the outright charges ask, and some random sets).
    func testConvexHullIsEveryNodeBetweenMembers() throws {
        for seed in UInt64(1)...6 {
            let shape = SyntheticGraphs.WideLayeredShape(nodeCount: 150 + 40 * Int(seed), width: 4 + 3 * Int(seed), commRatio: 1,
                                                         groupProbability: seed % 2 == 0 ? 0.2 : 0, seed: seed)
            let graph = try SyntheticGraphs.wideLayered(shape)
            func reach(_ from: [Int], _ next: [[Int]]) -> Set<Int> {
                var seen = Set(from), stack = from
                while let node = stack.popLast() { for other in next[node] where seen.insert(other).inserted { stack.append(other) } }
                return seen
            }
            func wholeGraphHull(_ members: [Int]) -> [Int] {
                reach(members, graph.precedenceSuccessors).intersection(reach(members, graph.precedencePredecessors)).sorted()
            }
            var random = SeededGenerator(seed: seed)
            for producer in 0..<graph.nodeCount where !graph.successors[producer].isEmpty {
                let neighbourhood = [producer] + graph.successors[producer]
                XCTAssertEqual(graph.convexHull(of: neighbourhood), wholeGraphHull(neighbourhood), "seed \(seed) node \(producer)")
                let sample = (0..<3).map { _ in Int(random.next() % UInt64(graph.nodeCount)) }
                XCTAssertEqual(graph.convexHull(of: sample), wholeGraphHull(sample), "seed \(seed) sample \(sample)")
            }
        }
    }
}
