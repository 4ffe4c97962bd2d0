import Foundation
import XCTest
import PipeGraph
@testable import PipeImport
import PipeTestSupport

/// Random corruptions of real inputs never crash the readers (errors are fine).
final class FuzzTests: XCTestCase {
    func testTenThousandMutationsNeverCrash() throws {
        let sources = ["onnx/opset9-cnn.onnx", "onnx/opset13-torch-shapes.onnx", "models/alexnet.json", "models/synthetic-layered-10.json"]
            .map { try! Data(contentsOf: URL(fileURLWithPath: FixturePaths.path($0))) }
            + [Data(#"{"maxSizePerFPGA": 9, "nodes": [{"id": 1, "fpgaLatency": 2, "size": 1}, {"id": 2, "fpgaLatency": 1, "size": 1}], "edges": [{"sourceId": 1, "destId": 2, "cost": 1}]}"#.utf8),
               Data("node { name: \"a\" id: 0 compute_cost: 3 output_info { size: 8 } }\nnode { name: \"b\" id: 1 input_info { preceding_node: 0 } compute_cost: 1 }\n".utf8)]
        let replacements = ["null", "1e400", "-1", "\"x\"", "[]", "{}", "true", "0", "NaN", "\"a\"", "99999999999999999999"].map { Array($0.utf8) }
        var random = SeededGenerator(seed: 2024)
        var loaded = 0, rejected = 0
        for iteration in 0..<10_000 {
            var bytes = [UInt8](sources[iteration % sources.count])
            let mutations = 1 + Int(random.nextUnit() * 3)
            for _ in 0..<mutations where !bytes.isEmpty {
                let position = Int(random.nextUnit() * Double(bytes.count))
                switch Int(random.nextUnit() * 5) {
                case 0: bytes[position] ^= UInt8(1 << Int(random.nextUnit() * 8))
                case 1: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 2: bytes.removeSubrange(position...)
                case 3:
                    // Swap a JSON/text value: replace the token at a digit or quote with another value.
                    guard let start = bytes[position...].firstIndex(where: { (0x30...0x39).contains($0) || $0 == 0x22 }) else { break }
                    let end = bytes[(start + 1)...].firstIndex(where: { [0x2C, 0x7D, 0x5D, 0x20, 0x0A].contains($0) }) ?? bytes.count
                    bytes.replaceSubrange(start..<end, with: replacements[Int(random.nextUnit() * Double(replacements.count))])
                default:
                    bytes.insert(contentsOf: (0..<Int(random.nextUnit() * 4)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: position)
                }
            }
            let data = Data(bytes)
            do {
                let graph = try ModelFormat.detect(data, path: "fuzz").load(data, name: "fuzz", profile: CostProfile())
                XCTAssertGreaterThan(graph.nodeCount, 0)
                loaded += 1
            } catch is GraphError {
                rejected += 1
            }
        }
        XCTAssertEqual(loaded + rejected, 10_000)
        XCTAssertGreaterThan(rejected, 1000, "most corruptions are caught")
        XCTAssertGreaterThan(loaded, 100, "some corruptions still describe a valid graph")
    }
}
