import Dispatch
import MIP
import XCTest
import PipeBounds
import PipeGraph
import PipePartition
import PipeTestSupport

/// The ideal DP as a bound (``IdealDPBound``): brute-force soundness and tightness on small random
/// DAGs (no MIP, so no backend is involved), and the time limit and stop hook its limit policy owns.
final class IdealDPBoundTests: XCTestCase {
    /// On 120 random DAGs (n ≤ 8, k ∈ {2, 3, 4}, comm, memory caps, groups), through one pass and through
    /// a two-count pass: a valid partition at OPT, and a lower bound ≤ OPT within the rounding margin of it.
    func testBoundIsOptimumRoundedDownOnRandomSmallDAGs() throws {
        let dp = IdealDPBound(limits: IdealDPBound.quickLimits)
        for seed: UInt64 in 0..<120 {
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
