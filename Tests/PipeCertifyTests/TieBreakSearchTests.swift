import MIPSolvers
@testable import PipeCertify
import PipeGraph
import XCTest
import PipeTestSupport

/// The `moves` tie-break search (min-cut, then branch and bound over the optima) against brute
/// force on graphs larger than RepairBruteForceTests', with candidates made the way the
/// benchmark makes them (a valid partition with some stages redrawn), so that many least-move
/// repairs tie and the search has real work; under memory caps too, where the search looks for
/// an optimum of the cut that meets the cap (docs/repair.md, "Fast exact paths").
final class TieBreakSearchTests: XCTestCase {
    private static let stageCount = 4

    func testTieBreakMatchesBruteForceOnPerturbedPartitions() throws {
        var plain = RandomGraphs.Options()
        plain.edgeProbability = 0.3
        var grouped = plain
        grouped.groupProbability = 0.4
        var capped = grouped
        capped.memoryRange = 1...6
        capped.memoryCapFraction = 0.4
        let graphs = (0..<12 as Range<UInt64>).map { seed in
            RandomGraphs.smallDAG(nodeCount: 8, seed: 400 + seed, options: [plain, grouped, capped][Int(seed % 3)])
        }
        let (searched, cappedFast) = try check(graphs, seed: 900)
        // The candidates must actually exercise the search, not only the trivial paths.
        XCTAssertGreaterThan(searched, 5)
        XCTAssertGreaterThan(cappedFast, 2)
    }

    /// Comm as large as work, so the search's comm terms (a producer surely sending, a stage surely
    /// receiving, the least a node adds to a stage wherever it goes) decide the pruning; training
    /// graphs too, where a backward consumer may sit in an earlier stage than its producer.
    func testTieBreakMatchesBruteForceWithHeavyComm() throws {
        var plain = RandomGraphs.Options()
        plain.edgeProbability = 0.35
        plain.commRange = 0...10
        var grouped = plain
        grouped.groupProbability = 0.3
        let graphs = (0..<6 as Range<UInt64>).map { seed in
            seed % 3 == 2 ? RandomGraphs.smallTrainingDAG(forwardCount: 4, seed: 600 + seed, options: plain)
                          : RandomGraphs.smallDAG(nodeCount: 8, seed: 600 + seed, options: seed % 3 == 0 ? plain : grouped)
        }
        let (searched, _) = try check(graphs, seed: 950)
        XCTAssertGreaterThan(searched, 2)
    }

    /// Repairs a perturbed valid partition of each graph (both weights, and the bottleneck within the
    /// fewest moves) and compares with brute force; returns how many the search settled, and how
    /// many capped graphs took a minimum-cut path.
    private func check(_ graphs: [ComputationGraph], seed: UInt64) throws -> (searched: Int, cappedFast: Int) {
        var searched = 0, cappedFast = 0
        for (index, graph) in graphs.enumerated() {
            let all = ExhaustiveSearch.allPartitions(of: graph, stageCount: Self.stageCount)
            guard !all.isEmpty else { continue }
            var random = SeededGenerator(seed: seed + UInt64(index))
            let base = all[Int(random.nextUnit() * Double(all.count))]
            let target: [Int?] = base.stageOf.map { stage in
                random.nextUnit() < 0.4 ? Int(random.nextUnit() * Double(Self.stageCount)) : stage
            }
            let candidate = RepairCandidate(target: target, stageCount: Self.stageCount)
            let repairer = try Repairer(graph: graph, stageCount: Self.stageCount, solver: SolverCatalog.solver(named: "glpk"))
            for weight in RepairWeight.allCases {
                let costs = RepairCosts(objective: .moves, weight: weight, candidate: candidate, graph: graph)
                // Brute force: the fewest moves, then the least bottleneck among them.
                var best = (Double.infinity, Double.infinity)
                for partition in all {
                    let key = (costs.total(of: partition), graph.bottleneck(of: partition))
                    if key.0 < best.0 - 1e-9 || (abs(key.0 - best.0) <= 1e-9 && key.1 < best.1) { best = key }
                }
                let outcome = try repairer.repair(candidate, options: RepairOptions(objective: .moves, weight: weight))
                let label = "\(graph.name) weight \(weight) method \(outcome.method)"
                XCTAssertEqual(graph.violations(of: outcome.partition).map(\.description), [], label)
                XCTAssertTrue(outcome.isOptimal, label)
                XCTAssertEqual(costs.total(of: outcome.partition), best.0, accuracy: 1e-9, label)
                XCTAssertEqual(outcome.bottleneckAfter, best.1, accuracy: 1e-9, "\(label): tie-break")
                if outcome.method == "min-cut+search" { searched += 1 }
                if graph.stageMemory != nil, outcome.method.hasPrefix("min-cut") { cappedFast += 1 }
                guard weight == .unit, best.0.isFinite else { continue }
                // A budget of exactly the fewest moves leaves only the least-move partitions: the tie-break is the answer.
                let budgeted = try repairer.repair(candidate, options: RepairOptions(objective: .bottleneck, maxMoves: Int(best.0)))
                XCTAssertEqual(budgeted.bottleneckAfter, best.1, accuracy: 1e-9, "\(label): bottleneck within \(Int(best.0)) moves")
                XCTAssertLessThanOrEqual(budgeted.moves.count, Int(best.0), label)
                XCTAssertTrue(budgeted.isOptimal, label)
            }
        }
        return (searched, cappedFast)
    }
}
