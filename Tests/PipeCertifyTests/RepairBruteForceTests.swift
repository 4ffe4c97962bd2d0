import MIPSolvers
@testable import PipeCertify
import PipeGraph
import XCTest
import PipeTestSupport

/// Every repair objective against brute force over all valid partitions of small random DAGs
/// (plain, with colocation groups, with memory caps), on both backends, with and without the
/// fast exact paths (docs/repair.md).
final class RepairBruteForceTests: XCTestCase {
    private static let stageCount = 3

    /// The graphs: a few seeds of each kind, small enough for ExhaustiveSearch.
    private func graphs() -> [ComputationGraph] {
        var plain = RandomGraphs.Options()
        plain.edgeProbability = 0.35
        var grouped = plain
        grouped.groupProbability = 0.5
        var capped = plain
        capped.memoryRange = 1...6
        capped.memoryCapFraction = 0.45
        var result: [ComputationGraph] = []
        for seed in 0..<5 as Range<UInt64> {
            result.append(RandomGraphs.smallDAG(nodeCount: 6, seed: 100 + seed, options: plain))
            result.append(RandomGraphs.smallDAG(nodeCount: 6, seed: 200 + seed, options: grouped))
            result.append(RandomGraphs.smallDAG(nodeCount: 6, seed: 300 + seed, options: capped))
        }
        return result
    }

    /// A random candidate: stages −1…k (so some out of range), about one node in ten left free.
    private func candidate(for graph: ComputationGraph, seed: UInt64) -> RepairCandidate {
        var random = SeededGenerator(seed: seed)
        let target: [Int?] = graph.nodes.indices.map { _ in
            random.nextUnit() < 0.1 ? nil : Int(random.nextUnit() * Double(Self.stageCount + 2)) - 1
        }
        return RepairCandidate(target: target, stageCount: Self.stageCount)
    }

    /// The brute-force optimum of `objective`: (objective value, bottleneck of the tie-broken optimum), nil when infeasible.
    private func bruteForce(_ graph: ComputationGraph, _ candidate: RepairCandidate, _ options: RepairOptions) -> (Double, Double)? {
        let costs = RepairCosts(objective: options.objective, weight: options.weight, candidate: candidate, graph: graph)
        let moveCounts = RepairCosts(objective: .moves, weight: .unit, candidate: candidate, graph: graph)
        var best: (Double, Double)?
        ExhaustiveSearch.forEachPartition(of: graph, stageCount: Self.stageCount) { partition in
            let bottleneck = graph.bottleneck(of: partition)
            let key: (Double, Double)
            switch options.objective {
            case .moves: key = (costs.total(of: partition), bottleneck)
            case .distance: key = (costs.total(of: partition), 0)
            case .bottleneck:
                if let budget = options.maxMoves, moveCounts.total(of: partition) > Double(budget) { return }
                key = (bottleneck, bottleneck)
            }
            if best.map({ key.0 < $0.0 - 1e-9 || (abs(key.0 - $0.0) <= 1e-9 && key.1 < $0.1 - 1e-9) }) ?? true { best = key }
        }
        return best
    }

    /// Small random training graphs (docs/graph-format.md, "Training graphs"): backward nodes share
    /// their colour class's stage and only forward edges order stages; half of them with a memory cap.
    private func trainingGraphs() -> [ComputationGraph] {
        var plain = RandomGraphs.Options()
        plain.edgeProbability = 0.4
        var capped = plain
        capped.memoryRange = 1...6
        capped.memoryCapFraction = 0.45
        return (0..<2 as Range<UInt64>).flatMap { seed in
            [RandomGraphs.smallTrainingDAG(forwardCount: 4, seed: 400 + seed, options: plain),
             RandomGraphs.smallTrainingDAG(forwardCount: 4, seed: 500 + seed, options: capped)]
        }
    }

    private func check(solver: String, fastPaths: Bool, searchesTies: Bool = true, training: Bool = false) throws {
        var checked = 0
        for (index, graph) in (training ? trainingGraphs() : graphs()).enumerated() {
            let repairer = try Repairer(graph: graph, stageCount: Self.stageCount, solver: SolverCatalog.solver(named: solver))
            if !searchesTies { repairer.tieSearchLimit = 0 }
            let candidate = candidate(for: graph, seed: UInt64(index) * 7 + 1)
            var budget = SeededGenerator(seed: UInt64(index) + 50)
            let settings: [RepairOptions] = [
                RepairOptions(objective: .moves, usesFastPaths: fastPaths),
                RepairOptions(objective: .moves, weight: .work, usesFastPaths: fastPaths),
                RepairOptions(objective: .distance, usesFastPaths: fastPaths),
                RepairOptions(objective: .bottleneck, maxMoves: Int(budget.nextUnit() * Double(graph.nodeCount + 1)), usesFastPaths: fastPaths),
            ]
            for options in settings {
                let label = "\(graph.name) \(options.objective) \(options.weight) budget \(options.maxMoves.map(String.init) ?? "-") \(solver) fast \(fastPaths) searches ties \(searchesTies)"
                let expected = bruteForce(graph, candidate, options)
                let outcome: RepairOutcome
                do {
                    outcome = try repairer.repair(candidate, options: options)
                } catch let error as RepairError {
                    XCTAssertNil(expected, "\(label): repair says '\(error.message)', brute force finds \(String(describing: expected))")
                    XCTAssertTrue(error.isInfeasible, label)
                    continue
                }
                guard let expected else {
                    XCTFail("\(label): repair returned a partition where brute force finds none")
                    continue
                }
                XCTAssertEqual(graph.violations(of: outcome.partition).map(\.description), [], label)
                XCTAssertTrue(outcome.isOptimal, label)
                let costs = RepairCosts(objective: options.objective, weight: options.weight, candidate: candidate, graph: graph)
                let achieved = options.objective == .bottleneck ? outcome.bottleneckAfter : costs.total(of: outcome.partition)
                XCTAssertEqual(achieved, expected.0, accuracy: 1e-6, label)
                XCTAssertEqual(outcome.objectiveValue, expected.0, accuracy: 1e-6, label)
                if options.objective == .moves {
                    XCTAssertEqual(outcome.bottleneckAfter, expected.1, accuracy: 1e-6, "\(label): tie-break")
                }
                checked += 1
            }
        }
        // Caps make some instances infeasible, but most must have been compared.
        XCTAssertGreaterThan(checked, training ? 8 : 45)
    }

