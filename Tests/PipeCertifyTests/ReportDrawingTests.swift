import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PipeCertify
import PipeGraph
import PipeImport
import XCTest
import PipeTestSupport

/// The drawings and tables people read: stage colours, arrows, size on large graphs, wrapped details.
final class ReportDrawingTests: XCTestCase {
    /// Neighbouring stages never share a hue (at least 60° apart), the first twelve stages have
    /// twelve different hues, and the palette never repeats a colour within 36 stages.
    func testNeighbouringStagesHaveDistinctHues() {
        func distance(_ a: Double, _ b: Double) -> Double { min(abs(a - b), 360 - abs(a - b)) }
        for stage in 0..<64 {
            XCTAssertGreaterThanOrEqual(distance(StagePalette.hue(forStage: stage), StagePalette.hue(forStage: stage + 1)), 60, "stages \(stage), \(stage + 1)")
        }
        let firstTwelve = (0..<12).map(StagePalette.hue(forStage:))
        for i in 0..<12 {
            for j in (i + 1)..<12 {
                XCTAssertGreaterThanOrEqual(distance(firstTwelve[i], firstTwelve[j]), 30, "stages \(i), \(j)")
            }
        }
        XCTAssertEqual(Set((0..<36).map(StagePalette.color(forStage:))).count, 36)
    }

    /// A 1,000-node layered graph: the built-in drawing has an arrow on every edge and stays
    /// well under a megabyte; Graphviz's, when installed, stays under two.
    func testLargeGraphDrawingsStaySmall() throws {
        let graph = try SyntheticGraphs.generate(specification: "layered:1000:1")
        XCTAssertGreaterThanOrEqual(graph.nodeCount, 1000)
        // Eight stages in topological order: a valid partition without a memory cap.
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        for (position, node) in graph.topologicalOrder.enumerated() { stageOf[node] = position * 8 / graph.nodeCount }
        let partition = Partition(stageCount: 8, stageOf: stageOf)

        let layered = try XCTUnwrap(LayeredDrawing.svg(graph: graph, partition: partition))
        XCTAssertNotNil(try? XMLDocument(xmlString: layered), "well-formed SVG")
        XCTAssertTrue(layered.contains("marker-end=\"url(#layered-arrow)\""), "edges end in arrows")
        XCTAssertEqual(layered.components(separatedBy: "<line ").count - 1, graph.edgeCount)
        XCTAssertLessThan(layered.utf8.count, 1_000_000, "built-in drawing of \(graph.nodeCount) nodes: \(layered.utf8.count) bytes")

        guard let graphviz = StageDot.renderWithGraphviz(StageDot.dot(graph: graph, partition: partition)) else { return }
        XCTAssertTrue(graphviz.hasPrefix("<svg") && !graphviz.contains("<!--"), "Graphviz's SVG without its comments")
        XCTAssertNotNil(try? XMLDocument(xmlString: graphviz), "well-formed SVG")
        XCTAssertLessThan(graphviz.utf8.count, 2_000_000, "Graphviz drawing of \(graph.nodeCount) nodes: \(graphviz.utf8.count) bytes")
    }

    /// A long detail wraps onto continuation rows, every word kept; nothing is cut mid-word.
    func testLongDetailsWrapInsteadOfBeingCut() throws {
        let words = (1...40).map { "word\($0)" }
        let detail = words.joined(separator: " ")
        let lines = TextTable.wrapped(detail, width: 70)
        XCTAssertGreaterThan(lines.count, 1)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 70 })
        XCTAssertEqual(lines.joined(separator: " "), detail)
        XCTAssertEqual(TextTable.wrapped(String(repeating: "x", count: 100), width: 70), [String(repeating: "x", count: 69) + "…"])

        let graph = RandomGraphs.smallDAG(nodeCount: 6, seed: 1)
        let partition = Partition(stageCount: 1, stageOf: [Int](repeating: 0, count: 6))
        var certificate = Certificate(graph: graph, partition: partition, upperMethod: "slice", solver: "cbc",
                                      bounds: [BoundRecord(method: "exact", kind: .lower, value: 0, status: .limit, seconds: 0, detail: detail)],
                                      seconds: 0)
        let table = CertificateRendering.table(certificate)
        for word in words { XCTAssertTrue(table.contains(" \(word)"), "\(word) missing: \(table)") }
        XCTAssertFalse(table.contains("interrupted"))
        certificate.interrupted = true
        XCTAssertTrue(CertificateRendering.table(certificate).contains("status       interrupted"))
        let json = try CertificateRendering.json([certificate])
        XCTAssertTrue(json.contains("\"interrupted\" : true"), json)
        XCTAssertEqual(try CertificateFile.decode(Data(json.utf8), file: "json").first?.interrupted, true)
        XCTAssertFalse(try CertificateRendering.json([Certificate(graph: graph, partition: partition, upperMethod: "slice", solver: "cbc",
                                                                  bounds: [], seconds: 0)]).contains("interrupted"))
        // The status encodes as the strings of certificate version 1.
        XCTAssertTrue(json.contains("\"status\" : \"limit\""), json)
    }
}
