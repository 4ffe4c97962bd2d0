import XCTest
import PipeGraph
@testable import PipePartition
import PipeTestSupport

final class IdealDPTests: XCTestCase {
    /// The ideal DP equals exhaustive search on random DAGs with communication, memory caps and groups;
    /// slice and BRKGA are never below it, and BRKGA is never above slice.
    func testIdealDPEqualsExhaustiveSearch() throws {
        var compared = 0, infeasible = 0, sliceAboveOptimum = 0
        for seed in UInt64(0)..<1500 {
            let nodeCount = 4 + Int(seed % 7)
            let stageCount = 1 + Int(seed / 7 % 4)
            let graph = RandomGraphs.smallDAG(nodeCount: nodeCount, seed: seed, options: TestGraphs.options(seed: seed))
            let truth = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)
            let exact = try IdealDP.optimum(of: graph, stageCount: stageCount)
            XCTAssertEqual(exact == nil, truth == nil, "seed \(seed)")
            guard let exact, let truth else {
                infeasible += 1
                XCTAssertThrowsError(try Partitioner.partition(graph, stageCount: stageCount, method: .idealDP), "seed \(seed)")
                continue
            }
            compared += 1
            XCTAssertEqual(exact.bottleneck, truth.bottleneck, "seed \(seed)")
            XCTAssertEqual(graph.violations(of: exact.partition), [], "seed \(seed)")
            XCTAssertEqual(graph.bottleneck(of: exact.partition), exact.bottleneck, "seed \(seed)")

            let viaPartitioner = try Partitioner.partition(graph, stageCount: stageCount, method: .idealDP)
            XCTAssertEqual(viaPartitioner.bottleneck, truth.bottleneck, "seed \(seed)")
            guard seed % 4 == 0 else { continue }
            // Upper-bound methods: valid, never below the optimum, BRKGA never above slice.
            let slice = try? Partitioner.partition(graph, stageCount: stageCount, method: .slice)
            let brkga = try? Partitioner.partition(graph, stageCount: stageCount, method: .brkga100, seed: seed)
            if let slice {
                XCTAssertGreaterThanOrEqual(slice.bottleneck, truth.bottleneck, "seed \(seed)")
                if slice.bottleneck > truth.bottleneck { sliceAboveOptimum += 1 }
            }
            if let brkga {
                XCTAssertGreaterThanOrEqual(brkga.bottleneck, truth.bottleneck, "seed \(seed)")
                if let slice { XCTAssertLessThanOrEqual(brkga.bottleneck, slice.bottleneck, "seed \(seed)") }
            } else {
                XCTAssertNil(slice, "BRKGA failed where slice succeeded, seed \(seed)")
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 1000)
        XCTAssertGreaterThan(infeasible, 0)
        print("ideal DP vs exhaustive: \(compared) compared, \(infeasible) infeasible; slice above optimum on \(sliceAboveOptimum)")
    }

