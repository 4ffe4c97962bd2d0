import Foundation
import MIPSolvers
import PipeCertify
import PipeGraph
import XCTest

/// `pipebound repair` and `certify --partition` end to end.
final class RepairCommandTests: XCTestCase {
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

    /// A valid 3-stage map of alexnet with the first node pushed to the last stage: invalid.
    private func brokenMap(_ graph: ComputationGraph) -> [String: Int] {
        var map: [String: Int] = [:]
        for (position, node) in graph.topologicalOrder.enumerated() { map[graph.nodes[node].name] = position * 3 / graph.nodeCount }
        map[graph.nodes[graph.topologicalOrder[0]].name] = 2
        return map
    }

    func testRepairWritesACertificateTheOtherCommandsRead() throws {
        let graph = try TestModels.load(model)
        let candidate = try write(brokenMap(graph), name: "candidate.json")
        let repaired = directory.appendingPathComponent("repaired.json").path
        let run = try PipeboundBinary.run(["repair", model, "--partition", candidate, "--stages", "3", "--format", "json", "-o", repaired])
        XCTAssertEqual(run.status, 0, run.stderr)
        let printed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(printed["moved"] as? Int, 1)
        XCTAssertFalse(try XCTUnwrap(printed["violations"] as? [String]).isEmpty)
        XCTAssertNotNil(printed["stage_graph"])
        let evaluate = try PipeboundBinary.run(["evaluate", model, "--partition", repaired])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.contains("as a stage graph"))
        let report = try PipeboundBinary.run(["report", repaired, "-o", directory.appendingPathComponent("r.html").path])
        XCTAssertEqual(report.status, 0, report.stderr)
        let certify = try PipeboundBinary.run(["certify", model, "--stages", "3", "--partition", repaired, "--node-limit", "50",
                                               "--time-limit", "20", "--quiet", "--format", "json"])
        XCTAssertEqual(certify.status, 0, certify.stderr)
        let certificate = try XCTUnwrap(CertificateFile.decode(Data(certify.stdout.utf8), file: "stdout").first)
        let given = try XCTUnwrap(certificate.givenPartition)
        XCTAssertEqual(given.value, try XCTUnwrap(printed["bottleneck_after"] as? Double), accuracy: 1e-9)
        XCTAssertLessThanOrEqual(certificate.upperBound.value, given.value)
        XCTAssertEqual(given.ratio, certificate.lowerBound.value / given.value, accuracy: 1e-12)
        XCTAssertTrue(certificate.bounds.contains { $0.method == "given" && $0.kind == .upper })
        // The given partition's own stage graph is recorded beside the best one's.
        let givenStageGraph = try XCTUnwrap(given.stageGraph)
        XCTAssertEqual(givenStageGraph.sequentialLatency, 3 * given.value, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(givenStageGraph.graphLatency, givenStageGraph.sequentialLatency + 1e-9)
    }

    /// A limit that stops the search still gives a valid partition, exit 0 (docs/repair.md, "Limits").
    func testLimitedRepairStillWritesAValidPartition() throws {
        let graph = try TestModels.load(model)
        let candidate = try write(brokenMap(graph), name: "candidate.json")
        let repaired = directory.appendingPathComponent("limited.json").path
        let run = try PipeboundBinary.run(["repair", model, "--partition", candidate, "--stages", "3", "--time-limit", "0.000001",
                                           "--node-limit", "0", "--format", "json", "-o", repaired])
        XCTAssertEqual(run.status, 0, run.stderr)
        let evaluate = try PipeboundBinary.run(["evaluate", model, "--partition", repaired])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
    }

