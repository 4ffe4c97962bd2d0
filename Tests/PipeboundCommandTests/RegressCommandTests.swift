import Foundation
import PipeCertify
import XCTest

/// `pipebound regress`, `merge` and `summary` end to end.
final class RegressCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try PipeboundBinary.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The CI suite (Fixtures/suite.json) holds against its committed goldens.
    func testCISuiteMatchesItsGoldens() throws {
        let results = directory.appendingPathComponent("ci.json").path
        let run = try PipeboundBinary.run(["regress", "Fixtures/suite.json", "--jobs", "2", "--results", results], timeout: 600)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains(" 0 regressions"), run.stdout)
        XCTAssertTrue(run.stdout.contains("0 new"), "every instance has a golden: \(run.stdout)")
        let loaded = try SuiteResults.read(path: results)
        XCTAssertEqual(loaded.instances.count, loaded.totalInstances)
        for instance in loaded.instances {
            XCTAssertEqual(instance.problems, [], instance.instance.identifier)
            let certificate = try XCTUnwrap(instance.certificate)
            XCTAssertLessThanOrEqual(certificate.lowerBound.value, certificate.upperBound.value)
        }
    }

    /// A copy of one CI instance with its golden; returns the suite path and the golden path.
    private func copyOfOneInstance(model: String = "zfnet512", stages: Int = 4) throws -> (suite: String, golden: URL) {
        let original = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: PipeboundBinary.fixture("suite.json")))) as? [String: Any])
        var suite = original
        suite["expected"] = "expected"
        suite["instances"] = [["model": PipeboundBinary.fixture("models/\(model).json"), "stages": [stages]]]
        let suiteURL = directory.appendingPathComponent("suite.json")
        try JSONSerialization.data(withJSONObject: suite).write(to: suiteURL)
        let expected = directory.appendingPathComponent("expected")
        try FileManager.default.createDirectory(at: expected, withIntermediateDirectories: true)
        let golden = expected.appendingPathComponent("\(model)-k\(stages).json")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: PipeboundBinary.fixture("expected/ci/\(model)-k\(stages).json")), to: golden)
        return (suiteURL.path, golden)
    }

    private func editGolden(_ url: URL, _ edit: (inout [String: Any]) -> Void) throws {
        var golden = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&golden)
        try JSONSerialization.data(withJSONObject: golden).write(to: url)
    }

    /// A golden that promises more than the code delivers fails the run with a table.
    func testWorsenedGoldenIsCaught() throws {
        let (suite, golden) = try copyOfOneInstance()
        let clean = try PipeboundBinary.run(["regress", suite, "--quiet"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        try editGolden(golden) { golden in
            // Claim a stronger value-search bound and a better partition than the code finds.
            var bounds = golden["bounds"] as! [[String: Any]]
            for index in bounds.indices where bounds[index]["method"] as? String == "value-search" {
                bounds[index]["value"] = (bounds[index]["value"] as! Double) * 1.01
            }
            golden["bounds"] = bounds
            var upper = golden["upper_bound"] as! [String: Any]
            upper["value"] = (upper["value"] as! Double) * 0.99
            golden["upper_bound"] = upper
        }
        let run = try PipeboundBinary.run(["regress", suite, "--quiet"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("zfnet512/k4"), run.stdout)
        XCTAssertTrue(run.stdout.contains("value-search (lower)") && run.stdout.contains("regression: bound weaker"), run.stdout)
        XCTAssertTrue(run.stdout.contains("upper bound") && run.stdout.contains("regression: partition worse"), run.stdout)
    }

    /// A golden the code now beats is an improvement: exit 0, a hint, and --update records it.
    func testImprovementSuggestsUpdate() throws {
        let (suite, golden) = try copyOfOneInstance()
        try editGolden(golden) { golden in
            var lower = golden["lower_bound"] as! [String: Any]
            lower["value"] = (lower["value"] as! Double) * 0.9
            golden["lower_bound"] = lower
        }
        let run = try PipeboundBinary.run(["regress", suite, "--quiet"])
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("improvement: bound stronger") && run.stdout.contains("--update"), run.stdout)
        let update = try PipeboundBinary.run(["regress", suite, "--quiet", "--update"])
        XCTAssertEqual(update.status, 0, update.stdout + update.stderr)
        let again = try PipeboundBinary.run(["regress", suite, "--quiet"])
        XCTAssertTrue(again.stdout.contains("0 regressions, 0 improvements, 0 new"), again.stdout)
    }

    /// Two shards merged give the same results as one run, and summary tabulates them.
    func testShardsMergeToTheSameResultsAsOneRun() throws {
        var suite = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: PipeboundBinary.fixture("suite.json")))) as? [String: Any])
        suite["instances"] = [
            ["model": PipeboundBinary.fixture("models/zfnet512.json"), "stages": [2, 4]],
            ["model": PipeboundBinary.fixture("models/alexnet.json"), "stages": [2, 4]],
        ]
        suite["expected"] = "expected"
        let suitePath = directory.appendingPathComponent("suite.json").path
        try JSONSerialization.data(withJSONObject: suite).write(to: URL(fileURLWithPath: suitePath))
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        XCTAssertEqual(try PipeboundBinary.run(["regress", suitePath, "--quiet", "--jobs", "2", "--results", path("all.json")]).status, 0)
        XCTAssertEqual(try PipeboundBinary.run(["regress", suitePath, "--quiet", "--shard", "0/2", "--results", path("s0.json")]).status, 0)
        XCTAssertEqual(try PipeboundBinary.run(["regress", suitePath, "--quiet", "--shard", "1/2", "--results", path("s1.json")]).status, 0)
        let merge = try PipeboundBinary.run(["merge", path("s1.json"), path("s0.json"), "-o", path("merged.json")])
        XCTAssertEqual(merge.status, 0, merge.stderr)

        let whole = try SuiteResults.read(path: path("all.json"))
        let merged = try SuiteResults.read(path: path("merged.json"))
        let shard = try SuiteResults.read(path: path("s0.json"))
        XCTAssertEqual(shard.instances.map(\.instance.index), [0, 2])
        XCTAssertEqual(merged.instances.map(\.instance), whole.instances.map(\.instance))
        for (one, other) in zip(whole.instances, merged.instances) {
            let first = try XCTUnwrap(one.certificate), second = try XCTUnwrap(other.certificate)
            XCTAssertEqual(first.upperBound, second.upperBound, one.instance.identifier)
            XCTAssertEqual(first.lowerBound, second.lowerBound, one.instance.identifier)
            XCTAssertEqual(first.bounds.map { [$0.method, $0.kind.rawValue, "\($0.value)", $0.status.rawValue] },
                           second.bounds.map { [$0.method, $0.kind.rawValue, "\($0.value)", $0.status.rawValue] })
        }

        let duplicate = try PipeboundBinary.run(["merge", path("s0.json"), path("all.json")])
        XCTAssertEqual(duplicate.status, 2)
        XCTAssertTrue(duplicate.stderr.contains("more than one file"), duplicate.stderr)
        let partial = try PipeboundBinary.run(["merge", path("s0.json"), "-o", path("partial.json")])
        XCTAssertEqual(partial.status, 0)
        XCTAssertTrue(partial.stderr.contains("2 of 4"), partial.stderr)

        let summary = try PipeboundBinary.run(["summary", path("merged.json")])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(summary.stdout.contains("value-search") && summary.stdout.contains("certified"), summary.stdout)
        let rows = summary.stdout.split(separator: "\n").filter { $0.hasPrefix("2 ") || $0.hasPrefix("4 ") }
        XCTAssertEqual(rows.count, 2, summary.stdout)
    }

    func testBadSuiteAndShardArguments() throws {
        let bad = directory.appendingPathComponent("bad.json")
        try Data(#"{"format": "pipebound.suite", "version": 1}"#.utf8).write(to: bad)
        for arguments in [["regress", bad.path], ["regress", "Fixtures/suite.json", "--shard", "2/2"],
                          ["regress", directory.appendingPathComponent("absent.json").path], ["summary", bad.path]] {
            let run = try PipeboundBinary.run(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderrLines.count, 1, "\(arguments): \(run.stderr)")
        }
    }
}
