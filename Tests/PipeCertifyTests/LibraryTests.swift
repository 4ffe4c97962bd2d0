import Foundation
@testable import PipeCertify
import PipeGraph
import XCTest

/// The certificate format, comparison and summary logic, without the binary.
final class LibraryTests: XCTestCase {
    private func certificate(upper: Double, lower: Double, stages: Int = 2, bounds: [BoundRecord]) throws -> Certificate {
        let graph = try ComputationGraph(name: "pair", nodes: [Node(name: "a", work: upper), Node(name: "b", work: 1)],
                                         namedEdges: [("a", "b")])
        return Certificate(graph: graph, partition: Partition(stageCount: stages, stageOf: [0, 1]), upperMethod: "slice",
                           solver: "cbc", bounds: bounds + [BoundRecord(method: "best", kind: .lower, value: lower, status: .proved, seconds: 0)],
                           seconds: 1)
    }

    func testCertificateJSONUsesTheDesignKeys() throws {
        let value = try certificate(upper: 4, lower: 3, bounds: [])
        let json = try CertificateRendering.json([value])
        for key in ["\"format\" : \"pipebound.certificate\"", "\"upper_bound\"", "\"lower_bound\"", "\"comm_in\"", "\"comm_out\"",
                    "\"ratio\" : 0.75", "\"latency\" : 8", "\"throughput\" : 0.25"] {
            XCTAssertTrue(json.contains(key), "missing \(key) in \(json)")
        }
        let decoded = try CertificateFile.decode(Data(json.utf8), file: "x")
        XCTAssertEqual(decoded, [value])
    }

    func testLowerAboveUpperIsAProblem() throws {
        let graph = try ComputationGraph(name: "pair", nodes: [Node(name: "a", work: 4), Node(name: "b", work: 1)],
                                         namedEdges: [("a", "b")])
        let partition = Partition(stageCount: 2, stageOf: [0, 1])
        let sound = Certificate(graph: graph, partition: partition, upperMethod: "slice", solver: "cbc",
                                bounds: [BoundRecord(method: "x", kind: .lower, value: 4, status: .proved, seconds: 0)], seconds: 0)
        XCTAssertEqual(sound.problems(graph: graph, partition: partition), [])
        let unsound = Certificate(graph: graph, partition: partition, upperMethod: "slice", solver: "cbc",
                                  bounds: [BoundRecord(method: "x", kind: .lower, value: 4.0001, status: .proved, seconds: 0)], seconds: 0)
        XCTAssertTrue(unsound.problems(graph: graph, partition: partition).first?.contains("exceeds upper bound") == true)
        let backwards = Partition(stageCount: 2, stageOf: [1, 0])
        XCTAssertTrue(sound.problems(graph: graph, partition: backwards).first?.contains("invalid partition") == true)
        // Skipped methods carry 0 and never become the lower bound.
        let skipped = Certificate(graph: graph, partition: partition, upperMethod: "slice", solver: "cbc",
                                  bounds: [BoundRecord(method: "x", kind: .lower, value: 9, status: .skipped, seconds: 0)], seconds: 0)
        XCTAssertEqual(skipped.lowerBound.value, 0)
    }

    func testShardsCoverEveryInstanceOnce() {
        XCTAssertNil(ShardSpecification("2/2"))
        XCTAssertNil(ShardSpecification("-1/2"))
        XCTAssertNil(ShardSpecification("1"))
        let instances = (0..<7).map { SuiteInstance(index: $0, model: "m.json", stageCount: $0 + 1) }
        let shards = (0..<3).map { ShardSpecification("\($0)/3")!.select(instances) }
        XCTAssertEqual(shards.flatMap { $0 }.map(\.index).sorted(), Array(0..<7))
        XCTAssertEqual(shards[1].map(\.index), [1, 4])
    }

    func testComparisonVerdicts() throws {
        let instance = SuiteInstance(index: 0, model: "models/m.json", stageCount: 2)
        let base = try certificate(upper: 10, lower: 8, bounds: [BoundRecord(method: "value-search", kind: .lower, value: 8, status: .proved, seconds: 0)])
        let golden = Golden(instance: instance, certificate: base)
        let same = GoldenComparison(results: [InstanceResult(instance: instance, certificate: base, problems: [])],
                                    goldens: [0: golden], tolerance: 1e-6)
        XCTAssertTrue(same.changes.isEmpty)
        let weaker = try certificate(upper: 10, lower: 7.9, bounds: [BoundRecord(method: "value-search", kind: .lower, value: 7.9, status: .limit, seconds: 0)])
        let comparison = GoldenComparison(results: [InstanceResult(instance: instance, certificate: weaker, problems: [])],
                                          goldens: [0: golden], tolerance: 1e-6)
        XCTAssertTrue(comparison.hasRegressions)
        XCTAssertTrue(comparison.table().contains("bound weaker"))
        let tiny = try certificate(upper: 10, lower: 8 - 1e-9, bounds: [BoundRecord(method: "value-search", kind: .lower, value: 8 - 1e-9, status: .proved, seconds: 0)])
        XCTAssertFalse(GoldenComparison(results: [InstanceResult(instance: instance, certificate: tiny, problems: [])],
                                        goldens: [0: golden], tolerance: 1e-6).hasRegressions, "within tolerance")
        let invalid = GoldenComparison(results: [InstanceResult(instance: instance, certificate: base, problems: ["LB > UB"])],
                                       goldens: [0: golden], tolerance: 1e-6)
        XCTAssertTrue(invalid.hasRegressions)
        let new = GoldenComparison(results: [InstanceResult(instance: instance, certificate: base, problems: [])], goldens: [:], tolerance: 1e-6)
        XCTAssertFalse(new.hasRegressions)
        XCTAssertTrue(new.hasImprovements)
    }

    func testSummaryIsTheGeometricMeanPerStageCount() throws {
        let results = SuiteResults(suite: "t", shard: nil, totalInstances: 2, instances: [
            InstanceResult(instance: SuiteInstance(index: 0, model: "a", stageCount: 2),
                           certificate: try certificate(upper: 10, lower: 9, bounds: []), problems: []),
            InstanceResult(instance: SuiteInstance(index: 1, model: "b", stageCount: 2),
                           certificate: try certificate(upper: 10, lower: 4, bounds: []), problems: []),
        ])
        let summary = SuiteSummary(results)
        XCTAssertEqual(summary.stageCounts, [2])
        XCTAssertEqual(try XCTUnwrap(summary.cells[2]?["best"]).geometricMean, 0.6, accuracy: 1e-12)  // sqrt(0.9 × 0.4)
        XCTAssertEqual(try XCTUnwrap(summary.cells[2]?[SuiteSummary.certifiedColumn]).geometricMean, 0.6, accuracy: 1e-12)
    }

    func testRatiosRoundDownSoAGapIsNeverHidden() {
        XCTAssertEqual(NumberFormatting.ratio(0.99996), "0.9999")
        XCTAssertEqual(NumberFormatting.ratio(1), "1.0000")
        XCTAssertEqual(StageChart.niceTicks(upTo: 108), [0, 20, 40, 60, 80, 100, 120])
    }
}
