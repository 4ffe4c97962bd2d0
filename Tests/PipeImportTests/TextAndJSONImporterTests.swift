import Foundation
import XCTest
import PipeGraph
@testable import PipeImport
import PipeTestSupport

final class TextAndJSONImporterTests: XCTestCase {
    func testDnnPartitioningJSON() throws {
        let text = """
            {"maxSizePerFPGA": 100, "maxFPGAs": 2, "maxCPUs": 1,
             "nodes": [{"id": 1, "fpgaLatency": 2.5, "cpuLatency": 9, "size": 10, "colorClass": 0, "isBackwardNode": 0},
                       {"id": 2, "fpgaLatency": 1, "size": 5, "colorClass": 0, "isBackwardNode": 0},
                       {"id": "3", "fpgaLatency": 4, "size": 0, "colorClass": null}],
             "edges": [{"sourceId": 1, "destId": 2, "cost": 0.5}, {"sourceId": 1, "destId": 3, "cost": 0.7},
                       {"sourceId": 2, "destId": 3, "cost": 0.1}]}
            """
        let data = Data(text.utf8)
        XCTAssertEqual(try ModelFormat.detect(data, path: "input.json"), .dnnPartitioning)
        let graph = try DnnPartitioningImporter.decode(data, name: "tiny")
        XCTAssertEqual(graph.nodes.map(\.name), ["1", "2", "3"])
        XCTAssertEqual(graph.nodes.map(\.work), [2.5, 1, 4])
        XCTAssertEqual(graph.nodes.map(\.comm), [0.7, 0.1, 0], "comm = the largest out-edge cost")
        XCTAssertEqual(graph.nodes.map(\.memory), [10, 5, 0])
        XCTAssertEqual(graph.nodes.map(\.group), ["color0", "color0", nil])
        XCTAssertEqual(graph.stageMemory, 100)
        XCTAssertEqual(graph.edgeCount, 3)
    }

    func testCostGraphText() throws {
        let text = """
            # REGAL-style cost graph, wrapped as in RunMetadata
            cost_graph {
              node {
                name: "input" id: 0
                output_info { size: 4000 alias_input_port: -1 }
                compute_cost: 3
              }
              node <
                name: 'conv'
                id: 1
                input_info { preceding_node: 0 preceding_port: 0 }
                output_info { size: 12000000 dtype: DT_FLOAT shape { dim { size: 3 } } }
                output_info { size: 12000000 }
                compute_cost: 120
                persistent_memory_size: 4096
              >
              node {
                name: "out"
                id: 2
                input_info: { preceding_node: 1 }
                control_input: 0
                compute_cost: 7
              }
            }
            """
        let data = Data(text.utf8)
        XCTAssertEqual(try ModelFormat.detect(data, path: "graph.txt"), .costGraph)
        let graph = try CostGraphImporter.decode(data, name: "cg")
        XCTAssertEqual(graph.nodes.map(\.name), ["input", "conv", "out"])
        XCTAssertEqual(graph.nodes.map(\.work), [3, 120, 7])
        XCTAssertEqual(graph.nodes[1].memory, 4096)
        // comm = 10 us + bytes / 12 GB/s: conv has two outputs of 12 MB.
        XCTAssertEqual(graph.nodes[1].comm, 10 + 24e6 / 12e9 * 1e6, accuracy: 1e-9)
        XCTAssertEqual(graph.nodes[2].comm, 0, "no outputs, nothing to send")
        XCTAssertEqual(graph.edges.map { [$0.0, $0.1] }, [[0, 1], [0, 2], [1, 2]], "data and control edges")
    }

    func testSyntheticGeneratorsAreSeededAndSized() throws {
        for kind in SyntheticGraphs.Kind.allCases {
            let first = try SyntheticGraphs.generate(kind, nodeCount: 300, seed: 9)
            let again = try SyntheticGraphs.generate(kind, nodeCount: 300, seed: 9)
            let other = try SyntheticGraphs.generate(kind, nodeCount: 300, seed: 10)
            XCTAssertEqual(try GraphFile.encode(first), try GraphFile.encode(again), "\(kind)")
            if kind == .transformer {
                XCTAssertEqual(first.nodeCount, 2 + 14 * 22, "whole blocks of 14 nodes")
            } else {
                XCTAssertEqual(first.nodeCount, 300, "\(kind)")
                XCTAssertNotEqual(try GraphFile.encode(first), try GraphFile.encode(other), "\(kind)")
            }
        }
        XCTAssertEqual(try SyntheticGraphs.generate(.chain, nodeCount: 50, seed: 1).statistics.depth, 50)
        XCTAssertThrowsError(try SyntheticGraphs.generate(specification: "spiral:10:1"))
        XCTAssertThrowsError(try SyntheticGraphs.generate(specification: "chain:1:1"))
    }

    /// Every file of the malformed corpus fails with one line naming the file and the problem.
    func testMalformedCorpus() throws {
        let expected: [String: String] = [
            "bad-number.pbtxt": "'lots' is not a finite number", "cycle.json": "cycle: ", "dnn-missing-latency.json": "nodes[0].fpgaLatency: missing",
            "dnn-unknown-edge.json": "unknown node '9'", "dnn-wrong-type.json": "expected a number, found a string",
            "duplicate-name.json": "duplicate node name 'a'", "empty-file.json": "the file is empty", "empty-graph.json": "no nodes",
            "huge-number.json": "1e400", "missing-field.json": "missing field 'comm'", "nan.json": "not valid JSON",
            "negative-work.json": "work is negative", "nodes-not-array.json": "nodes: expected an array",
            "not-a-model.txt": "unrecognised format",
            "self-loop.json": "self-loop on node 'a'", "shape-mismatch.onnx": "node 'bad_matmul' (MatMul): shapes [2, 3] and [4, 5]",
            "truncated.json": "not valid JSON", "truncated.onnx": "truncated", "unknown-node.json": "unknown node 'ghost'",
            "unknown-op.onnx": "operator 'FancyOp'", "unknown-preceding-node.pbtxt": "unknown node id 7",
            "unterminated.pbtxt": "not closed", "wrong-type.json": "nodes[0].work: expected a number",
            "wrong-version.json": "version", "zero-stage-memory.json": "stage_memory",
            "duplicate-key.json": "nodes[0]: duplicate key 'work'", "dnn-duplicate-key.json": "nodes[0]: duplicate key 'fpgaLatency'",
            "null-memory.json": "nodes[0].memory: null is not a number", "dnn-null-size.json": "nodes[0].size: null is not a number",
            "overflowing-total.json": "the total of work and comm (inf) exceeds 1e+300",
        ]
        let files = FixturePaths.files(in: "malformed")
        XCTAssertEqual(Set(files.map { URL(fileURLWithPath: $0).lastPathComponent }), Set(expected.keys))
        for file in files {
            let name = URL(fileURLWithPath: file).lastPathComponent
            do {
                _ = try ModelLoader.load(path: file)
                XCTFail("\(name) loaded")
            } catch let error as InputError {
                XCTAssertEqual(error.file, file)
                XCTAssertFalse(error.problem.contains("\n"), "\(name): \(error.problem)")
                XCTAssertTrue(error.problem.contains(expected[name] ?? "?"), "\(name): \(error.problem)")
            }
        }
    }
}
