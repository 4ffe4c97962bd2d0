import MIP
import MIPSolvers
import XCTest
import PipeBounds
import PipeGraph
import PipePartition
import PipeTestSupport

/// Brute-force soundness on random small training graphs (docs/graph-format.md, "Training graphs"):
/// forward DAGs with backward twins, colour classes shared across the passes and some classes of
/// backward nodes only. ``ExhaustiveSearch`` enumerates every stage map and checks the rules on the
/// original nodes; every partitioner returns a valid partition no better than the optimum (the ideal
/// DP exactly the optimum), and every bound on both backends stays at or below it.
final class TrainingSoundnessTests: XCTestCase {
    private static let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }
    private static let boundMethods: [LowerBoundMethod] = [.exact, .singleBlock, .guessBlock, .valueSearch]
    private static let partitioners: [PartitionMethod] = [.slice, .sliceDepthFirst, .sliceBreadthFirst, .sliceInput, .brkga100, .idealDP]

    /// The options of one random instance: comm, and now and then forward groups or a memory cap.
    private func options(seed: UInt64) -> RandomGraphs.Options {
        var options = RandomGraphs.Options()
        options.edgeProbability = [0.3, 0.5][Int(seed % 2)]
        options.commRange = seed % 5 == 0 ? 0...0 : 0...5
        if seed % 4 == 1 {
            options.memoryRange = 1...10
            options.memoryCapFraction = 0.6
        }
        if seed % 3 == 2 { options.groupProbability = 0.3 }
        return options
    }

    func testPartitionersAndBoundsAgainstBruteForce() throws {
        XCTAssertEqual(Self.solvers.count, 2, "both backends must be available")
        var instances = 0, withBackwardOnlyClass = 0, infeasible = 0, heuristicMisses = 0
        for seed in UInt64(0)..<200 {
            let graph = RandomGraphs.smallTrainingDAG(forwardCount: 4 + Int(seed % 2), seed: seed, options: options(seed: seed))
            let stageCount = 2 + Int((seed / 2) % 2)
            let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount)"
            XCTAssertTrue(graph.isTraining, label)
            if graph.precedenceEdges.contains(where: { graph.nodes[$0.0].backward }) { withBackwardOnlyClass += 1 }
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount) else {
                infeasible += 1
                for method in Self.partitioners {
                    XCTAssertThrowsError(try Partitioner.partition(graph, stageCount: stageCount, method: method), "\(label) \(method)")
                }
                continue
            }
            instances += 1
            // The brute force and the graph's own rules agree on the optimum's partition.
            XCTAssertEqual(graph.violations(of: optimum.partition), [], label)
            for method in Self.partitioners {
                // Under a memory cap the orders a heuristic slices may all need too many stages; it says so.
                guard let found = try? Partitioner.partition(graph, stageCount: stageCount, method: method) else {
                    XCTAssertTrue(graph.stageMemory != nil && method != .idealDP, "\(label) \(method) found nothing")
                    heuristicMisses += 1
                    continue
                }
                XCTAssertEqual(graph.violations(of: found.partition), [], "\(label) \(method)")
                XCTAssertEqual(found.bottleneck, graph.bottleneck(of: found.partition), accuracy: 1e-9, "\(label) \(method)")
                XCTAssertGreaterThanOrEqual(found.bottleneck, optimum.bottleneck - 1e-9, "\(label) \(method)")
                if method == .idealDP { XCTAssertEqual(found.bottleneck, optimum.bottleneck, accuracy: 1e-9, "\(label) ideal-dp") }
            }
            // With U at the optimum the DP's pruning bites hardest: a backward edge can lower a
            // stage's input cost as it grows (bert_l-3_training at k = 8 said "no partition").
            let tight = try IdealDP.optimum(of: graph, stageCount: stageCount, upperBound: optimum.bottleneck * (1 + 1e-12))
            XCTAssertEqual(tight?.bottleneck ?? .infinity, optimum.bottleneck, accuracy: 1e-9, "\(label) ideal-dp at U = OPT")
            let combinatorial = try LowerBounds.compute(.combinatorial, BoundRequest(graph: graph, stageCount: stageCount, solver: Self.solvers[0]))
            XCTAssertLessThanOrEqual(combinatorial.value, optimum.bottleneck + 1e-9, "\(label) combinatorial: \(combinatorial.detail)")
            for solver in Self.solvers {
                for method in Self.boundMethods {
                    var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver, targetRatio: 1)
                    // MIP probes here; the DP shortcut of the value search once below.
                    request.usesIdealDP = false
                    let result = try LowerBounds.compute(method, request)
                    let where_ = "\(label) \(solver.name) \(method.rawValue) [\(result.detail)]"
                    XCTAssertNotEqual(result.status, .failed, where_)
                    XCTAssertLessThanOrEqual(result.value, optimum.bottleneck + 1e-9, where_)
                    if let partition = result.partition { XCTAssertEqual(graph.violations(of: partition), [], where_) }
                    if method == .valueSearch || method == .exact {
                        XCTAssertGreaterThanOrEqual(result.value, optimum.bottleneck * (1 - 2e-4), "\(where_) should be tight")
                    }
                }
            }
            let byDP = try LowerBounds.compute(.valueSearch, BoundRequest(graph: graph, stageCount: stageCount, solver: Self.solvers[0],
                                                                         targetRatio: 1))
            XCTAssertLessThanOrEqual(byDP.value, optimum.bottleneck + 1e-9, "\(label) value-search by the ideal DP")
            XCTAssertGreaterThanOrEqual(byDP.value, optimum.bottleneck * (1 - 1e-8), "\(label) the ideal DP should be exact")
        }
        print("training soundness: \(instances) instances, \(withBackwardOnlyClass) with mirrored edges, \(infeasible) infeasible, "
              + "\(heuristicMisses) heuristic runs without a slicing under the memory cap")
        XCTAssertGreaterThanOrEqual(instances, 170)
        XCTAssertGreaterThanOrEqual(withBackwardOnlyClass, 35)
    }
}

/// The ideal DP's pruning on a training graph: entering a unit can lower a stage's input cost
/// (its backward node feeds one already in the stage), so "work + input > U" does not carry over
/// to larger stages there. bert_l-3_training at k = 8 said "found no partition" before.
final class TrainingPruningTests: XCTestCase {
    func testTheInputCostDropsWhenABackwardProducerJoinsTheStage() throws {
        // a → b forward; b → b' → a' backward; a → a' (a saved activation). Classes {a, a'}, {b, b'}.
        let nodes = [
            Node(name: "a", work: 1, comm: 0.1, group: "A"),
            Node(name: "b", work: 1, comm: 0.1, group: "B"),
            Node(name: "a'", work: 1, group: "A", backward: true),
            Node(name: "b'", work: 1, comm: 100, group: "B", backward: true),
        ]
        let graph = try ComputationGraph(name: "two-layer-training", nodes: nodes, edges: [(0, 1), (1, 3), (3, 2), (0, 2)])
        let optimum = try XCTUnwrap(ExhaustiveSearch.optimum(of: graph, stageCount: 2))
        XCTAssertEqual(optimum.bottleneck, 4, accuracy: 1e-12, "one stage holds everything")
        let tight = try IdealDP.optimum(of: graph, stageCount: 2, upperBound: optimum.bottleneck * (1 + 1e-12))
        XCTAssertEqual(tight?.bottleneck ?? .infinity, 4, accuracy: 1e-12)
    }
}
