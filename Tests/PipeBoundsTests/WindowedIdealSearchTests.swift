import MIP
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness of the windowed search probe (docs/formulations.md, "L4 search probe"): on
/// 1,000 random small DAGs with comm, memory caps and colocation groups, every "infeasible" answer is
/// checked against the exhaustive optimum (no partition reaches the value), every "feasible" answer
/// must be a valid partition costing at most the value, and with an ample budget the probe must be
/// exact (feasible exactly when OPT ≤ T). A tiny budget may answer "unknown" but never wrongly.
final class WindowedIdealSearchTests: XCTestCase {
    func testProbeAnswersAgreeWithExhaustiveSearch() {
        var verdicts = (feasible: 0, infeasible: 0, unknown: 0, windowless: 0)
        for seed in UInt64(5_000)..<UInt64(6_000) {
            let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % 4), seed: seed, options: TestSupport.options(seed: seed))
            let stageCount = 2 + Int((seed / 4) % 3)
            let costs = Self.partitionCosts(graph, stageCount: stageCount)
            guard let optimum = costs.first else { continue }
            let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount) OPT=\(optimum)"
            var search = WindowedIdealSearch(graph: graph, stageCount: stageCount)
            let calculator = StageWindowCalculator(graph: graph, stageCount: stageCount)
            // The optimum, just below it, the next distinct cost above it, and a value in between.
            var values = [optimum, optimum * (1 - 1e-7), optimum * 0.9]
            if let next = costs.first(where: { $0 > optimum }) { values += [next, (optimum + next) / 2] }
            for value in values {
                guard let windows = calculator.windows(bottleneck: value) else {
                    XCTAssertGreaterThan(optimum, value, "\(label): no windows at \(value)")
                    verdicts.windowless += 1
                    continue
                }
                for stepLimit in [1_000_000, 3 + Int(seed % 7)] {
                    switch search.probe(bottleneck: value, windows: windows, stepLimit: stepLimit, stopFlag: nil, deadline: nil) {
                    case let .feasible(partition):
                        verdicts.feasible += 1
                        XCTAssertEqual(graph.violations(of: partition), [], "\(label) at \(value)")
                        XCTAssertLessThanOrEqual(graph.bottleneck(of: partition), value * (1 + 1e-9), "\(label) at \(value)")
                    case .infeasible:
                        verdicts.infeasible += 1
                        XCTAssertGreaterThan(optimum, value, "\(label): infeasible at \(value)")
                    case .unknown:
                        verdicts.unknown += 1
                        XCTAssertLessThan(stepLimit, 1_000_000, "\(label): an ample budget must settle the probe at \(value)")
                    }
                }
            }
        }
        print("search probe: \(verdicts.feasible) feasible, \(verdicts.infeasible) infeasible, \(verdicts.unknown) unknown "
              + "(tiny budgets), \(verdicts.windowless) values without windows")
        XCTAssertGreaterThan(verdicts.feasible, 1_000)
        XCTAssertGreaterThan(verdicts.infeasible, 1_000)
    }

    /// The value search with search probes only (no DP, MIPs only for what the search leaves open, on
    /// both backends): LB ≤ OPT, every feasible probe's partition costs at most its value, and the
    /// search closes the gap.
    func testValueSearchWithSearchProbesIsSoundAndTight() throws {
        let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }
        XCTAssertEqual(solvers.count, 2, "both backends must be available")
        var tight = 0, checked = 0
        for seed in UInt64(7_000)..<UInt64(8_000) {
            let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % 6), seed: seed, options: TestSupport.options(seed: seed))
            let stageCount = 2 + Int((seed / 6) % 3)
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
            let solver = solvers[Int(seed % 2)]
            var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver, targetRatio: 1)
            request.usesIdealDP = false
            // A small budget on some instances, so the MIP fallback runs too.
            request.searchStepLimit = seed % 3 == 0 ? 4 : 1_000_000
            let result = try LowerBounds.compute(.valueSearch, request)
            let label = "seed \(seed) \(solver.name) [\(result.detail)]"
            XCTAssertLessThanOrEqual(result.value, optimum, label)
            for probe in result.probes where probe.verdict == .feasible {
                XCTAssertLessThanOrEqual(try XCTUnwrap(probe.partitionCost), probe.value * (1 + 1e-6), label)
            }
            if let partition = result.partition {
                XCTAssertEqual(graph.violations(of: partition), [], label)
                XCTAssertGreaterThanOrEqual(graph.bottleneck(of: partition), optimum, label)
            }
            checked += 1
            if result.value >= optimum * (1 - 2e-4) { tight += 1 }
        }
        XCTAssertGreaterThanOrEqual(Double(tight), 0.95 * Double(checked), "tight on \(tight)/\(checked)")
    }

    /// Groups {a, b} and {c, d} with a → d and c → b are each convex, yet every valid partition puts all
    /// four in one stage. Contracting only the groups would leave a cycle (the path bound then passed
    /// the optimum on a generated wide graph); units merge them, and bounds and probes stay sound.
    func testGroupsThatFeedEachOtherShareAStage() throws {
        for seed in UInt64(0)..<UInt64(40) {
            var random = SeededGenerator(seed: seed)
            var nodes = (0..<7).map { Node(name: "n\($0)", work: 1 + (9 * random.nextUnit()).rounded(), comm: (5 * random.nextUnit()).rounded()) }
            nodes[1].group = "ab"; nodes[2].group = "ab"
            nodes[3].group = "cd"; nodes[4].group = "cd"
            let edges = [(0, 1), (0, 3), (1, 4), (3, 2), (2, 5), (4, 5), (5, 6), (0, 6)]
            let graph = try ComputationGraph(name: "crossed-\(seed)", nodes: nodes, edges: edges)
            for stageCount in 2...4 {
                let optimum = try XCTUnwrap(ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck)
                let combinatorial = try LowerBounds.compute(.combinatorial, BoundRequest(graph: graph, stageCount: stageCount, solver: NoSolver()))
                XCTAssertLessThanOrEqual(combinatorial.value, optimum, "seed \(seed) k=\(stageCount): \(combinatorial.detail)")
                let windows = try XCTUnwrap(StageWindowCalculator(graph: graph, stageCount: stageCount).windows(bottleneck: optimum))
                var search = WindowedIdealSearch(graph: graph, stageCount: stageCount)
                guard case let .feasible(partition) = search.probe(bottleneck: optimum, windows: windows, stepLimit: 100_000,
                                                                   stopFlag: nil, deadline: nil) else {
                    return XCTFail("seed \(seed) k=\(stageCount): the optimum \(optimum) must be feasible")
                }
                XCTAssertEqual(graph.violations(of: partition), [])
                XCTAssertLessThanOrEqual(graph.bottleneck(of: partition), optimum * (1 + 1e-9))
            }
        }
    }

    /// The bottleneck of every valid partition, ascending and distinct.
    private static func partitionCosts(_ graph: ComputationGraph, stageCount: Int) -> [Double] {
        var costs = Set<Double>()
        ExhaustiveSearch.forEachPartition(of: graph, stageCount: stageCount) { costs.insert(graph.bottleneck(of: $0)) }
        return costs.sorted()
    }
}
