import Foundation
import XCTest
import PipeGraph
@testable import PipeImport
import PipeTestSupport

final class OnnxImporterTests: XCTestCase {
    /// Compute nodes of each light model: the ONNX nodes that depend on the image input
    /// (counted with the onnx Python package: total minus the ConstantOfShape weight generators
    /// and the Unsqueeze nodes that reshape batch-norm weights).
    static let computeNodeCounts = [
        "alexnet": 24, "densenet121": 668, "inception_v1": 143, "inception_v2": 371, "resnet50": 176,
        "shufflenet": 203, "squeezenet": 66, "vgg19": 46, "zfnet512": 22,
    ]

    /// Published multiply-accumulate counts at 224 × 224 with the tolerance we hold them to:
    /// ResNet-50 4.1 G (torchvision / He et al. with stride on the 3 × 3), VGG-19 19.6 G
    /// (Simonyan & Zisserman), DenseNet-121 2.87 G (Huang et al.), GoogLeNet "1.5 billion
    /// multiply-adds" (Szegedy et al.), BN-Inception ≈ 2.0 G (Ioffe & Szegedy), SqueezeNet 1.1 0.35 G
    /// (the SqueezeNet repository: 2.4× less than v1.0's 0.86 G).
    static let publishedMACs: [String: (value: Double, tolerance: Double)] = [
        "resnet50": (4.1e9, 0.03), "vgg19": (19.6e9, 0.02), "densenet121": (2.87e9, 0.03),
        "inception_v1": (1.5e9, 0.05), "inception_v2": (2.0e9, 0.03), "squeezenet": (0.35e9, 0.03),
    ]

    private func imported(_ name: String, profile: CostProfile = CostProfile()) throws -> OnnxImport {
        let model = try ModelLoader.importModel(path: FixturePaths.path("onnx/\(name).onnx"), profile: profile)
        XCTAssertEqual(model.format, .onnx)
        return try XCTUnwrap(model.onnx)
    }

    func testOpset9AttributeFormsWithHandCountedCosts() throws {
        let result = try imported("opset9-cnn")
        let graph = result.graph
        XCTAssertEqual(graph.nodeCount, 14)
        XCTAssertEqual(result.foldedNodeCount, 0)
        // Conv [1,3,10,10] * [4,3,3,3] → [1,4,8,8]: 4·64 outputs × 27 = 6912 MACs; Gemm 64 → 10: 640.
        XCTAssertEqual(result.totalMACs, 7552)
        let conv = try XCTUnwrap(graph.indexByName["conv1"])
        XCTAssertEqual(result.macs[conv], 6912)
        XCTAssertEqual(result.flops[conv], 2 * 6912 + 256, "multiply-add = 2 FLOPs, plus the bias add per output")
        // Parameter memory: conv weight 108 + bias 4 floats; Gemm 640 + 10 floats.
        XCTAssertEqual(graph.nodes[conv].memory, 112 * 4)
        XCTAssertEqual(graph.nodes[graph.indexByName["fc"]!].memory, 650 * 4)
        // Upsample's scales and the like configure the operator: no memory.
        XCTAssertEqual(graph.nodes[graph.indexByName["upsample"]!].memory, 0, "Upsample's scales input configures it")
        // comm = 10 us latency + 1024 bytes / 12 GB/s.
        XCTAssertEqual(graph.nodes[conv].comm, 10 + 1024 / 12e9 * 1e6, accuracy: 1e-9)
        // work = 5 us overhead + max(FLOPs / (15.7 T × 0.5), bytes / (900 G × 0.7)).
        let bytes = Double(3 * 100 + 112 + 256) * 4
        let expected = 5 + max(result.flops[conv] / 7.85e12, bytes / 630e9) * 1e6
        XCTAssertEqual(graph.nodes[conv].work, expected, accuracy: 1e-9)
        // View operators cost nothing.
        XCTAssertEqual(graph.nodes[graph.indexByName["flatten"]!].work, 0)
        XCTAssertEqual(graph.edgeCount, 13)
    }

    func testTorchStyleShapeSubgraphFolds() throws {
        let result = try imported("opset13-torch-shapes")
        XCTAssertEqual(result.opset, 13)
        XCTAssertEqual(result.foldedNodeCount, 4, "Shape, Gather, Unsqueeze and Concat fold to the constant [batch, -1]")
        XCTAssertNil(result.graph.indexByName["shape"])
        // Batch 1: Conv [1,8,4,4] × 27 = 3456 MACs, MatMul [1,16]·[16,5] = 80.
        XCTAssertEqual(result.totalMACs, 3536)
        XCTAssertTrue(result.graph.successors[result.graph.indexByName["relu"]!].contains(result.graph.indexByName["reshape"]!))
        // The profile sizes the symbolic batch dimension: batch 2 doubles the convolution and the product.
        var profile = CostProfile()
        profile.dimensionValues = ["batch": 2]
        XCTAssertEqual(try imported("opset13-torch-shapes", profile: profile).totalMACs, 7072)
    }

