import Foundation
import PipeCertify
import PipeGraph
import XCTest
import PipeTestSupport

/// `pipebound certify` end to end: the binary's output, formats and exit codes.
final class CertifyCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try PipeboundBinary.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The JSON has every field of docs/certificate.md, the bounds are ordered, and the printed
    /// partition is valid and costs what the certificate says, with both solvers.
    func testJSONCertificateWithBothSolvers() throws {
        let model = PipeboundBinary.fixture("models/squeezenet.json")
        let graph = try TestModels.load(model)
        for solver in ["cbc", "glpk"] {
            let run = try PipeboundBinary.run(["certify", model, "--stages", "3", "--solver", solver, "--time-limit", "5",
                                               "--node-limit", "200", "--format", "json", "--quiet"])
            XCTAssertEqual(run.status, 0, "\(solver): \(run.stderr)")
            XCTAssertEqual(run.stderr, "", "--quiet prints nothing on stderr")
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            for key in ["format", "version", "graph", "stages", "solver", "upper_bound", "lower_bound", "bounds", "ratio",
                        "seconds", "throughput", "latency", "units"] {
                XCTAssertNotNil(object[key], "\(solver): missing \(key)")
            }
            XCTAssertEqual(object["format"] as? String, "pipebound.certificate")
            XCTAssertEqual(object["solver"] as? String, solver)
            let graphSummary = try XCTUnwrap(object["graph"] as? [String: Any])
            XCTAssertEqual(graphSummary["nodes"] as? Int, graph.nodeCount)
            XCTAssertEqual(graphSummary["edges"] as? Int, graph.edgeCount)
            let upper = try XCTUnwrap(object["upper_bound"] as? [String: Any])
            let stages = try XCTUnwrap(upper["stages"] as? [[String: Any]])
            XCTAssertEqual(stages.count, 3)
            for stage in stages {
                for key in ["index", "cost", "nodes", "work", "comm_in", "comm_out", "memory"] {
                    XCTAssertNotNil(stage[key], "\(solver): stage misses \(key)")
                }
            }
            let bounds = try XCTUnwrap(object["bounds"] as? [[String: Any]])
            XCTAssertTrue(bounds.contains { $0["kind"] as? String == "lower" && $0["method"] as? String == "combinatorial" })
            for bound in bounds {
                for key in ["method", "kind", "value", "status", "seconds"] { XCTAssertNotNil(bound[key]) }
            }

            let certificate = try XCTUnwrap(CertificateFile.decode(Data(run.stdout.utf8), file: "stdout").first)
            let partition = try certificate.partition(on: graph)
            XCTAssertEqual(certificate.problems(graph: graph, partition: partition), [])
            XCTAssertEqual(graph.bottleneck(of: partition), certificate.upperBound.value, accuracy: 1e-9)
            XCTAssertLessThanOrEqual(certificate.lowerBound.value, certificate.upperBound.value)
            XCTAssertEqual(certificate.ratio, certificate.lowerBound.value / certificate.upperBound.value, accuracy: 1e-12)
            XCTAssertEqual(certificate.latency, 3 * certificate.upperBound.value, accuracy: 1e-9)
            XCTAssertEqual(certificate.throughput, 1 / certificate.upperBound.value, accuracy: 1e-12)
            XCTAssertGreaterThan(certificate.ratio, 0.9, "\(solver): squeezenet at k = 3 closes within seconds")
        }
    }

    /// On graphs small enough for brute force, the printed lower bound never exceeds the optimum.
    func testLowerBoundNeverExceedsTheOptimum() throws {
        for seed: UInt64 in 1...3 {
            let model = try TestModels.randomDAG(nodeCount: 8, seed: seed, in: directory)
            let graph = try TestModels.load(model)
            let optimum = try XCTUnwrap(ExhaustiveSearch.optimum(of: graph, stageCount: 3)).bottleneck
            let run = try PipeboundBinary.run(["certify", model, "--stages", "3", "--node-limit", "500", "--format", "json", "--quiet"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let certificate = try XCTUnwrap(CertificateFile.decode(Data(run.stdout.utf8), file: "stdout").first)
            XCTAssertLessThanOrEqual(certificate.lowerBound.value, optimum + 1e-9, "seed \(seed)")
            XCTAssertGreaterThanOrEqual(certificate.upperBound.value, optimum - 1e-9, "seed \(seed)")
        }
    }

    /// Several stage counts: an array, ascending k, and the upper bound never rises with k.
    func testSeveralStageCountsGiveAnArrayWithMonotoneUpperBounds() throws {
        let model = try TestModels.randomDAG(nodeCount: 25, seed: 3, in: directory)
        let run = try PipeboundBinary.run(["certify", model, "--stages", "4,2,8", "--time-limit", "5", "--node-limit", "100",
                                           "--format", "json", "-o", directory.appendingPathComponent("out.json").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "", "-o writes the file, not stdout")
        XCTAssertTrue(run.stderr.contains("k=2"), "plain progress lines on a non-terminal stderr")
        let certificates = try CertificateFile.read(path: directory.appendingPathComponent("out.json").path)
        XCTAssertEqual(certificates.map(\.stages), [2, 4, 8])
        for (smaller, larger) in zip(certificates, certificates.dropFirst()) {
            XCTAssertLessThanOrEqual(larger.upperBound.value, smaller.upperBound.value)
        }
    }

    func testTableAndCSVFormats() throws {
        let model = try TestModels.randomDAG(nodeCount: 20, seed: 5, in: directory)
        let table = try PipeboundBinary.run(["certify", model, "--stages", "2", "--node-limit", "100", "--quiet"])
        XCTAssertEqual(table.status, 0, table.stderr)
        for text in ["upper bound", "lower bound", "LB/UB", "comm in", "comm out", "memory", "combinatorial", "throughput", "latency"] {
            XCTAssertTrue(table.stdout.contains(text), "table lacks '\(text)'")
        }
        let csv = try PipeboundBinary.run(["certify", model, "--stages", "2,3", "--node-limit", "100", "--format", "csv", "--quiet"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(String(lines[0]), CertificateRendering.csvHeader)
        let columns = CertificateRendering.csvHeader.split(separator: ",").count
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == columns })
        XCTAssertEqual(lines.filter { $0.contains(",certificate,") }.count, 2, "one certificate row per k")
    }

    /// Exit 2 for bad input and usage, one line on stderr; exit 1 when no valid partition exists.
    func testExitCodesForBadInputAndFailedChecks() throws {
        let model = try TestModels.randomDAG(nodeCount: 10, seed: 2, in: directory)
        let cases: [[String]] = [
            ["certify", directory.appendingPathComponent("missing.json").path, "--stages", "2"],
            ["certify", model, "--stages", "0"],
            ["certify", model, "--stages", "two"],
            ["certify", model, "--stages", "2", "--solver", "gurobi"],
            ["certify", model],
        ]
        for arguments in cases {
            let run = try PipeboundBinary.run(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stderrLines.count, 1, "\(arguments): \(run.stderr)")
            XCTAssertEqual(run.stdout, "")
        }
        // A memory cap below one node's memory: no valid partition at any k, a failed check.
        let capped = try TestModels.randomDAG(nodeCount: 10, seed: 2, in: directory, memoryCap: 0.5)
        let run = try PipeboundBinary.run(["certify", capped, "--stages", "2", "--quiet"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("no valid partition"), run.stderr)
        XCTAssertEqual(run.stdout, "")
    }

    /// SIGINT one second into a long run: a valid certificate within a few seconds, exit 130.
    func testInterruptPrintsTheBestCertificateSoFar() throws {
        let model = try TestModels.randomDAG(nodeCount: 150, seed: 11, in: directory)
        let graph = try TestModels.load(model)
        let run = try PipeboundBinary.run(["certify", model, "--stages", "2,4,8,16,32", "--time-limit", "120",
                                           "--target-ratio", "1", "--format", "json"],
                                          timeout: 60, signalAfter: 1)
        XCTAssertEqual(run.status, 130, run.stderr)
        XCTAssertLessThan(run.seconds, 1 + 8, "the certificate came too late")
        let certificates = try CertificateFile.decode(Data(run.stdout.utf8), file: "stdout")
        XCTAssertFalse(certificates.isEmpty)
        XCTAssertEqual(certificates.last?.interrupted, true, "the stopped stage count says so")
        XCTAssertTrue(certificates.dropLast().allSatisfy { $0.interrupted == nil }, "finished stage counts are complete")
        for certificate in certificates {
            let partition = try certificate.partition(on: graph)
            XCTAssertEqual(certificate.problems(graph: graph, partition: partition), [])
        }
    }
}