    func testObjectivesMatchBruteForceOnCBC() throws { try check(solver: "cbc", fastPaths: false) }
    func testObjectivesMatchBruteForceOnGLPK() throws { try check(solver: "glpk", fastPaths: false) }
    func testFastPathsMatchBruteForceOnCBC() throws { try check(solver: "cbc", fastPaths: true) }
    func testFastPathsMatchBruteForceOnGLPK() throws { try check(solver: "glpk", fastPaths: true) }
    func testMinCutThenTieBreakMIPMatchesBruteForceOnCBC() throws { try check(solver: "cbc", fastPaths: true, searchesTies: false) }
    func testMinCutThenTieBreakMIPMatchesBruteForceOnGLPK() throws { try check(solver: "glpk", fastPaths: true, searchesTies: false) }

    /// Training graphs: the minimum cut, the tie-break search and the MIPs all see the training
    /// precedence (forward and mirrored edges) and the closed colour classes.
    func testTrainingGraphsMatchBruteForce() throws {
        XCTAssertTrue(trainingGraphs().allSatisfy { $0.nodes.contains(where: \.backward) })
        for solver in ["cbc", "glpk"] {
            try check(solver: solver, fastPaths: true, training: true)
            try check(solver: solver, fastPaths: true, searchesTies: false, training: true)
            try check(solver: solver, fastPaths: false, training: true)
        }
    }

    func testValidCandidateNeedsNoMove() throws {
        let graph = RandomGraphs.smallDAG(nodeCount: 8, seed: 9)
        let valid = try XCTUnwrap(ExhaustiveSearch.allPartitions(of: graph, stageCount: 3).last)
        let outcome = try Repairer(graph: graph, stageCount: 3, solver: SolverCatalog.solver(named: "glpk"))
            .repair(RepairCandidate(target: valid.stageOf.map { $0 }, stageCount: 3))
        XCTAssertEqual(outcome.method, "unchanged")
        XCTAssertEqual(outcome.moves, [])
        XCTAssertEqual(outcome.partition, valid)
        XCTAssertEqual(outcome.bottleneckBefore, graph.bottleneck(of: valid))
    }

    /// Two repairs need one move each; only the tie-break tells them apart: c(10) -> a(1) -> b(1)
    /// with a wished in stage 1 and b in stage 0. Moving a gives one stage of 12, moving b gives 10 and 2.
    func testMovesTieIsBrokenByTheBottleneck() throws {
        let graph = try ComputationGraph(name: "tie", nodes: [Node(name: "c", work: 10), Node(name: "a", work: 1), Node(name: "b", work: 1)],
                                         namedEdges: [("c", "a"), ("a", "b")])
        let candidate = RepairCandidate(target: [0, 1, 0], stageCount: 2)
        for solver in ["cbc", "glpk"] {
            for (fastPaths, searches) in [(true, true), (true, false), (false, false)] {
                let repairer = try Repairer(graph: graph, stageCount: 2, solver: SolverCatalog.solver(named: solver))
                if !searches { repairer.tieSearchLimit = 0 }
                let outcome = try repairer.repair(candidate, options: RepairOptions(usesFastPaths: fastPaths))
                XCTAssertEqual(outcome.partition.stageOf, [0, 1, 1], "\(solver) fast \(fastPaths)")
                XCTAssertEqual(outcome.moves, [RepairOutcome.Move(node: "b", from: 0, to: 1)])
                XCTAssertEqual(outcome.bottleneckAfter, 10)
            }
        }
    }

    func testCandidateProblemsAreListed() throws {
        let graph = try ComputationGraph(name: "chain", nodes: [Node(name: "a", work: 1), Node(name: "b", work: 1), Node(name: "c", work: 1)],
                                         namedEdges: [("a", "b"), ("b", "c")])
        let candidate = RepairCandidate(stageByNode: ["a": 1, "b": 0, "c": 5, "zz": 0], graph: graph, stageCount: 2)
        let problems = candidate.violations(on: graph)
        XCTAssertEqual(problems, ["node 'zz' is not in graph 'chain'", "node 'c' is in stage 5, outside 0..<2",
                                  "edge 'a' -> 'b' goes backwards, from stage 1 to stage 0"])
        let outcome = try Repairer(graph: graph, stageCount: 2, solver: SolverCatalog.solver(named: "cbc")).repair(candidate)
        // One move suffices (a to 0 or b to 1), plus c, which must leave stage 5.
        XCTAssertEqual(outcome.moves.count, 2)
        XCTAssertNil(outcome.bottleneckBefore)
    }
}