    func testTransformerBlock() throws {
        let result = try imported("transformer-block")
        XCTAssertEqual(result.graph.nodeCount, 28)
        // Projections 4 × 16·32·32, attention 2 × 4 heads · 16·16·8, feed-forward 2 × 16·32·64.
        let projections: Double = 4 * 16384, attention: Double = 2 * 8192, feedForward: Double = 2 * 32768
        XCTAssertEqual(result.totalMACs, projections + attention + feedForward)
        XCTAssertEqual(result.graph.nodes[result.graph.indexByName["q_proj"]!].memory, 32 * 32 * 4)
    }

    /// A model exported by torch.onnx.export (opset 14, dynamic batch): 150 ONNX nodes.
    func testTorchExport() throws {
        let result = try imported("torch-small")
        XCTAssertEqual(result.onnxNodeCount, 150)
        // Conv 16·16·16 × 27; encoder in-projection 64·16·48, scores and context 2 × 4·64·64·4,
        // out-projection 64·16·16, feed-forward 2 × 64·16·32; head 16·10.
        let convolution: Double = 110_592, inProjection: Double = 49_152, attention: Double = 2 * 65_536
        let outProjection: Double = 16_384, feedForward: Double = 2 * 32_768, head: Double = 160
        XCTAssertEqual(result.totalMACs, convolution + inProjection + attention + outProjection + feedForward + head)
        XCTAssertNoThrow(try GraphFile.decode(try GraphFile.encode(result.graph)))
    }

    func testCommittedLightModelFixturesAgainstPublishedFigures() throws {
        struct Manifest: Decodable { var models: [String: [String: Double]] }
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: FixturePaths.path("models/manifest.json"))))
        for (name, expectedNodes) in Self.computeNodeCounts {
            let graph = try ModelLoader.load(path: FixturePaths.path("models/\(name).json"))
            XCTAssertEqual(graph.nodeCount, expectedNodes, name)
            XCTAssertEqual(graph.name, name)
            XCTAssertGreaterThan(graph.totalWork, 0)
            let entry = try XCTUnwrap(manifest.models[name], name)
            XCTAssertEqual(entry["nodes"], Double(expectedNodes), name)
            XCTAssertEqual(entry["edges"], Double(graph.edgeCount), name)
            if let (published, tolerance) = Self.publishedMACs[name] {
                let macs = try XCTUnwrap(entry["macs"])
                XCTAssertEqual(macs / published, 1, accuracy: tolerance, "\(name): \(macs) MACs vs published \(published)")
            }
        }
    }

    /// With the wheel cache from `make fixtures`: the .onnx files import to exactly the committed
    /// fixtures, and the compute nodes are those that depend on the graph input.
    func testLightModelsImportDirectlyWhenCached() throws {
        let directory = FixturePaths.lightModelDirectory
        guard FileManager.default.fileExists(atPath: directory) else { throw XCTSkip("no ONNX cache; run make fixtures") }
        for (name, expectedNodes) in Self.computeNodeCounts {
            let file = name == "alexnet" ? "light_bvlc_alexnet" : "light_\(name)"
            let path = "\(directory)/\(file).onnx"
            var model = try ModelLoader.importModel(path: path)
            model.graph.name = name
            XCTAssertEqual(model.graph.nodeCount, expectedNodes, name)
            XCTAssertEqual(try Self.nodesDependingOnInputs(path), expectedNodes, name)
            let committed = try Data(contentsOf: URL(fileURLWithPath: FixturePaths.path("models/\(name).json")))
            XCTAssertEqual(try GraphFile.encode(model.graph) + Data("\n".utf8), committed, "\(name): regenerate with make fixtures")
        }
    }

    /// Counts ONNX nodes reachable from a real graph input, independently of the importer's folding.
    static func nodesDependingOnInputs(_ path: String) throws -> Int {
        let model = try Onnx_ModelProto(serializedBytes: Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertTrue(model.hasGraph)
        let graph = model.graph
        let initializers = Set(graph.initializer.map(\.name))
        var live = Set(graph.input.map(\.name).filter { !initializers.contains($0) })
        var count = 0
        for node in graph.node where node.input.contains(where: live.contains) {
            count += 1
            live.formUnion(node.output)
        }
        return count
    }

    func testProfileOverridesAndRejectsNonsense() throws {
        let profile = try CostProfile.decode(Data(#"{"link_bandwidth": 24e9, "bytes_per_element": 2}"#.utf8))
        XCTAssertEqual(profile.linkBandwidth, 24e9)
        XCTAssertEqual(profile.bytesPerElement, 2)
        XCTAssertEqual(profile.deviceFlops, 15.7e12, "unset fields keep their defaults")
        XCTAssertEqual(profile.commMicroseconds(bytes: 24e3), 10 + 1)
        XCTAssertThrowsError(try CostProfile.decode(Data(#"{"link_bandwith": 1}"#.utf8))) { XCTAssertTrue("\($0)".contains("unknown profile field 'link_bandwith'")) }
        XCTAssertThrowsError(try CostProfile.decode(Data(#"{"device_flops": 0}"#.utf8))) { XCTAssertTrue("\($0)".contains("device_flops")) }
        XCTAssertThrowsError(try CostProfile.decode(Data(#"{"device_flops": "fast"}"#.utf8))) { XCTAssertTrue("\($0)".contains("expected a number"), "\($0)") }
        // fp16 halves every transfer's byte count.
        let half = try imported("opset9-cnn", profile: profile)
        XCTAssertEqual(half.outputBytes[half.graph.indexByName["conv1"]!], 512)
    }
}