    /// Beyond brute-force sizes, the DP pruned by an upper bound (from slice) equals the unpruned DP,
    /// and the heuristics stay at or above it.
    func testUpperBoundPruningKeepsTheOptimum() throws {
        var compared = 0
        // 20 seeds (24 before the training-graph test below was added: the time it takes comes from here).
        for seed in UInt64(0)..<20 {
            var options = TestGraphs.options(seed: seed)
            options.integerCosts = seed % 2 == 0
            let graph = RandomGraphs.smallDAG(nodeCount: 14 + Int(seed % 5) * 2, seed: seed, options: options)
            for stageCount in [2, 3, 5] {
                guard let slice = try? Partitioner.partition(graph, stageCount: stageCount, method: .slice) else { continue }
                let unpruned = try XCTUnwrap(IdealDP.optimum(of: graph, stageCount: stageCount))
                let pruned = try XCTUnwrap(IdealDP.optimum(of: graph, stageCount: stageCount, upperBound: slice.bottleneck))
                XCTAssertEqual(pruned.bottleneck, unpruned.bottleneck, accuracy: 1e-9 * unpruned.bottleneck, "seed \(seed) k \(stageCount)")
                XCTAssertEqual(graph.violations(of: pruned.partition), [])
                XCTAssertGreaterThanOrEqual(slice.bottleneck, unpruned.bottleneck * (1 - 1e-12))
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 30)
    }

    /// Units (docs/partitioning.md): groups not convex as given and zero-work nodes with one neighbour
    /// merged into it; the DP over the quotient's ideals still equals exhaustive search over every
    /// assignment of the original nodes, and slice / BRKGA (orders of units) stay at or above it.
    func testUnitQuotientKeepsTheOptimum() throws {
        var compared = 0, merged = 0
        for seed in UInt64(0)..<200 {
            var options = RandomGraphs.Options()
            options.edgeProbability = [0.15, 0.3][Int(seed % 2)]
            options.workRange = 0...3
            options.commRange = 0...4
            options.groupProbability = seed % 3 == 0 ? 0 : 0.3
            options.allowNonConvexGroups = seed % 3 == 2
            if seed % 4 == 1 {
                options.memoryRange = 0...2
                options.memoryCapFraction = 0.5
            }
            options.integerCosts = seed % 5 != 0
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 5), seed: seed, options: options)
            if UnitGraph(graph, mergingFreeNodes: true).unitCount < UnitGraph(graph, mergingFreeNodes: false).unitCount { merged += 1 }
            let stageCount = 2 + Int(seed / 5 % 3)
            let truth = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)
            let exact = try IdealDP.optimum(of: graph, stageCount: stageCount)
            XCTAssertEqual(exact == nil, truth == nil, "seed \(seed)")
            guard let exact, let truth else { continue }
            compared += 1
            XCTAssertEqual(exact.bottleneck, truth.bottleneck, accuracy: 1e-9 * max(1, truth.bottleneck), "seed \(seed)")
            XCTAssertEqual(graph.violations(of: exact.partition), [], "seed \(seed)")
            for method in [PartitionMethod.slice, .brkga100] {
                if let upper = try? Partitioner.partition(graph, stageCount: stageCount, method: method, seed: seed) {
                    XCTAssertGreaterThanOrEqual(upper.bottleneck, truth.bottleneck * (1 - 1e-12), "seed \(seed) \(method)")
                }
            }
        }
        XCTAssertGreaterThan(compared, 160)
        XCTAssertGreaterThan(merged, 25)
        print("units: \(compared) compared with exhaustive search, \(merged) graphs with free zero-work nodes merged")
    }

    /// The DP's pruning with a tight upper bound (the optimum itself, or a little above it): stages cut
    /// on work plus input cost, U lowered to the best full partition found, and relaxations only where
    /// a row's value drops. It still equals exhaustive search on random DAGs with groups and memory caps.
    func testPruningAtATightUpperBoundKeepsTheOptimum() throws {
        var compared = 0
        for seed in UInt64(0)..<200 {
            var options = TestGraphs.options(seed: seed)
            options.workRange = 0...5
            options.integerCosts = seed % 3 != 0
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 4), seed: seed, options: options)
            let stageCount = 2 + Int(seed / 5 % 4)
            guard let truth = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount) else { continue }
            let slack = [0, 1e-12, 0.05, 0.5][Int(seed % 4)]
            let upper = truth.bottleneck * (1 + slack)
            let exact = try XCTUnwrap(IdealDP.optimum(of: graph, stageCount: stageCount, upperBound: upper), "seed \(seed)")
            XCTAssertEqual(exact.bottleneck, truth.bottleneck, accuracy: 1e-9 * max(1, truth.bottleneck), "seed \(seed)")
            XCTAssertEqual(graph.violations(of: exact.partition), [], "seed \(seed)")
            XCTAssertEqual(graph.bottleneck(of: exact.partition), truth.bottleneck, accuracy: 1e-9 * max(1, truth.bottleneck), "seed \(seed)")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 120)
    }

    /// One pass answering several stage counts (bounded by the fewest-stage incumbent from slice)
    /// gives each count's exhaustive optimum, with groups and memory caps.
    func testOnePassAnswersEveryStageCount() throws {
        var compared = 0
        for seed in UInt64(0)..<100 {
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 4), seed: seed, options: TestGraphs.options(seed: seed))
            let counts = seed % 2 == 0 ? [2, 3, 4] : [1, 3]
            let upper = (try? Partitioner.partition(graph, stageCount: counts[0], method: .slice))?.bottleneck ?? .infinity
            let answers = try IdealDP.optima(of: graph, stageCounts: counts, upperBound: upper)
            for count in counts {
                let truth = ExhaustiveSearch.optimum(of: graph, stageCount: count)
                let answer = try XCTUnwrap(answers[count], "seed \(seed) k \(count)")
                XCTAssertEqual(answer == nil, truth == nil, "seed \(seed) k \(count)")
                guard let answer, let truth else { continue }
                XCTAssertEqual(answer.bottleneck, truth.bottleneck, accuracy: 1e-9 * max(1, truth.bottleneck), "seed \(seed) k \(count)")
                XCTAssertEqual(answer.partition.stageCount, count)
                XCTAssertEqual(graph.violations(of: answer.partition), [], "seed \(seed) k \(count)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 160)
    }

    /// Imported graphs give every node a colour class: a group of one moves alone, and a memory cap
    /// that the whole graph fits under never binds, so zero-work nodes with one neighbour still merge;
    /// the DP over that quotient equals exhaustive search.
    func testSingletonGroupsAndSlackCapsStillMergeFreeNodes() throws {
        var compared = 0, merged = 0
        for seed in UInt64(0)..<80 {
            var options = RandomGraphs.Options()
            options.edgeProbability = [0.15, 0.3][Int(seed % 2)]
            options.workRange = 0...3
            options.commRange = 0...4
            options.memoryRange = 0...2
            let base = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 4), seed: seed, options: options)
            let nodes = base.nodes.enumerated().map { index, node in
                Node(name: node.name, work: node.work, comm: node.comm, memory: node.memory, group: "solo\(index)")
            }
            let totalMemory = nodes.reduce(0.0) { $0 + $1.memory }
            let graph = try ComputationGraph(name: "solo-\(seed)", nodes: nodes, edges: base.edges,
                                             stageMemory: seed % 2 == 0 ? totalMemory + 1 : nil)
            let units = UnitGraph(graph, mergingFreeNodes: true)
            let freeNodes = graph.nodes.indices.filter {
                graph.nodes[$0].work == 0 && graph.predecessors[$0].count + graph.successors[$0].count == 1
            }
            if !freeNodes.isEmpty {
                XCTAssertLessThan(units.unitCount, graph.nodeCount, "seed \(seed): a free node joins its neighbour")
                merged += 1
            }
            let stageCount = 2 + Int(seed / 5 % 3)
            let truth = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)
            let exact = try IdealDP.optimum(of: graph, stageCount: stageCount)
            XCTAssertEqual(exact == nil, truth == nil, "seed \(seed)")
            guard let exact, let truth else { continue }
            compared += 1
            XCTAssertEqual(exact.bottleneck, truth.bottleneck, accuracy: 1e-9 * max(1, truth.bottleneck), "seed \(seed)")
            XCTAssertEqual(graph.violations(of: exact.partition), [], "seed \(seed)")
        }
        XCTAssertGreaterThan(compared, 70)
        XCTAssertGreaterThan(merged, 8)
    }

    /// Training graphs (docs/graph-format.md, "Training graphs") with many zero-work nodes: whole colour
    /// classes (forward and backward) whose edges all lead to one other unit join it, and the walk
    /// prunes on work plus the comm to and from J, which only grows there. Without U, at U = OPT and in
    /// one pass for two counts, the DP equals exhaustive search over every stage map of the nodes.
    func testTrainingGraphsWithFreeClassesKeepTheOptimum() throws {
        var compared = 0, mergedClasses = 0
        for seed in UInt64(0)..<120 {
            var options = RandomGraphs.Options()
            options.edgeProbability = [0.3, 0.5][Int(seed % 2)]
            options.workRange = 0...2
            options.commRange = seed % 5 == 0 ? 0...0 : 0...4
            options.integerCosts = seed % 4 != 3
            if seed % 4 == 1 {
                options.memoryRange = 0...2
                options.memoryCapFraction = 0.6
            }
            let graph = RandomGraphs.smallTrainingDAG(forwardCount: 4 + Int(seed % 2), seed: seed, backwardFraction: 0.8, options: options)
            let units = UnitGraph(graph, mergingFreeNodes: true)
            if units.members.contains(where: { members in
                members.contains { graph.nodes[$0].backward } && Set(members.map { graph.groupOf[$0] ?? -1 - $0 }).count > 1
            }) { mergedClasses += 1 }
            let counts = [2, 3]
            let answers = try IdealDP.optima(of: graph, stageCounts: counts)
            for count in counts {
                let label = "seed \(seed) k \(count)"
                let truth = ExhaustiveSearch.optimum(of: graph, stageCount: count)
                let exact = try IdealDP.optimum(of: graph, stageCount: count)
                XCTAssertEqual(exact == nil, truth == nil, label)
                guard let exact, let truth, let onePass = answers[count] ?? nil else { continue }
                compared += 1
                let accuracy = 1e-9 * max(1, truth.bottleneck)
                XCTAssertEqual(exact.bottleneck, truth.bottleneck, accuracy: accuracy, label)
                XCTAssertEqual(onePass.bottleneck, truth.bottleneck, accuracy: accuracy, "\(label) one pass")
                XCTAssertEqual(graph.violations(of: exact.partition), [], label)
                XCTAssertEqual(graph.bottleneck(of: exact.partition), truth.bottleneck, accuracy: accuracy, label)
                let tight = try IdealDP.optimum(of: graph, stageCount: count, upperBound: truth.bottleneck * (1 + 1e-12))
                XCTAssertEqual(tight?.bottleneck ?? .infinity, truth.bottleneck, accuracy: accuracy, "\(label) at U = OPT")
            }
        }
        XCTAssertGreaterThan(compared, 180)
        XCTAssertGreaterThan(mergedClasses, 10)
        print("training units: \(compared) compared with exhaustive search, \(mergedClasses) graphs with a class merged into another unit")
    }

    /// A limit on the number of ideals is reported, not exceeded.
    func testRefusesGraphsWithTooManyIdeals() {
        // 20 independent nodes: 2^20 ideals.
        let nodes = (0..<20).map { Node(name: "v\($0)", work: 1) }
        let graph = try! ComputationGraph(name: "wide", nodes: nodes, edges: [])
        var limits = IdealDP.Limits()
        limits.idealCount = 1000
        XCTAssertThrowsError(try IdealDP.optimum(of: graph, stageCount: 2, limits: limits)) { error in
            XCTAssertEqual("\(error)", "graph wide has more than 1000 ideals; use brkga-10000 or certify")
        }
    }
}
