import Foundation
import PipeCertify
import PipeGraph
import XCTest

/// The subcommands agree: the same message for the same mistake, a directory refused as a model,
/// `partition --format json` read by the commands that take a partition, and `export-mip` files
/// that an external solver solves to the bound itself.
final class CommandLineConsistencyTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = try PipeboundBinary.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `arguments` and expects exit 2 with one line on stderr containing every one of `fragments`.
    private func assertRefused(_ arguments: [String], saying fragments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try PipeboundBinary.run(arguments)
        XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)", file: file, line: line)
        XCTAssertEqual(run.stderrLines.count, 1, "\(arguments): \(run.stderr)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(run.stderr.contains(fragment), "\(arguments): '\(fragment)' not in \(run.stderr)", file: file, line: line)
        }
    }

    /// `--stages 0`, `--stages -1` and `--time-limit -5` (a negative number read as the value, not
    /// as a missing one) get the same message in every command, and the hint names the subcommand.
    func testSameMessageForTheSameMistakeInEveryCommand() throws {
        let model = try TestModels.randomDAG(nodeCount: 8, seed: 3, in: directory)
        let partition = directory.appendingPathComponent("p.json").path
        let withStages: [String: [String]] = [
            "certify": ["certify", model],
            "partition": ["partition", model],
            "bound": ["bound", model, "--method", "exact"],
            "export-mip": ["export-mip", model, "--formulation", "exact", "-o", directory.appendingPathComponent("m.lp").path],
            "evaluate": ["evaluate", model, "--partition", partition],
            "report": ["report", partition, "-o", directory.appendingPathComponent("r.svg").path],
            "repair": ["repair", model, "--partition", partition],
        ]
        for (command, arguments) in withStages.sorted(by: { $0.key < $1.key }) {
            for bad in ["0", "-1"] {
                try assertRefused(arguments + ["--stages", bad],
                                  saying: ["--stages must be at least 1, not \(bad)", "pipebound help \(command)"])
            }
        }
        for command in ["certify", "bound", "partition", "repair"] {
            try assertRefused(withStages[command]! + ["--stages", "2", "--time-limit", "-5"],
                              saying: ["--time-limit must be a positive number of seconds, not -5", "pipebound help \(command)"])
        }
        // Names are checked before anything runs, and the choices are listed.
        try assertRefused(["bound", model, "--stages", "2", "--method", "exacts"], saying: ["value-search", "pipebound help bound"])
        try assertRefused(["certify", model, "--stages", "2", "--solver", "gurobi"], saying: ["glpk", "pipebound help certify"])
        try assertRefused(["partition", model, "--stages", "2", "--format", "csv"], saying: ["json"])
    }

    /// A directory given as the model: one line saying so, exit 2, in every command that reads one.
    func testDirectoryAsModelIsOneClearLine() throws {
        let folder = directory.path
        let output = directory.appendingPathComponent("out").path
        let commands: [[String]] = [
            ["certify", folder, "--stages", "2", "--quiet"],
            ["partition", folder, "--stages", "2"],
            ["bound", folder, "--stages", "2", "--method", "combinatorial"],
            ["export-mip", folder, "--stages", "2", "--formulation", "exact", "-o", output + ".lp"],
            ["evaluate", folder, "--partition", folder],
            ["convert", folder, "-o", output + ".json"],
            ["repair", folder, "--stages", "2", "--partition", folder],
            ["report", folder, "-o", output + ".svg"],
        ]
        for arguments in commands {
            try assertRefused(arguments, saying: ["\(folder): is a directory"])
        }
    }

    /// `partition --format json -o FILE` writes a certificate that `evaluate`, `report` and
    /// `certify --partition` read; the table is aligned with units and without exponents.
    func testPartitionJSONIsReadByEvaluateReportAndCertify() throws {
        let model = PipeboundBinary.fixture("models/squeezenet.json")
        let partition = directory.appendingPathComponent("partition.json").path
        let written = try PipeboundBinary.run(["partition", model, "--stages", "3", "--method", "slice", "--format", "json", "-o", partition])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(written.stdout, "", "-o sends the output to the file")
        let certificate = try XCTUnwrap(try CertificateFile.read(path: partition).first)
        XCTAssertEqual(certificate.stages, 3)
        XCTAssertEqual(certificate.upperBound.method, "slice")
        XCTAssertLessThanOrEqual(certificate.lowerBound.value, certificate.upperBound.value)

        let evaluated = try PipeboundBinary.run(["evaluate", model, "--partition", partition, "--format", "json"])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(object["bottleneck"] as? Double), certificate.upperBound.value, accuracy: 1e-9)

        let report = try PipeboundBinary.run(["report", partition, "-o", directory.appendingPathComponent("p.svg").path])
        XCTAssertEqual(report.status, 0, report.stderr)

        let certified = try PipeboundBinary.run(["certify", model, "--stages", "3", "--partition", partition, "--node-limit", "20",
                                                 "--time-limit", "5", "--quiet", "--format", "json"])
        XCTAssertEqual(certified.status, 0, certified.stderr)
        let result = try XCTUnwrap(try CertificateFile.decode(Data(certified.stdout.utf8), file: "stdout").first)
        XCTAssertEqual(try XCTUnwrap(result.givenPartition).value, certificate.upperBound.value, accuracy: 1e-9)

        let table = try PipeboundBinary.run(["partition", model, "--stages", "3", "--method", "slice"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("times in us"), table.stdout)
        XCTAssertFalse(table.stdout.contains("e+"), "no exponents: \(table.stdout)")
        // Numbers are right-aligned: every stage row's memory figure ends where the header's "memory" ends.
        let lines = table.stdout.split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("stage  nodes") }, table.stdout)
        let end = header.distance(from: header.startIndex, to: try XCTUnwrap(header.range(of: "memory")).upperBound)
        let rows = lines.filter { $0.hasPrefix("    ") && $0.count >= end }
        XCTAssertEqual(rows.count, 3, table.stdout)
        for row in rows {
            let characters = Array(row)
            XCTAssertTrue(characters[end - 1].isNumber && (characters.count == end || characters[end] == " "), "misaligned: \(row)")
        }
    }

    /// `export-mip` writes the graph's own units by default: CBC's program solves the file to the
    /// bound `bound --method exact` proves (which is rounded down by its tolerance margin, under 0.01 %); with
    /// --scaled the objective times the printed scale is the same. Names follow nodes and stages.
    func testExportedModelSolvesToTheBoundWithTheCBCProgram() throws {
        guard let cbc = ["/usr/bin/cbc", "/usr/local/bin/cbc"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("the cbc program is not installed (make deps installs coinor-cbc)")
        }
        let model = PipeboundBinary.fixture("models/squeezenet.json")
        let graph = try TestModels.load(model)
        let bound = try PipeboundBinary.run(["bound", model, "--stages", "3", "--method", "exact", "--format", "json"])
        XCTAssertEqual(bound.status, 0, bound.stderr)
        let boundObject = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bound.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(boundObject["status"] as? String, "proved")
        let proven = try XCTUnwrap(boundObject["value"] as? Double)

        for scaled in [false, true] {
            let path = directory.appendingPathComponent(scaled ? "scaled.lp" : "plain.lp").path
            let export = try PipeboundBinary.run(["export-mip", model, "--stages", "3", "--formulation", "exact", "-o", path]
                                                 + (scaled ? ["--scaled"] : []))
            XCTAssertEqual(export.status, 0, export.stderr)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("\\ pipebound export-mip: graph squeezenet"), text)
            XCTAssertTrue(text.contains("k = 3, formulation exact"), text)
            XCTAssertTrue(text.contains("stage_0_cost") && text.contains("stage_2_cost"), "rows named after stages")
            let someNode = graph.nodes.map { ExportNamesForTest.sanitized($0.name) }.first { text.contains("y_\($0)_0") }
            XCTAssertNotNil(someNode, "columns named after nodes")
            var scale = 1.0
            if scaled {
                let printed = try XCTUnwrap(export.stdout.range(of: "scale ").map { export.stdout[$0.upperBound...] })
                scale = try XCTUnwrap(Double(printed.prefix { !$0.isWhitespace }), export.stdout)
                XCTAssertTrue(text.contains("scaled: costs are us divided by"), text)
            } else {
                XCTAssertTrue(text.contains("units: us (scale 1)"), text)
            }
            let objective = try Self.cbcObjective(program: cbc, file: path)
            XCTAssertEqual(objective * scale, proven, accuracy: 1e-4 * proven, "scaled \(scaled): CBC's objective is the bound, less its tolerance margin")
            XCTAssertGreaterThanOrEqual(objective * scale, proven, "the proven bound is rounded down, never up")
        }
    }

    /// `--value` and `--block` are refused where they mean nothing; `--block` counts from 0;
    /// `value-probe` still reads as `value-search`.
    func testExportOptionsAreCheckedBeforeRunning() throws {
        let model = PipeboundBinary.fixture("models/squeezenet.json")
        let lp = directory.appendingPathComponent("m.lp").path
        try assertRefused(["export-mip", model, "--stages", "3", "--formulation", "exact", "--value", "300", "-o", lp],
                          saying: ["--value applies to --formulation value-search only"])
        try assertRefused(["export-mip", model, "--stages", "3", "--formulation", "exact", "--block", "0", "-o", lp],
                          saying: ["--block applies to --formulation guess-block only"])
        try assertRefused(["export-mip", model, "--stages", "3", "--formulation", "guess-block", "--block", "3", "-o", lp],
                          saying: ["--block must be a stage in 0...2, not 3"])
        let first = try PipeboundBinary.run(["export-mip", model, "--stages", "3", "--formulation", "guess-block", "--block", "0", "-o", lp])
        XCTAssertEqual(first.status, 0, first.stderr)
        let probe = try PipeboundBinary.run(["export-mip", model, "--stages", "3", "--formulation", "value-probe", "--value", "300", "-o", lp])
        XCTAssertEqual(probe.status, 0, probe.stderr)
        XCTAssertTrue(probe.stdout.contains("value-search"), probe.stdout)
    }

    /// The objective CBC's program prints for an LP file.
    private static func cbcObjective(program: String, file: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = [file, "solve", "quit"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertTrue(output.contains("Optimal solution found"), output)
        let line = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("Objective value:") }, output)
        return try XCTUnwrap(Double(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)), String(line))
    }
}

/// The LP writer's name sanitising for plain names (letters, digits, `_`; others become `_`).
private enum ExportNamesForTest {
    static func sanitized(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }
}
