import Foundation
import PipeCertify
import PipeGraph
import XCTest
import PipeTestSupport

/// Extreme numbers through every command: each run exits 0 with a sound, checked answer or
/// exits 2 with one line on stderr; never a signal (Clp's assertions abort the process).
final class ExtremeNumberTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try PipeboundBinary.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Costs from the smallest subnormal to the largest double, mixed with ordinary ones.
    static let extremes: [Double] = [0, 5e-324, 2.2250738585072014e-308, 1e-300, 1e-30, 1e-7, 1, 3.5, 1e7, 1e30, 1e300,
                                     1.7976931348623157e308]

    /// A seeded 6-node DAG (a chain plus a few forward edges) whose works and comms are drawn
    /// from ``extremes`` (every third seed keeps ordinary works, so that only its comms are extreme).
    private func extremeGraph(seed: UInt64) throws -> (path: String, text: String) {
        var random = SeededGenerator(seed: seed)
        func pick() -> Double { Self.extremes[Int(random.next() % UInt64(Self.extremes.count))] }
        let nodeCount = 6
        var nodes: [String] = []
        for index in 0..<nodeCount {
            let work = seed % 3 == 0 ? 1 + Double(index) : pick()
            nodes.append("{\"name\":\"n\(index)\",\"work\":\(work),\"comm\":\(pick())}")
        }
        var edges = (0..<(nodeCount - 1)).map { "[\"n\($0)\",\"n\($0 + 1)\"]" }
        for _ in 0..<3 {
            let from = Int(random.next() % UInt64(nodeCount - 2))
            let to = from + 2 + Int(random.next() % UInt64(nodeCount - from - 2))
            edges.append("[\"n\(from)\",\"n\(to)\"]")
        }
        let text = "{\"format\":\"pipebound.graph\",\"version\":1,\"name\":\"extreme-\(seed)\",\"nodes\":[\(nodes.joined(separator: ","))],"
            + "\"edges\":[\(edges.joined(separator: ","))]}"
        let url = directory.appendingPathComponent("extreme-\(seed).json")
        try Data(text.utf8).write(to: url)
        return (url.path, text)
    }

    /// Checks the promise for one run and returns it.
    @discardableResult
    private func checked(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> PipeboundBinary.Run {
        let run = try PipeboundBinary.run(arguments, timeout: 60)
        XCTAssertTrue(run.status == 0 || run.status == 2, "\(arguments): status \(run.status): \(run.stderr)", file: file, line: line)
        if run.status == 2 {
            XCTAssertEqual(run.stderrLines.count, 1, "\(arguments): \(run.stderr)", file: file, line: line)
        }
        return run
    }

    func testExtremeCostsNeverCrashAndNeverGiveAnUnsoundBound() throws {
        var accepted = 0, refused = 0
        for seed: UInt64 in 1...4 {
            let (path, text) = try extremeGraph(seed: seed)
            let graph = try? GraphFile.decode(Data(text.utf8))
            let optimum = graph.flatMap { ExhaustiveSearch.optimum(of: $0, stageCount: 2)?.bottleneck }
            let solver = seed % 2 == 0 ? "glpk" : "cbc"

            let certify = try checked(["certify", path, "--stages", "2", "--solver", solver, "--time-limit", "3",
                                       "--format", "json", "--quiet"])
            XCTAssertEqual(certify.status == 0, graph != nil, "certify accepts exactly the graphs that load: \(certify.stderr)")
            if certify.status == 0, let graph, let optimum {
                let certificate = try XCTUnwrap(CertificateFile.decode(Data(certify.stdout.utf8), file: "stdout").first)
                let partition = try certificate.partition(on: graph)
                XCTAssertEqual(certificate.problems(graph: graph, partition: partition), [], "seed \(seed)")
                XCTAssertLessThanOrEqual(certificate.lowerBound.value, optimum, "seed \(seed): certify's bound exceeds the optimum")
            }
            for method in ["combinatorial", "single-block", "guess-block", "exact", "value-search"] {
                let bound = try checked(["bound", path, "--stages", "2", "--method", method, "--solver", solver,
                                         "--time-limit", "2", "--format", "json"])
                guard bound.status == 0, let optimum else { continue }
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bound.stdout.utf8)) as? [String: Any])
                let value = try XCTUnwrap(object["value"] as? Double, bound.stdout)
                XCTAssertLessThanOrEqual(value, optimum, "seed \(seed), \(method), \(solver): the bound exceeds the optimum")
            }
            try checked(["partition", path, "--stages", "2"])
            let map = directory.appendingPathComponent("map-\(seed).json")
            try Data("{\"n0\":0,\"n1\":0,\"n2\":1,\"n3\":1,\"n4\":1,\"n5\":1}".utf8).write(to: map)
            try checked(["evaluate", path, "--partition", map.path, "--stages", "2"])
            try checked(["export-mip", path, "--stages", "2", "--method", "exact", "-o", directory.appendingPathComponent("m-\(seed).lp").path])
            try checked(["convert", path, "-o", directory.appendingPathComponent("c-\(seed).json").path])
            if graph == nil { refused += 1 } else { accepted += 1 }
        }
        XCTAssertGreaterThan(accepted, 0, "the seeds should give graphs that load")
        XCTAssertGreaterThan(refused, 0, "the seeds should give graphs whose totals overflow")
    }

    /// The reproducers of a crash (a comm of 1e30 and of the largest double, which CBC's Clp
    /// asserted on) and of a wrong answer (totals overflowing to infinity).
    func testReproducersOfCrashesAndOverflow() throws {
        let tiny = directory.appendingPathComponent("tiny_comm_1e30.json")
        try Data(("{\"format\":\"pipebound.graph\",\"version\":1,\"name\":\"tiny-diamond\",\"nodes\":["
            + "{\"name\":\"in\",\"work\":1,\"comm\":3},{\"name\":\"a\",\"work\":6,\"comm\":1e30},{\"name\":\"b\",\"work\":5,\"comm\":2},"
            + "{\"name\":\"c\",\"work\":4,\"comm\":0.5},{\"name\":\"join\",\"work\":2,\"comm\":1.5},{\"name\":\"d\",\"work\":7,\"comm\":0.5},"
            + "{\"name\":\"e\",\"work\":3,\"comm\":0.2},{\"name\":\"out\",\"work\":1,\"comm\":0}],\"edges\":["
            + "[\"in\",\"a\"],[\"in\",\"b\"],[\"a\",\"c\"],[\"b\",\"join\"],[\"c\",\"join\"],[\"join\",\"d\"],[\"join\",\"e\"],"
            + "[\"d\",\"out\"],[\"e\",\"out\"]]}").utf8).write(to: tiny)
        let graph = try TestModels.load(tiny.path)
        let optimum = try XCTUnwrap(ExhaustiveSearch.optimum(of: graph, stageCount: 3)?.bottleneck)
        for solver in ["cbc", "glpk"] {
            for method in ["single-block", "guess-block", "exact"] {
                // The capped comm makes the MIPs solvable: they answer, and soundly.
                let run = try checked(["bound", tiny.path, "--stages", "3", "--method", method, "--solver", solver, "--format", "json"])
                XCTAssertEqual(run.status, 0, "\(method), \(solver): \(run.stderr)")
                let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
                let value = try XCTUnwrap(object["value"] as? Double)
                XCTAssertLessThanOrEqual(value, optimum, "\(method), \(solver)")
                XCTAssertGreaterThan(value, 0.8 * optimum, "\(method), \(solver): capping keeps the bound useful")
            }
        }
        let overflowing = PipeboundBinary.fixture("malformed/overflowing-total.json")
        let run = try checked(["certify", overflowing, "--stages", "2", "--quiet"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("exceeds 1e+300"), run.stderr)
    }
}
