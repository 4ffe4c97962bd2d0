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
        var searched = 0, cappedFast = 0
        for seed in 0..<12 as Range<UInt64> {
            let options = [plain, grouped, capped][Int(seed % 3)]
            let graph = RandomGraphs.smallDAG(nodeCount: 8, seed: 400 + seed, options: options)
            let all = ExhaustiveSearch.allPartitions(of: graph, stageCount: Self.stageCount)
            guard !all.isEmpty else { continue }
            var random = SeededGenerator(seed: 900 + seed)
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
        // The candidates must actually exercise the search, not only the trivial paths.
        XCTAssertGreaterThan(searched, 5)
        XCTAssertGreaterThan(cappedFast, 2)
    }
}
