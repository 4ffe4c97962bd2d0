import Foundation
import XCTest
@testable import PipeGraph
import PipeTestSupport

final class GraphFileTests: XCTestCase {
    func testRoundTripKeepsEverything() throws {
        var options = RandomGraphs.Options()
        options.memoryRange = 0...100
        options.memoryCapFraction = 0.5
        options.groupProbability = 0.5
        options.integerCosts = false
        for seed in 0..<20 {
            let graph = RandomGraphs.smallDAG(nodeCount: 12, seed: UInt64(seed), options: options)
            let decoded = try GraphFile.decode(try GraphFile.encode(graph))
            XCTAssertEqual(decoded.name, graph.name)
            XCTAssertEqual(decoded.nodes, graph.nodes, "costs survive exactly (shortest round-trip decimal)")
            XCTAssertEqual(decoded.successors, graph.successors)
            XCTAssertEqual(decoded.stageMemory, graph.stageMemory)
            XCTAssertEqual(decoded.groupOf, graph.groupOf)
            XCTAssertEqual(try GraphFile.encode(decoded), try GraphFile.encode(graph), "encoding is stable")
        }
    }

    func testTheDocumentedExampleReads() throws {
        let text = """
            {"format": "pipebound.graph", "version": 1, "name": "resnet50",
             "units": {"time": "us", "memory": "bytes"},
             "stage_memory": 17179869184,
             "nodes": [{"name": "conv1", "op": "Conv", "work": 12.5, "comm": 0.8, "memory": 37632, "group": "g1"},
                       {"name": "relu1", "work": 1, "comm": 0.8}],
             "edges": [["conv1", "relu1"]]}
            """
        let graph = try GraphFile.decode(Data(text.utf8))
        XCTAssertEqual(graph.nodes[0], Node(name: "conv1", op: "Conv", work: 12.5, comm: 0.8, memory: 37632, group: "g1"))
        XCTAssertEqual(graph.nodes[1], Node(name: "relu1", op: "", work: 1, comm: 0.8, memory: 0))
        XCTAssertEqual(graph.stageMemory, 17179869184)
        XCTAssertEqual(graph.edges.map { [$0.0, $0.1] }, [[0, 1]])
        XCTAssertTrue(GraphFile.looksNative(Data(text.utf8)))
        XCTAssertFalse(GraphFile.looksNative(Data("[\"pipebound.graph\"]".utf8)))
    }

    func testDecodingErrorsNameThePlace() {
        func problem(_ text: String) -> String {
            do {
                _ = try GraphFile.decode(Data(text.utf8))
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let head = "\"format\": \"pipebound.graph\", \"version\": 1, \"name\": \"x\""
        XCTAssertEqual(problem("{\(head), \"nodes\": [{\"name\": \"a\", \"work\": true, \"comm\": 0}], \"edges\": []}"), "nodes[0].work: expected a number")
        XCTAssertEqual(problem("{\(head), \"nodes\": [{\"name\": \"a\", \"work\": 1}], \"edges\": []}"), "nodes[0].comm: missing field 'comm'")
        XCTAssertEqual(problem("{\(head), \"nodes\": [{\"name\": \"a\", \"work\": 1, \"comm\": 0}], \"edges\": [[\"a\"]]}"),
                       "edges[0]: expected [producer, consumer], found 1 names")
        XCTAssertTrue(problem("{\(head), \"nodes\": [{\"name\": \"a\", \"work\": 1e400, \"comm\": 0}], \"edges\": []}").hasPrefix("not valid JSON"))
        XCTAssertTrue(problem("{\(head), \"nodes\": [").hasPrefix("not valid JSON"))
        XCTAssertEqual(problem("{\"format\": \"other\", \"version\": 1, \"name\": \"x\", \"nodes\": [], \"edges\": []}"),
                       "field 'format' is 'other', expected 'pipebound.graph'")
    }

    /// A key repeated within one object is named with its place, escapes decoded; the same key in
    /// different objects, and key-like strings among values, are fine.
    func testDuplicateKeysAreFoundWhereverTheyAre() {
        XCTAssertNil(JSONDuplicateKeys.firstDuplicate(in: Data(#"{"a": {"x": 1}, "b": {"x": "a"}, "c": ["a", "a"]}"#.utf8)))
        XCTAssertEqual(JSONDuplicateKeys.firstDuplicate(in: Data(#"{"a": 1, "b": 2, "a": 3}"#.utf8)), "top level: duplicate key 'a'")
        XCTAssertEqual(JSONDuplicateKeys.firstDuplicate(in: Data(#"{"nodes": [{"w": 1}, {"work": 1, "w\u006frk": 2}]}"#.utf8)),
                       "nodes[1]: duplicate key 'work'")
        XCTAssertEqual(JSONDuplicateKeys.firstDuplicate(in: Data(#"{"g": {"h": [0, {"k\"": 1, "k\"": 2}]}}"#.utf8)),
                       "g.h[1]: duplicate key 'k\"'")
    }
}
