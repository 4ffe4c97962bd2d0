import MIP
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Brute-force soundness: on random small DAGs (n ≤ 9, k ∈ {2, 3, 4}, comm, some memory caps and
/// colocation groups) every method on both backends gives LB ≤ OPT, every feasible probe and every
/// returned partition is valid and costs what it claims, and the best bound never passes the best
/// partition. Each test method covers its own seed range so `swift test --parallel` can spread them.
final class SoundnessTests: XCTestCase {
    private static let counter = InstanceCounter()
    private static let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }
    private static let mipMethods: [LowerBoundMethod] = [.exact, .singleBlock, .guessBlock, .valueSearch]

    func testSeedsBlockA() throws { try check(seeds: 0..<260) }
    func testSeedsBlockB() throws { try check(seeds: 260..<520) }
    func testSeedsBlockC() throws { try check(seeds: 520..<780) }
    func testSeedsBlockD() throws { try check(seeds: 780..<1040) }

    private func check(seeds: Range<UInt64>) throws {
        XCTAssertEqual(Self.solvers.count, 2, "both backends must be available")
        var tally = Tally()
        for seed in seeds {
            let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % 6), seed: seed, options: TestSupport.options(seed: seed))
            let stageCount = 2 + Int((seed / 6) % 3)
            try checkInstance(graph: graph, stageCount: stageCount, seed: seed, tally: &tally)
        }
        let total = Self.counter.add(tally.instances)
        print("soundness: \(tally.instances) instances in this block (\(total) so far), \(tally.boundsChecked) bounds, "
              + "\(tally.feasibleProbes) feasible probes, value search tight on \(tally.tight)/\(tally.tightChecks) solves, "
              + "L3 ≥ L2 on \(tally.orderedPairs) proved pairs")
        // Tightness sanity: with no limits the value search should close the gap on most instances.
        XCTAssertGreaterThanOrEqual(Double(tally.tight), 0.9 * Double(tally.tightChecks))
    }

    private struct Tally {
        var instances = 0
        var boundsChecked = 0
        var feasibleProbes = 0
        var tight = 0
        var tightChecks = 0
        var orderedPairs = 0
    }

    private func checkInstance(graph: ComputationGraph, stageCount: Int, seed: UInt64, tally: inout Tally) throws {
        let exhaustive = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)
        let optimum = exhaustive?.bottleneck
        let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount)"
        // Half the instances start from a poor incumbent, half from none (the methods find their own).
        let incumbent = seed % 2 == 0 ? exhaustive.map { worsen($0.partition, graph: graph) } : nil
        var best = optimum ?? .infinity
        var strongest = 0.0
        let combinatorial = try LowerBounds.compute(.combinatorial, BoundRequest(graph: graph, stageCount: stageCount, solver: NoSolver()))
        strongest = combinatorial.value
        if let optimum { XCTAssertLessThanOrEqual(combinatorial.value, optimum, "\(label) combinatorial: \(combinatorial.detail)") }
        for solver in Self.solvers {
            var proved: [LowerBoundMethod: Double] = [:]
            for method in Self.mipMethods {
                var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver, incumbent: incumbent, targetRatio: 1)
                // The MIP probes are what is under test here; the DP shortcut is checked below, the
                // search probe in WindowedIdealSearchTests.
                request.usesIdealDP = false
                request.searchStepLimit = 0
                let result = try LowerBounds.compute(method, request)
                let where_ = "\(label) \(solver.name) \(method.rawValue) [\(result.detail)]"
                XCTAssertNotEqual(result.status, .failed, where_)
                tally.boundsChecked += 1
                if let optimum {
                    XCTAssertLessThanOrEqual(result.value, optimum, where_)
                }
                if let partition = result.partition {
                    XCTAssertEqual(graph.violations(of: partition), [], where_)
                    best = Swift.min(best, graph.bottleneck(of: partition))
                }
                for probe in result.probes where probe.verdict == .feasible {
                    tally.feasibleProbes += 1
                    let cost = try XCTUnwrap(probe.partitionCost, where_)
                    XCTAssertLessThanOrEqual(cost, probe.value * (1 + 1e-6), "\(where_): probe at \(probe.value)")
                }
                strongest = Swift.max(strongest, result.value)
                if result.status == .proved { proved[method] = result.value }
                if method == .valueSearch, let optimum {
                    tally.tightChecks += 1
                    if result.value >= optimum * (1 - 2e-4) { tally.tight += 1 }
                }
            }
            if optimum != nil, let single = proved[.singleBlock], let guess = proved[.guessBlock] {
                tally.orderedPairs += 1
                XCTAssertGreaterThanOrEqual(guess, single * (1 - 1e-5), "\(label) \(solver.name): L3 < L2")
            }
        }
        let exact = try LowerBounds.compute(.valueSearch, BoundRequest(graph: graph, stageCount: stageCount, solver: Self.solvers[0],
                                                                      incumbent: incumbent, targetRatio: 1))
        if let optimum {
            XCTAssertLessThanOrEqual(exact.value, optimum, "\(label) value-search by the ideal DP [\(exact.detail)]")
            XCTAssertGreaterThanOrEqual(exact.value, optimum * (1 - 1e-8), "\(label) the ideal DP should be exact")
        }
        strongest = Swift.max(strongest, exact.value)
        XCTAssertLessThanOrEqual(strongest, best, "\(label): the best bound passes the best partition")
        tally.instances += 1
    }

    /// A valid partition no better than `partition` and usually worse: everything in stage 0 when
    /// the memory cap allows it, else `partition` itself.
    private func worsen(_ partition: Partition, graph: ComputationGraph) -> Partition {
        var candidate = Partition(stageCount: partition.stageCount, stageOf: [Int](repeating: 0, count: graph.nodeCount))
        if !graph.isValid(candidate) { candidate = partition }
        return candidate
    }
}

/// Counts instances across test methods (they may run on several threads).
final class InstanceCounter: @unchecked Sendable {
    private var total = 0
    private let lock = NSLock()

    func add(_ count: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        total += count
        return total
    }
}
