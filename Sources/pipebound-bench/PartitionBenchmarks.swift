import Foundation
import PipeGraph
import PipeImport
import PipePartition

/// Benchmarks of the Partition group: slicing DP speed on large orders, and per graph and k the
/// bottleneck and time of every method with its ratio to the ideal DP's optimum where that finishes.
enum PartitionBenchmarks {
    static func run(_ arguments: [String]) throws {
        slicingSpeed()
    }

    /// The slicing DP alone on one order of a big layered DAG.
    static func slicingSpeed() {
        print("slicing DP speed (input order, release build):")
        for (nodeCount, stageCount) in [(10_000, 64), (10_000, 16), (100_000, 16), (100_000, 64)] {
            let graph = SyntheticGraphs.layered(nodeCount: nodeCount, width: 8, seed: 1)
            let slicer = OrderSlicer(graph: graph, stageCount: stageCount)
            let (slicing, seconds) = timed { slicer.slice(graph.topologicalOrder) }
            let value = slicing.map { String(format: "%.3f", $0.bottleneck) } ?? "none"
            print(String(format: "  n=%-7d k=%-3d edges=%-7d bottleneck=%@ seconds=%.3f", nodeCount, stageCount, graph.edgeCount, value, seconds))
        }
    }

    static func timed<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
        let started = DispatchTime.now()
        let result = try body()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
    }
}