    /// A training graph (docs/graph-format.md, "Training graphs"): a -> b -> c forward, their
    /// backward twins in their classes. The candidate puts a after b and splits two classes;
    /// `certify --partition --repair` repairs it under the training rules and certifies it.
    func testCertifyRepairsAPartitionOfATrainingGraph() throws {
        func node(_ name: String, _ work: Double, group: String, backward: Bool = false) -> [String: Any] {
            var object: [String: Any] = ["name": name, "work": work, "comm": 1, "memory": 1, "group": group]
            if backward { object["backward"] = true }
            return object
        }
        let model = try write(["format": "pipebound.graph", "version": 1, "name": "training",
                               "nodes": [node("a", 4, group: "A"), node("b", 3, group: "B"), node("c", 5, group: "C"),
                                         node("ga", 8, group: "A", backward: true), node("gb", 6, group: "B", backward: true),
                                         node("gc", 9, group: "C", backward: true)],
                               "edges": [["a", "b"], ["b", "c"], ["c", "gc"], ["gc", "gb"], ["gb", "ga"], ["b", "gb"], ["a", "ga"]]],
                              name: "training.json")
        let candidate = try write(["a": 1, "b": 0, "c": 1, "ga": 0, "gb": 1, "gc": 1], name: "candidate.json")
        let certified = try PipeboundBinary.run(["certify", model, "--stages", "2", "--partition", candidate, "--repair",
                                                 "--node-limit", "20", "--time-limit", "10", "--quiet", "--format", "json"])
        XCTAssertEqual(certified.status, 0, certified.stderr)
        let certificate = try XCTUnwrap(CertificateFile.decode(Data(certified.stdout.utf8), file: "stdout").first)
        let given = try XCTUnwrap(certificate.givenPartition)
        XCTAssertLessThanOrEqual(certificate.lowerBound.value, given.value + 1e-9)
        XCTAssertLessThanOrEqual(certificate.upperBound.value, given.value + 1e-9)
        // Each class must be whole and s(A) <= s(B) <= s(C): two moves at least (one in A or B, one more
        // to make the other whole). The certified given partition is the library's tie-broken repair.
        let graph = try TestModels.load(model)
        let repaired = try Repairer(graph: graph, stageCount: 2, solver: SolverCatalog.solver(named: "cbc"))
            .repair(RepairCandidate(stageByNode: ["a": 1, "b": 0, "c": 1, "ga": 0, "gb": 1, "gc": 1], graph: graph, stageCount: 2))
        XCTAssertTrue(graph.isValid(repaired.partition))
        XCTAssertEqual(repaired.moves.count, 2)
        XCTAssertEqual(given.value, repaired.bottleneckAfter, accuracy: 1e-9)
    }

    func testCertifyRejectsAnInvalidPartitionUnlessAskedToRepairIt() throws {
        let graph = try TestModels.load(model)
        let candidate = try write(brokenMap(graph), name: "candidate.json")
        let rejected = try PipeboundBinary.run(["certify", model, "--stages", "3", "--partition", candidate, "--quiet"])
        XCTAssertEqual(rejected.status, 1)
        XCTAssertTrue(rejected.stderr.contains("invalid partition: edge"), rejected.stderr)
        let repaired = try PipeboundBinary.run(["certify", model, "--stages", "3", "--partition", candidate, "--repair",
                                                "--node-limit", "50", "--time-limit", "20", "--quiet"])
        XCTAssertEqual(repaired.status, 0, repaired.stderr)
        XCTAssertTrue(repaired.stdout.contains("repaired with 1 moves"), repaired.stdout)
        XCTAssertTrue(repaired.stdout.contains("given latency"), repaired.stdout)
    }

    /// No valid partition at all (two nodes of memory 10 under a cap of 15, one stage): exit 2
    /// with the reason on one line, from `repair` and from `certify --partition --repair` alike.
    func testInfeasibleRepairIsBadInput() throws {
        let model = try write(["format": "pipebound.graph", "version": 1, "name": "tight", "stage_memory": 15,
                               "nodes": [["name": "a", "work": 1, "comm": 0, "memory": 10], ["name": "b", "work": 1, "comm": 0, "memory": 10]],
                               "edges": [["a", "b"]]], name: "tight.json")
        let candidate = try write(["a": 0, "b": 1], name: "candidate.json")
        for arguments in [["repair", model, "--partition", candidate, "--stages", "1"],
                          ["certify", model, "--stages", "1", "--partition", candidate, "--repair", "--quiet"]] {
            let run = try PipeboundBinary.run(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments[0]): \(run.stderr)")
            XCTAssertEqual(run.stderrLines.count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains("memory cap"), run.stderr)
        }
    }

    func testBatchAnswersEveryLine() throws {
        let graph = try TestModels.load(model)
        let lines = [String(decoding: try JSONSerialization.data(withJSONObject: brokenMap(graph)), as: UTF8.self),
                     "not json", "{\"nope\": 1}"]
        let input = directory.appendingPathComponent("lines.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let run = try PipeboundBinary.run(["repair", model, "--stages", "3", "--batch"], input: input.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        let results = run.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(results[0]?["moved"] as? Int, 1)
        XCTAssertEqual(results[1]?["line"] as? Int, 2)
        XCTAssertNotNil(results[1]?["error"])
        // A name the graph lacks is reported, every real node is free: nothing to move.
        XCTAssertEqual(results[2]?["moved"] as? Int, 0)
        XCTAssertEqual((results[2]?["violations"] as? [String])?.first, "node 'nope' is not in graph '\(graph.name)'")
    }

    func testImpossibleBudgetIsBadInput() throws {
        let graph = try TestModels.load(model)
        let candidate = try write(brokenMap(graph), name: "candidate.json")
        let run = try PipeboundBinary.run(["repair", model, "--partition", candidate, "--stages", "3", "--objective", "bottleneck",
                                           "--max-moves", "0"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderrLines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("at least 1 must move"), run.stderr)
    }
}
