import MIP
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// The MIP neighbourhoods (docs/partitioning.md, "MIP neighbourhoods") against brute force, on both backends:
/// from the worst valid partition of each of 500 random DAGs (5 to 8 nodes, k = 2 to 5; groups, memory caps,
/// a third comm-heavy), every partition returned is valid and no worse; where one window holds every stage
/// (k ≤ 3) it is optimal, since that window's MIP is the whole prefix MIP with nothing pinned.
final class StageWindowNeighbourhoodTests: XCTestCase {
    private static let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }

    /// The shared instance mix, a third of it comm-heavy (comm up to three times the largest work).
    private static func options(seed: UInt64) -> RandomGraphs.Options {
        var options = TestSupport.options(seed: seed)
        if seed % 3 == 0 { options.commRange = 5...30 }
        return options
    }

    /// The window model admits every re-split of the window (every valid partition that agrees outside it), and
    /// its window stage rows at that partition's encoding are its stage costs exactly: the MIP searches every split
    /// and costs each truly, comm to and from the pinned stages included (60 DAGs, k = 4 and 5, every window of 2 and 3
    /// stages of a random base partition).
    func testTheWindowModelAdmitsEveryReSplitAndCostsItExactly() {
        var (checked, windowsChecked) = (0, 0)
        for seed in UInt64(37_000)..<UInt64(37_060) {
            let options = Self.options(seed: seed)
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 3), seed: seed, options: options)
            let stageCount = 4 + Int(seed % 2)
            let partitions = ExhaustiveSearch.allPartitions(of: graph, stageCount: stageCount)
            guard !partitions.isEmpty else { continue }
            let base = partitions[Int(seed) % partitions.count]
            let bottleneck = partitions.map { graph.bottleneck(of: $0) }.max()!
            for width in 2...3 {
                for first in 0...(stageCount - width) {
                    let window = first...(first + width - 1)
                    let formulation = StageWindowNeighbourhood.windowModel(window, of: base, bottleneck: bottleneck, in: graph)
                    windowsChecked += 1
                    for other in partitions where other.stageOf.indices.allSatisfy({ node in
                        window.contains(base.stageOf[node]) ? window.contains(other.stageOf[node]) : other.stageOf[node] == base.stageOf[node]
                    }) {
                        let label = "seed \(seed) window \(window) \(other.stageOf)"
                        guard let values = formulation.startValues(for: other, graph: graph) else { XCTFail("\(label): not admitted"); continue }
                        if let violation = TestSupport.firstViolation(formulation.model, values: values) { XCTFail("\(label): \(violation)") }
                        XCTAssertEqual(formulation.decode(values), other, label)
                        let loads = graph.stageLoads(of: other)
                        XCTAssertEqual(formulation.stageRows.count, width, label)
                        for (stage, row) in zip(window, formulation.stageRows) {
                            let (columns, coefficients) = formulation.model.row(row)
                            var activity = -formulation.model.rowUpper[row.index]
                            for (column, coefficient) in zip(columns, coefficients) where Int(column) != formulation.bottleneck.index {
                                activity += coefficient * values[Int(column)]
                            }
                            XCTAssertEqual(activity * bottleneck, loads[stage].cost, accuracy: 1e-9 * bottleneck, "\(label) stage \(stage)")
                        }
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 1_000)
        print("window models: \(windowsChecked) windows, \(checked) re-splits checked")
    }

    func testWindowMIPsReturnValidPartitionsNoWorseAndOptimalWhenOneWindowHoldsEveryStage() throws {
        XCTAssertEqual(Self.solvers.count, 2, "both backends must be available")
        var (instances, improved, optimalBeyondOneWindow, beyondOneWindow) = (0, 0, 0, 0)
        for seed in UInt64(36_000)..<UInt64(36_500) {
            let options = Self.options(seed: seed)
            let graph = RandomGraphs.smallDAG(nodeCount: 5 + Int(seed % 4), seed: seed, options: options)
            let stageCount = 2 + Int((seed / 4) % 4)
            let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount)"
            let partitions = ExhaustiveSearch.allPartitions(of: graph, stageCount: stageCount)
            guard let optimum = partitions.map({ graph.bottleneck(of: $0) }).min(),
                  let worst = partitions.max(by: { graph.bottleneck(of: $0) < graph.bottleneck(of: $1) }) else { continue }
            instances += 1
            let start = graph.bottleneck(of: worst)
            for solver in Self.solvers {
                let outcome = StageWindowNeighbourhood.improve(worst, in: graph, solver: solver, timeLimit: 30, stopFlag: nil)
                let found = graph.bottleneck(of: outcome.partition)
                let where_ = "\(label) \(solver.name): \(start) -> \(found), optimum \(optimum)"
                XCTAssertEqual(graph.violations(of: outcome.partition), [], where_)
                XCTAssertEqual(outcome.partition.stageCount, stageCount, where_)
                XCTAssertLessThanOrEqual(found, start, where_)
                XCTAssertGreaterThanOrEqual(found, optimum * (1 - 1e-12), where_)
                XCTAssertEqual(outcome.improvements > 0, found < start, where_)
                if found < start { improved += 1 }
                if stageCount <= 3 {
                    XCTAssertLessThanOrEqual(found, optimum * (1 + 1e-6), "\(where_): one window holds every stage")
                } else {
                    beyondOneWindow += 1
                    if found <= optimum * (1 + 1e-6) { optimalBeyondOneWindow += 1 }
                }
            }
        }
        XCTAssertGreaterThan(instances, 450)
        XCTAssertGreaterThan(improved, instances, "the worst partition is seldom optimal")
        XCTAssertGreaterThan(optimalBeyondOneWindow, beyondOneWindow / 2,
                             "at k = 4 and 5 the windows around the bottleneck mostly reach the optimum")
        print("window MIPs: \(instances) instances, \(improved) improved runs, optimal at k ≥ 4 in \(optimalBeyondOneWindow) of \(beyondOneWindow)")
    }
}
