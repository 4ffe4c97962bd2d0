import Foundation
import XCTest

/// Every input of Fixtures/repro (Fixtures/repro/README.md) through the `pipebound` binary, as the
/// user who found it ran it: a sound certificate, or exit 2 with one line naming the file, never a
/// signal, a hang or a wrong answer.
final class ReproducerCommandTests: XCTestCase {
    private func repro(_ name: String) -> String { PipeboundBinary.fixture("repro/\(name)") }

    /// Exit 0 with a certificate whose bound is at most the partition it prints, or exit 2 with one line.
    private func assertCertifiesOrRefuses(_ arguments: [String], file: String, line: UInt = #line) throws {
        let run = try PipeboundBinary.run(arguments, timeout: 120)
        XCTAssertTrue(run.status == 0 || run.status == 2, "exit \(run.status): \(run.stderr)", line: line)
        if run.status == 2 {
            XCTAssertEqual(run.stderrLines.count, 1, run.stderr, line: line)
            XCTAssertTrue(run.stderr.contains(file), "the message names the file: \(run.stderr)", line: line)
        }
    }

    func testHugeCommsNeverAbortTheSolvers() throws {
        try assertCertifiesOrRefuses(["certify", repro("m1250.json"), "--stages", "2", "--time-limit", "5", "--quiet"],
                                     file: "m1250.json")
        for solver in ["cbc", "glpk"] {
            try assertCertifiesOrRefuses(["bound", repro("tiny_comm_1e30.json"), "--stages", "3", "--method", "single-block",
                                          "--solver", solver, "--node-limit", "200"], file: "tiny_comm_1e30.json")
        }
    }

    func testOverflowingTotalsAreRefused() throws {
        let run = try PipeboundBinary.run(["certify", repro("m474.json"), "--stages", "2", "--quiet"], timeout: 120)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stderrLines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("m474.json"), run.stderr)
    }

    func testDuplicateKeysAreRefusedByName() throws {
        let run = try PipeboundBinary.run(["certify", repro("dupkey.json"), "--stages", "2", "--quiet"], timeout: 60)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stderrLines.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("dupkey.json"), run.stderr)
        XCTAssertTrue(run.stderr.lowercased().contains("duplicate"), run.stderr)
    }

    func testGroupWithAPathThroughAnotherNodeIsCertified() throws {
        let run = try PipeboundBinary.run(["certify", repro("group_nonconvex.json"), "--stages", "2", "--format", "json",
                                           "--quiet"], timeout: 60)
        XCTAssertEqual(run.status, 0, run.stderr)
        let certificate = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let upper = try XCTUnwrap((certificate["upper_bound"] as? [String: Any])?["value"] as? Double)
        let lower = try XCTUnwrap((certificate["lower_bound"] as? [String: Any])?["value"] as? Double)
        XCTAssertEqual(upper, 3, accuracy: 1e-9, "the optimum at k = 2 is 3")
        XCTAssertLessThanOrEqual(lower, 3)
    }

    /// The bounds that once overshot, run as they were found (a two-second budget): never above the
    /// valid partition that came with each graph.
    func testOvershootingBoundsNowStayBelowAValidPartition() throws {
        let cases: [(String, String, String)] = [("m8", "single-block", "cbc"), ("m20", "exact", "cbc"),
                                                ("m27", "single-block", "cbc"), ("m40", "guess-block", "glpk"),
                                                ("m53", "exact", "glpk")]
        for (graph, method, solver) in cases {
            let evaluated = try PipeboundBinary.run(["evaluate", repro("\(graph).json"), "--partition",
                                                     repro("\(graph)_k2_partition.json"), "--format", "json"])
            XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
            let partition = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
            let cost = try XCTUnwrap(partition["bottleneck"] as? Double, evaluated.stdout)
            let run = try PipeboundBinary.run(["bound", repro("\(graph).json"), "--stages", "2", "--method", method,
                                               "--solver", solver, "--time-limit", "2", "--format", "json"], timeout: 60)
            XCTAssertEqual(run.status, 0, run.stderr)
            let bound = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let value = try XCTUnwrap(bound["value"] as? Double, run.stdout)
            XCTAssertLessThanOrEqual(value, cost, "\(graph) \(method) \(solver)")
        }
    }
}
