import Foundation
import XCTest
import PipeGraph
import PipeImport
import PipePartition

/// The profiled graphs of dnn-partitioning (Fixtures/dnn-partitioning, MIT licence) read from a clean
/// clone, and the ideal DP over the unit quotient reproduces the reference optima of optima.csv.
final class DnnPartitioningGraphTests: XCTestCase {
    /// (graph, k, optimum) rows of optima.csv.
    private func optima() throws -> [(graph: String, stageCount: Int, optimum: Double)] {
        let text = try String(contentsOfFile: PipeboundBinary.fixture("dnn-partitioning/optima.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",")
            return (String(fields[0]), Int(fields[1])!, Double(fields[2])!)
        }
    }

    /// Every shared graph loads; on the inference graphs whose reference DP takes under a second, the
    /// DP over quotient ideals returns the reference optimum at k = 2, 8 and 32 (debug builds are slow,
    /// so the others and every k are left to `pipebound-bench dnn`).
    func testInferenceOptimaAreReproduced() throws {
        let rows = try optima()
        XCTAssertEqual(rows.count, 48)
        var checked = 0
        for name in Set(rows.map(\.graph)).sorted() {
            let graph = try ModelLoader.load(path: PipeboundBinary.fixture("dnn-partitioning/\(name).json"))
            XCTAssertGreaterThan(graph.nodeCount, 10, name)
            guard !name.hasSuffix("_training"), !name.contains("gnmt") else { continue }
            for row in rows where row.graph == name && [2, 8, 32].contains(row.stageCount) {
                let slice = try Partitioner.partition(graph, stageCount: row.stageCount, method: .slice)
                let exact = try XCTUnwrap(IdealDP.optimum(of: graph, stageCount: row.stageCount, upperBound: slice.bottleneck))
                XCTAssertEqual(exact.bottleneck, row.optimum, accuracy: 1e-9 * row.optimum, "\(name) k=\(row.stageCount)")
                XCTAssertEqual(graph.violations(of: exact.partition), [], name)
                XCTAssertGreaterThanOrEqual(slice.bottleneck, row.optimum * (1 - 1e-12), name)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 12)
    }
}
