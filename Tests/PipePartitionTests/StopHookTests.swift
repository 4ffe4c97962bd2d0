import Dispatch
import XCTest
import PipeGraph
@testable import PipePartition
import PipeTestSupport

/// The stop hook that certify's time limit and signals drive: the long loops of the partitioners end soon after it fires.
final class StopHookTests: XCTestCase {
    /// A 100 × 100 BRKGA on a sparse 300-node graph stopped after 0.2 s returns its population so far, valid,
    /// long before it would finish; the ideal DP on a graph with millions of ideals throws `stopped`.
    func testLongLoopsStopSoonAfterTheHookFires() throws {
        let graph = RandomGraphs.smallDAG(nodeCount: 300, seed: 3, options: { var o = RandomGraphs.Options(); o.edgeProbability = 0.01; return o }())
        let start = DispatchTime.now()
        let seconds = { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        let stop: @Sendable () -> Bool = { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 > 0.2 }
        let result = try Partitioner.partition(graph, stageCount: 8, method: .brkga10000, seed: 1, threadCount: 1, shouldStop: stop)
        XCTAssertEqual(graph.violations(of: result.partition), [])
        XCTAssertLessThan(seconds(), 30, "BRKGA kept running after the stop")

        var limits = IdealDP.Limits()
        limits.idealCount = .max
        limits.transitionCount = .max
        limits.storedWords = .max
        let dpStart = DispatchTime.now()
        let dpStop: @Sendable () -> Bool = { Double(DispatchTime.now().uptimeNanoseconds - dpStart.uptimeNanoseconds) / 1e9 > 0.2 }
        XCTAssertThrowsError(try IdealDP.optimum(of: graph, stageCount: 8, limits: limits, shouldStop: dpStop)) { error in
            XCTAssertEqual("\(error)", PartitionError.stopped.message)
        }
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - dpStart.uptimeNanoseconds) / 1e9, 10)
    }
}
