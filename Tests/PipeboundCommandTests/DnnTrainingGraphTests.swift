import Foundation
import XCTest
import PipeGraph
import PipeImport
import PipePartition

/// The two shared training graphs of dnn-partitioning (Fixtures/dnn-partitioning) under the training
/// semantics (docs/importers.md, "Training graphs"): the ideal DP over the unit quotient reproduces the
/// reference optima of optima.csv, and the slicing heuristics return valid partitions no better than them.
final class DnnTrainingGraphTests: XCTestCase {
    /// (k, optimum) rows of optima.csv for `graph`.
    private func optima(of graph: String) throws -> [(stageCount: Int, optimum: Double)] {
        let text = try String(contentsOfFile: PipeboundBinary.fixture("dnn-partitioning/optima.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",")
            return fields[0] == graph ? (Int(fields[1])!, Double(fields[2])!) : nil
        }
    }

    /// Every k for bert24_training (a few hundredths of a second each); bert_l-3_training at k = 2 only
    /// (its larger k take about 30 s in a debug build; `pipebound partition --method ideal-dp` checks them).
    func testTrainingOptimaAreReproduced() throws {
        var checked = 0
        for (name, stageCounts) in [("LayerGraphs/bert24_training", [2, 4, 8, 16, 32, 64]), ("OperatorGraphs/bert_l-3_training", [2])] {
            let graph = try ModelLoader.load(path: PipeboundBinary.fixture("dnn-partitioning/\(name).json"))
            XCTAssertTrue(graph.isTraining, name)
            for row in try optima(of: name) where stageCounts.contains(row.stageCount) {
                let label = "\(name) k=\(row.stageCount)"
                let exact = try XCTUnwrap(IdealDP.optimum(of: graph, stageCount: row.stageCount), label)
                XCTAssertEqual(exact.bottleneck, row.optimum, accuracy: 1e-9 * row.optimum, label)
                XCTAssertEqual(graph.violations(of: exact.partition), [], label)
                XCTAssertEqual(graph.bottleneck(of: exact.partition), row.optimum, accuracy: 1e-9 * row.optimum, label)
                let slice = try Partitioner.partition(graph, stageCount: row.stageCount, method: .slice)
                XCTAssertEqual(graph.violations(of: slice.partition), [], label)
                XCTAssertGreaterThanOrEqual(slice.bottleneck, row.optimum * (1 - 1e-12), label)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 7)
    }

    /// gnmt_training: its zero-work classes whose edges all lead to one unit join it, leaving the 78
    /// units of gnmt_inference's quotient (96 classes, over 3,000,000 ideals otherwise); the DP, bounded
    /// by slice, reproduces the optimum at k = 2 (the larger k take seconds in a release build,
    /// `pipebound-bench dnn` measures them), and slicing is valid and never below the optimum.
    func testGnmtTrainingSlicesValidly() throws {
        let name = "LayerGraphs/gnmt_training"
        let graph = try ModelLoader.load(path: PipeboundBinary.fixture("dnn-partitioning/\(name).json"))
        XCTAssertTrue(graph.isTraining)
        XCTAssertEqual(UnitGraph(graph, mergingFreeNodes: true).unitCount, 78)
        for row in try optima(of: name) where [2, 8].contains(row.stageCount) {
            let slice = try Partitioner.partition(graph, stageCount: row.stageCount, method: .slice)
            XCTAssertEqual(graph.violations(of: slice.partition), [], "\(name) k=\(row.stageCount)")
            XCTAssertGreaterThanOrEqual(slice.bottleneck, row.optimum * (1 - 1e-12), "\(name) k=\(row.stageCount)")
            guard row.stageCount == 2 else { continue }
            let exact = try XCTUnwrap(IdealDP.optimum(of: graph, stageCount: 2, upperBound: slice.bottleneck))
            XCTAssertEqual(exact.bottleneck, row.optimum, accuracy: 1e-9 * row.optimum, "\(name) k=2")
            XCTAssertEqual(graph.violations(of: exact.partition), [], "\(name) k=2")
        }
    }
}
