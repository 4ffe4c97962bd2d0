import MIP
@testable import PipeCertify
import MIPSolvers
import PipeGraph
import PipeTestSupport
import XCTest

/// A repair stopped by its limit (stop flag, node limit, time limit) still returns a valid
/// partition, the best found so far (docs/repair.md, "Limits"). Which one it is depends on
/// where the solver stopped, so only validity and the bound on the objective are asserted.
final class RepairLimitTests: XCTestCase {
    private static let stageCount = 3

    /// A 9-node random DAG and a candidate with stages redrawn at random, most of them invalid.
    private func instance(seed: UInt64) -> (ComputationGraph, RepairCandidate) {
        var options = RandomGraphs.Options()
        options.edgeProbability = 0.35
        let graph = RandomGraphs.smallDAG(nodeCount: 9, seed: seed, options: options)
        var random = SeededGenerator(seed: seed + 1)
        let target: [Int?] = graph.nodes.indices.map { _ in Int(random.nextUnit() * Double(Self.stageCount)) }
        return (graph, RepairCandidate(target: target, stageCount: Self.stageCount))
    }

    /// The least cost of `objective` over all valid partitions (brute force).
    private func leastCost(_ graph: ComputationGraph, _ candidate: RepairCandidate, _ objective: RepairObjective) -> Double {
        let costs = RepairCosts(objective: objective, weight: .unit, candidate: candidate, graph: graph)
        var best = Double.infinity
        ExhaustiveSearch.forEachPartition(of: graph, stageCount: Self.stageCount) { best = min(best, costs.total(of: $0)) }
        return best
    }

    func testStoppedRepairReturnsAValidPartition() throws {
        let stopped = StopFlag()
        stopped.stop()
        for seed in [11, 12, 13] as [UInt64] {
            let (graph, candidate) = instance(seed: seed)
            let least: [RepairObjective: Double] = [.moves: leastCost(graph, candidate, .moves),
                                                    .distance: leastCost(graph, candidate, .distance)]
            for solver in ["cbc", "glpk"] {
                let repairer = try Repairer(graph: graph, stageCount: Self.stageCount, solver: SolverCatalog.solver(named: solver))
                let settings = [
                    RepairOptions(objective: .moves, stopFlag: stopped),
                    RepairOptions(objective: .moves, stopFlag: stopped, usesFastPaths: false),
                    RepairOptions(objective: .moves, nodeLimit: 0, usesFastPaths: false),
                    RepairOptions(objective: .distance, stopFlag: stopped, usesFastPaths: false),
                    RepairOptions(objective: .bottleneck, stopFlag: stopped),
                    RepairOptions(objective: .moves, timeLimit: 1e-6, usesFastPaths: false),
                ]
                for options in settings {
                    let label = "seed \(seed) \(solver) \(options.objective) fast \(options.usesFastPaths)"
                    let outcome = try repairer.repair(candidate, options: options)
                    XCTAssertEqual(graph.violations(of: outcome.partition).map(\.description), [], label)
                    let costs = RepairCosts(objective: options.objective == .bottleneck ? .moves : options.objective,
                                            weight: .unit, candidate: candidate, graph: graph)
                    if options.objective != .bottleneck {
                        XCTAssertEqual(outcome.objectiveValue, costs.total(of: outcome.partition), accuracy: 1e-9, label)
                        XCTAssertGreaterThanOrEqual(outcome.objectiveValue, least[options.objective]! - 1e-9, label)
                    } else {
                        XCTAssertGreaterThanOrEqual(costs.total(of: outcome.partition), least[.moves]! - 1e-9, label)
                    }
                }
            }
        }
    }
}
