import Foundation
import PipeCertify
import PipeGraph
import XCTest

/// `pipebound evaluate` end to end.
final class EvaluateCommandTests: XCTestCase {
    private var directory: URL!
    private let model = PipeboundBinary.fixture("models/alexnet.json")

    override func setUpWithError() throws {
        directory = try PipeboundBinary.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ object: Any, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return url.path
    }

    /// A plain {"node": stage} map: the printed loads are the cost model's.
    func testPlainMapIsRecosted() throws {
        let graph = try TestModels.load(model)
        // Cut the topological order in the middle: a valid 2-stage partition.
        var map: [String: Int] = [:]
        for (position, node) in graph.topologicalOrder.enumerated() { map[graph.nodes[node].name] = position < graph.nodeCount / 2 ? 0 : 1 }
        let path = try write(map, name: "half.json")
        let run = try PipeboundBinary.run(["evaluate", model, "--partition", path, "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let printed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let partition = Partition(stageCount: 2, stageOf: graph.nodes.map { map[$0.name]! })
        XCTAssertEqual(try XCTUnwrap(printed["bottleneck"] as? Double), graph.bottleneck(of: partition), accuracy: 1e-9)
        XCTAssertEqual(printed["stage_count"] as? Int, 2)
        let table = try PipeboundBinary.run(["evaluate", model, "--partition", path])
        XCTAssertEqual(table.status, 0)
        XCTAssertTrue(table.stdout.contains("bottleneck"))
    }

    /// A certificate printed by certify evaluates to its own upper bound.
    func testCertificateRoundTrip() throws {
        let certificatePath = directory.appendingPathComponent("cert.json").path
        let certify = try PipeboundBinary.run(["certify", model, "--stages", "4", "--node-limit", "100", "--format", "json",
                                               "--quiet", "-o", certificatePath])
        XCTAssertEqual(certify.status, 0, certify.stderr)
        let certificate = try XCTUnwrap(CertificateFile.read(path: certificatePath).first)
        let run = try PipeboundBinary.run(["evaluate", model, "--partition", certificatePath, "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let printed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(printed["bottleneck"] as? Double), certificate.upperBound.value, accuracy: 1e-9)
    }

    /// Invalid partitions: exit 1 and the reason on stderr; unreadable files: exit 2.
    func testInvalidPartitionsAreRejectedWithTheReason() throws {
        let graph = try TestModels.load(model)
        let order = graph.topologicalOrder
        let first = graph.nodes[order[0]].name
        var backwards: [String: Int] = [:]
        for node in graph.nodes { backwards[node.name] = 0 }
        backwards[first] = 1  // the first node after its consumers: a backward edge
        var missing = backwards
        missing[first] = nil
        var unknown = backwards
        unknown[first] = 0
        unknown["no-such-node"] = 0
        var negative = backwards
        negative[first] = -1
        let cases: [(String, [String: Int], String)] = [
            ("backwards.json", backwards, "goes backwards"),
            ("missing.json", missing, "has no stage"),
            ("unknown.json", unknown, "'no-such-node' is not in graph"),
            ("negative.json", negative, "outside 0..<"),
        ]
        for (name, map, reason) in cases {
            let run = try PipeboundBinary.run(["evaluate", model, "--partition", try write(map, name: name)])
            XCTAssertEqual(run.status, 1, "\(name): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("invalid partition") && run.stderr.contains(reason), "\(name): \(run.stderr)")
            XCTAssertEqual(run.stdout, "")
        }
        let notJSON = directory.appendingPathComponent("bad.json")
        try Data("{\"a\": ".utf8).write(to: notJSON)
        let fraction = try write(["x": 0.5], name: "fraction.json")
        for path in [notJSON.path, fraction, directory.appendingPathComponent("absent.json").path] {
            let run = try PipeboundBinary.run(["evaluate", model, "--partition", path])
            XCTAssertEqual(run.status, 2, "\(path): \(run.stderr)")
            XCTAssertEqual(run.stderrLines.count, 1, run.stderr)
        }
    }
}
