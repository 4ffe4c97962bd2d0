import Dispatch
import MIP
import MIPSolvers
import XCTest
import PipeBounds
import PipeGraph
import PipePartition
import PipeTestSupport

/// The ideal DP as a bound (``IdealDPBound``): brute-force soundness and tightness on small random
/// DAGs (no MIP, so no backend is involved), and the time limit and stop hook its limit policy owns.
final class IdealDPBoundTests: XCTestCase {
    /// On 1,000 random DAGs (n ≤ 8, k ∈ {2, 3, 4}, comm, memory caps, groups), through one pass and through
    /// a two-count pass: a valid partition at OPT, and a lower bound ≤ OPT within the rounding margin of it.
    func testBoundIsOptimumRoundedDownOnRandomSmallDAGs() throws {
        let dp = IdealDPBound()
        for seed: UInt64 in 0..<1_000 {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 6), seed: seed, options: TestSupport.options(seed: seed))
            let stageCount = 2 + Int((seed / 6) % 3)
            let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount)"
            let exhaustive = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)
            let single = try dp.optimum(of: graph, stageCount: stageCount)
            let pass = try dp.optima(of: graph, stageCounts: [stageCount - 1, stageCount])
            for answer in [single, pass[stageCount] ?? nil] {
                guard let optimum = exhaustive?.bottleneck else {
                    XCTAssertNil(answer, "\(label): the DP found a partition where none is valid")
                    continue
                }
                let found = try XCTUnwrap(answer, "\(label): the DP found no partition")
                XCTAssertEqual(graph.violations(of: found.partition), [], label)
                XCTAssertEqual(graph.bottleneck(of: found.partition), optimum, accuracy: 1e-9 * max(1, optimum), label)
                XCTAssertLessThanOrEqual(found.lowerBound, optimum, label)
                XCTAssertGreaterThanOrEqual(found.lowerBound, optimum * (1 - 1e-8), label)
            }
            if stageCount > 2, let fewer = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount - 1) {
                let found = try XCTUnwrap(pass[stageCount - 1] ?? nil, "\(label): the pass lost k − 1")
                XCTAssertLessThanOrEqual(found.lowerBound, fewer.bottleneck, label)
                XCTAssertEqual(found.bottleneck, fewer.bottleneck, accuracy: 1e-9 * max(1, fewer.bottleneck), label)
            }
        }
    }

    /// `bound --method ideal-dp` (``LowerBounds/compute(_:_:)``) against brute force on 1,000 random DAGs and
    /// 200 random training graphs, each through both backends' requests (the DP calls no solver; the
    /// request carries one): never above OPT, OPT rounded down when `proved`, and any partition valid.
    func testBoundMethodIsSoundAndTightThroughBothBackends() throws {
        let solvers = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }
        XCTAssertEqual(solvers.count, 2)
        let graphs: [ComputationGraph] = (0..<1_000 as Range<UInt64>).map {
            RandomGraphs.smallDAG(nodeCount: 3 + Int($0 % 6), seed: 2_000 + $0, options: TestSupport.options(seed: 2_000 + $0))
        } + (0..<200 as Range<UInt64>).map { RandomGraphs.smallTrainingDAG(forwardCount: 3 + Int($0 % 3), seed: 3_000 + $0) }
        for (index, graph) in graphs.enumerated() {
            let stageCount = 2 + index % 3
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
            let solver = solvers[index % solvers.count]
            let label = "graph \(index) n=\(graph.nodeCount) k=\(stageCount) \(solver.name)"
            let result = try LowerBounds.compute(.idealDP, BoundRequest(graph: graph, stageCount: stageCount, solver: solver))
            XCTAssertLessThanOrEqual(result.value, optimum, label)
            XCTAssertEqual(result.status, .proved, label)
            XCTAssertGreaterThanOrEqual(result.value, optimum * (1 - 1e-8), label)
            if let partition = result.partition {
                XCTAssertEqual(graph.violations(of: partition), [], label)
                XCTAssertGreaterThanOrEqual(graph.bottleneck(of: partition), result.value, label)
            }
        }
    }

    /// On a graph with millions of ideals and no count limit, the time limit ends the pass (it throws
    /// `stopped`) soon after it runs out; so does the stop hook alone.
    func testTimeLimitAndStopHookEndThePass() throws {
        var options = RandomGraphs.Options()
        options.edgeProbability = 0.01
        let graph = RandomGraphs.smallDAG(nodeCount: 300, seed: 3, options: options)
        var limits = IdealDP.Limits()
        limits.idealCount = .max
        limits.transitionCount = .max
        limits.storedWords = .max
        let seconds = { (start: DispatchTime) in Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        let start = DispatchTime.now()
        XCTAssertThrowsError(try IdealDPBound(limits: limits, timeLimit: 0.2).optimum(of: graph, stageCount: 8)) { error in
            XCTAssertEqual("\(error)", PartitionError.stopped.message)
        }
        XCTAssertLessThan(seconds(start), 10, "the DP kept running past its time limit")
        let flag = StopFlag()
        flag.stop()
        XCTAssertThrowsError(try IdealDPBound(limits: limits, shouldStop: { flag.isStopped })
            .optima(of: graph, stageCounts: [4, 8])) { error in
            XCTAssertEqual("\(error)", PartitionError.stopped.message)
        }
    }
}
