import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PipeCertify
import XCTest

/// `pipebound report` end to end.
final class ReportCommandTests: XCTestCase {
    func testSVGHTMLAndDOT() throws {
        let directory = try PipeboundBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = PipeboundBinary.fixture("models/squeezenet.json")
        let certificate = directory.appendingPathComponent("cert.json").path
        let certify = try PipeboundBinary.run(["certify", model, "--stages", "2,4", "--node-limit", "50", "--time-limit", "5",
                                               "--format", "json", "--quiet", "-o", certificate])
        XCTAssertEqual(certify.status, 0, certify.stderr)

        let svg = directory.appendingPathComponent("loads.svg").path
        let svgRun = try PipeboundBinary.run(["report", certificate, "-o", svg, "--stages", "4"])
        XCTAssertEqual(svgRun.status, 0, svgRun.stderr)
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(svgText.hasPrefix("<svg"))
        XCTAssertNotNil(try? XMLDocument(xmlString: svgText), "the SVG is well-formed XML")
        XCTAssertTrue(svgText.contains("UB ") && svgText.contains("LB ") && svgText.contains("comm in"))
        XCTAssertEqual(svgText.components(separatedBy: "<title>stage ").count - 1 >= 4, true, "a bar per stage")

        // Two certificates in the file: the SVG needs a choice.
        let ambiguous = try PipeboundBinary.run(["report", certificate, "-o", svg])
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssertTrue(ambiguous.stderr.contains("--stages"), ambiguous.stderr)

        let html = directory.appendingPathComponent("report.html").path
        let dot = directory.appendingPathComponent("graph.dot").path
        let htmlRun = try PipeboundBinary.run(["report", certificate, "-o", html, "--model", model, "--dot", dot, "--stages", "4"])
        XCTAssertEqual(htmlRun.status, 0, htmlRun.stderr)
        let htmlText = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(htmlText.contains("<svg") && htmlText.contains("coloured by stage") && htmlText.contains("stage 3"))
        // Graphviz lays the graph out when its `dot` program is installed (make deps); else the built-in drawing, with arrows.
        let hasGraphviz = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/dot") }
        XCTAssertTrue(hasGraphviz ? htmlText.contains("id=\"graph0\"") && htmlText.contains("class=\"edge\"")
                                  : htmlText.contains("url(#layered-arrow)"), "graph drawing (Graphviz: \(hasGraphviz))")
        let dotText = try String(contentsOfFile: dot, encoding: .utf8)
        XCTAssertTrue(dotText.hasPrefix("digraph"))
        XCTAssertEqual(dotText.components(separatedBy: " -> ").count - 1, 73, "every edge of squeezenet")
        XCTAssertEqual(dotText.components(separatedBy: "fillcolor=").count - 1, 66, "every node coloured")

        let wrongModel = try PipeboundBinary.run(["report", certificate, "-o", html, "--model",
                                                  PipeboundBinary.fixture("models/alexnet.json"), "--stages", "4"])
        XCTAssertEqual(wrongModel.status, 2)
        XCTAssertEqual(wrongModel.stderrLines.count, 1, wrongModel.stderr)
    }
}
