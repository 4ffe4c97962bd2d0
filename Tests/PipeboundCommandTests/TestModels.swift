import Foundation
import PipeGraph
import PipeTestSupport

/// Model files for the end-to-end tests, written into a temporary directory.
enum TestModels {
    /// A seeded random DAG written as native JSON; returns its path.
    static func randomDAG(nodeCount: Int, seed: UInt64, in directory: URL, memoryCap: Double? = nil) throws -> String {
        var options = RandomGraphs.Options()
        options.edgeProbability = min(0.3, 4.0 / Double(nodeCount))
        options.memoryRange = 1...100
        var graph = RandomGraphs.smallDAG(nodeCount: nodeCount, seed: seed, options: options)
        graph.stageMemory = memoryCap
        let url = directory.appendingPathComponent("random-\(nodeCount)-\(seed).json")
        try GraphFile.encode(graph).write(to: url)
        return url.path
    }

    /// Reads a model file back (for re-checking what the binary printed).
    static func load(_ path: String) throws -> ComputationGraph {
        try GraphFile.decode(Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
