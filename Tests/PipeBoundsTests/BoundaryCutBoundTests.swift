import MIP
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness of the boundary-cut bound (docs/formulations.md, "Boundary cuts") on 1,200
/// random small DAGs with comm (a third of them comm-heavy), memory caps and colocation groups: for
/// every partition P, the required total at T = bottleneck(P) is at most the sum of P's stage costs
/// (the inequality the bound rests on), and the bound is at most OPT. The value search that starts
/// from it stays below OPT on both backends. Both with and without the producers charged outright (those no
/// stage of cost ≤ T holds with all their consumers).
final class BoundaryCutBoundTests: XCTestCase {
    /// Comm-heavy on a third of the seeds (comm up to 4× the largest work), as on the wide test bed.
    static func options(seed: UInt64) -> RandomGraphs.Options {
        var options = TestSupport.options(seed: seed)
        if seed % 3 == 1 { options.commRange = 0...40 }
        return options
    }

    func testRequiredTotalNeverExceedsAnyPartitionsStageCostSum() {
        var raised = 0, checked = 0, raisedByForced = 0
        for seed in UInt64(11_000)..<UInt64(12_200) {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 5), seed: seed, options: Self.options(seed: seed))
            let stageCount = 2 + Int((seed / 5) % 3)
            let calculator = StageWindowCalculator(graph: graph, stageCount: stageCount)
            let cuts = BoundaryCutBound(graph: graph, calculator: calculator)
            let forcedCuts = BoundaryCutBound(graph: graph, calculator: calculator,
                                              holdingConsumersCosts: ContainingStageBound(graph: graph).leastCostsHoldingConsumers())
            var optimum = Double.infinity
            // The required total depends on T only: computed once per value.
            var requiredCache: [String: Double?] = [:]
            var forcedCache: [String: Double?] = [:]
            ExhaustiveSearch.forEachPartition(of: graph, stageCount: stageCount) { partition in
                let loads = graph.stageLoads(of: partition)
                let bottleneck = loads.map(\.cost).max() ?? 0
                optimum = Swift.min(optimum, bottleneck)
                let total = loads.reduce(0) { $0 + $1.cost }
                // Every partition of cost ≤ T lies in the windows at T, so the check must hold for it.
                let label = "seed \(seed) k=\(stageCount): partition \(partition.stageOf) costs \(loads.map(\.cost))"
                let key = "\(bottleneck)"
                let required = requiredCache[key] ?? cuts.requiredTotal(bottleneck: bottleneck)
                requiredCache[key] = required
                XCTAssertNotNil(required, "\(label): no windows")
                XCTAssertLessThanOrEqual(required ?? 0, total * (1 + 1e-9) + 1e-9, label)
                let forcedRequired = forcedCache[key] ?? forcedCuts.requiredTotal(bottleneck: bottleneck)
                forcedCache[key] = forcedRequired
                XCTAssertLessThanOrEqual(forcedRequired ?? 0, total * (1 + 1e-9) + 1e-9, label + " (forced producers)")
            }
            guard optimum.isFinite else { continue }
            checked += 1
            let combinatorial = CombinatorialBound(graph: graph, stageCount: stageCount, windows: calculator).value
            let bound = cuts.bound(from: combinatorial)
            XCTAssertLessThanOrEqual(bound, optimum, "seed \(seed) k=\(stageCount): L0 \(combinatorial)")
            XCTAssertFalse(cuts.provesInfeasible(bottleneck: optimum), "seed \(seed) k=\(stageCount): OPT \(optimum) refuted")
            if bound > combinatorial * (1 + 1e-3) { raised += 1 }
            let forcedBound = forcedCuts.bound(from: combinatorial)
            XCTAssertLessThanOrEqual(forcedBound, optimum, "seed \(seed) k=\(stageCount): forced producers, L0 \(combinatorial)")
            XCTAssertFalse(forcedCuts.provesInfeasible(bottleneck: optimum), "seed \(seed) k=\(stageCount): OPT \(optimum) refuted (forced producers)")
            if forcedBound > bound * (1 + 1e-3) { raisedByForced += 1 }
        }
        print("boundary cuts: above L0 on \(raised) of \(checked) instances; forced producers raise them on \(raisedByForced)")
        // Charging forced producers outright must matter somewhere, or its checks above check nothing.
        XCTAssertGreaterThan(raisedByForced, 20)
        XCTAssertGreaterThan(checked, 1_000)
        // The bound must do something on these graphs, or the test above checks nothing.
        XCTAssertGreaterThan(raised, 50)
    }

    /// The value search, starting from the boundary-cut bound, on both backends (no DP, small search budgets
    /// on some seeds so the MIP probes run too): LB ≤ OPT and any partition it returns is valid.
    func testValueSearchFromBoundaryCutsIsSound() throws {
        _ = try Self.valueSearchAgainstBruteForce(seeds: 12_500..<13_500, sizes: 4) { request, seed in
            request.searchStepLimit = seed % 3 == 0 ? 4 : 100_000
        }
    }

    /// The value search (no DP) on small random DAGs of 4 to 3 + `sizes` nodes, the two backends taking
    /// turns, against the exhaustive optimum: LB ≤ OPT and any partition it returns is valid. `configure`
    /// adjusts each request; returns the results' details.
    static func valueSearchAgainstBruteForce(seeds: Range<UInt64>, sizes: UInt64,
                                             configure: (inout BoundRequest, UInt64) -> Void) throws -> [String] {
        let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }
        XCTAssertEqual(solvers.count, 2, "both backends must be available")
        var details: [String] = []
        for seed in seeds {
            let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % sizes), seed: seed, options: options(seed: seed))
            let stageCount = 2 + Int((seed / sizes) % 3)
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
            let solver = solvers[Int(seed % 2)]
            var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver, targetRatio: 1)
            request.usesIdealDP = false
            configure(&request, seed)
            let result = try LowerBounds.compute(.valueSearch, request)
            XCTAssertLessThanOrEqual(result.value, optimum, "seed \(seed) \(solver.name) [\(result.detail)]")
            if let partition = result.partition {
                XCTAssertEqual(graph.violations(of: partition), [], "seed \(seed)")
            }
            details.append(result.detail)
        }
        return details
    }

    /// Max flow against brute force over every cut of small random networks.
    func testMaximumFlowEqualsTheMinimumCut() {
        for seed in UInt64(0)..<UInt64(200) {
            var random = SeededGenerator(seed: seed)
            let inner = 2 + Int(seed % 5)
            var network = MaxFlow()
            for _ in 0..<inner { _ = network.addNode() }
            let count = inner + 2
            var arcs: [(Int, Int, Int64)] = []
            for from in 0..<count {
                for to in 0..<count where from != to && random.nextUnit() < 0.4 {
                    let capacity = random.nextUnit() < 0.1 ? MaxFlow.infinite : Int64(random.nextUnit() * 20)
                    arcs.append((from, to, capacity))
                    network.addArc(from: from, to: to, capacity: capacity)
                }
            }
            var best = Int64.max
            for mask in 0..<(1 << inner) {
                // Source side: the source and the inner nodes in `mask`.
                func inside(_ node: Int) -> Bool { node == MaxFlow.source || (node >= 2 && mask & (1 << (node - 2)) != 0) }
                var cut: Int64 = 0
                for (from, to, capacity) in arcs where inside(from) && !inside(to) { cut = Swift.min(MaxFlow.infinite, cut + capacity) }
                best = Swift.min(best, cut)
            }
            // An infinite minimum cut has no finite flow to compare with.
            guard best < MaxFlow.infinite else { continue }
            XCTAssertEqual(network.maximumFlow(), best, "seed \(seed)")
        }
    }
}
