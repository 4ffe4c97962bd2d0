import Foundation
import XCTest
import PipeGraph
@testable import PipeImport

/// The importers read through the messages generated from onnx-ml.proto and TensorFlow's
/// cost_graph.proto (scripts/generate-protos.sh): models built with those messages, operators
/// added for Swin-style exports, and the text-format errors.
final class OnnxSchemaTests: XCTestCase {
    /// A value's declared type: float tensor of `shape`.
    static func tensorInfo(_ name: String, _ shape: [Int64]) -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType.elemType = 1
        info.type.tensorType.shape.dim = shape.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.dimValue = size
            return dimension
        }
        return info
    }

    /// An initializer with its elements.
    static func initializer(_ name: String, _ dims: [Int64], int64 values: [Int64]? = nil, float floats: [Float]? = nil) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims
        if let values { tensor.dataType = 7; tensor.int64Data = values }
        if let floats { tensor.dataType = 1; tensor.floatData = floats }
        return tensor
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.input = inputs
        node.output = outputs
        node.name = outputs[0]
        node.attribute = attributes
        return node
    }

    static func stringAttribute(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .string
        attribute.s = Data(value.utf8)
        return attribute
    }

    static func importGraph(_ graph: Onnx_GraphProto, opset: Int64 = 17) throws -> OnnxImport {
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.graph = graph
        var set = Onnx_OperatorSetIdProto()
        set.version = opset
        model.opsetImport = [set]
        return try OnnxImporter.importModel(try model.serializedBytes(), name: "test")
    }

    /// ScatterND on constants (a shape written in place, as torch exports `shape[0:2] = …`) is
    /// evaluated: the Reshape it feeds gets [2, 3], so the MatMul counts 2·3·4 MACs. On an
    /// activation it keeps the data's shape.
    func testScatterNDFoldsConstantsAndKeepsTheDataShape() throws {
        var graph = Onnx_GraphProto()
        graph.input = [Self.tensorInfo("x", [6]), Self.tensorInfo("y", [2, 5])]
        graph.initializer = [
            Self.initializer("target", [2], int64: [6, 1]), Self.initializer("indices", [2, 1], int64: [0, 1]),
            Self.initializer("sizes", [2], int64: [2, 3]), Self.initializer("w", [3, 4], float: [Float](repeating: 0.5, count: 12)),
            Self.initializer("rows", [1, 1], int64: [1]), Self.initializer("row", [1, 5], float: [1, 2, 3, 4, 5]),
        ]
        graph.node = [
            Self.node("ScatterND", ["target", "indices", "sizes"], ["shape"]),
            Self.node("Reshape", ["x", "shape"], ["matrix"]),
            Self.node("MatMul", ["matrix", "w"], ["product"]),
            Self.node("ScatterND", ["y", "rows", "row"], ["patched"]),
        ]
        graph.output = [Self.tensorInfo("product", [2, 4]), Self.tensorInfo("patched", [2, 5])]
        let result = try Self.importGraph(graph)
        XCTAssertEqual(result.graph.nodes.map(\.name), ["matrix", "product", "patched"], "the constant scatter folds")
        XCTAssertEqual(result.totalMACs, 2 * 3 * 4)
        let patched = try XCTUnwrap(result.graph.indexByName["patched"])
        XCTAssertEqual(result.outputBytes[patched], 2 * 5 * 4, "the output has the data's shape [2, 5]")

        graph.initializer[5] = Self.initializer("row", [1, 4], float: [1, 2, 3, 4])
        XCTAssertThrowsError(try Self.importGraph(graph)) { error in
            XCTAssertTrue("\(error)".contains("updates have shape [1, 4], expected [1, 5]"), "\(error)")
        }
    }

    /// Einsum: batched products with explicit and implicit outputs and `...` axes.
    func testEinsumShapesAndMACs() throws {
        let cases: [(equation: String, left: [Int64], right: [Int64], output: Double, macs: Double)] = [
            ("bij,bjk->bik", [2, 3, 4], [2, 4, 5], 2 * 3 * 5, 2 * 3 * 4 * 5),
            ("...ij,jk->...ik", [7, 3, 4], [4, 5], 7 * 3 * 5, 7 * 3 * 4 * 5),
            ("ij,jk", [3, 4], [4, 5], 3 * 5, 3 * 4 * 5),
            ("bhqd,bhkd->bhqk", [1, 2, 8, 16], [1, 2, 8, 16], 2 * 8 * 8, 2 * 8 * 8 * 16),
        ]
        for item in cases {
            var graph = Onnx_GraphProto()
            graph.input = [Self.tensorInfo("a", item.left)]
            graph.initializer = [Self.initializer("b", item.right, float: [Float](repeating: 1, count: Int(item.right.reduce(1, *))))]
            graph.node = [Self.node("Einsum", ["a", "b"], ["c"], attributes: [Self.stringAttribute("equation", item.equation)])]
            graph.output = [Self.tensorInfo("c", [])]
            let result = try Self.importGraph(graph)
            XCTAssertEqual(result.totalMACs, item.macs, item.equation)
            XCTAssertEqual(result.outputBytes[0], item.output * 4, item.equation)
        }
        var graph = Onnx_GraphProto()
        graph.input = [Self.tensorInfo("a", [3, 4])]
        graph.initializer = [Self.initializer("b", [5, 6], float: [Float](repeating: 1, count: 30))]
        graph.node = [Self.node("Einsum", ["a", "b"], ["c"], attributes: [Self.stringAttribute("equation", "ij,jk->ik")])]
        XCTAssertThrowsError(try Self.importGraph(graph)) { error in
            XCTAssertTrue("\(error)".contains("letter 'j' has sizes 4 and 5"), "\(error)")
        }
    }

    /// An `If` with its branches (GRAPH attributes, dropped by the old hand-written messages) is
    /// decoded whole and imported as one node (OnnxControlFlowTests has the costing rules).
    func testSubgraphOperatorsAreDecodedWhole() throws {
        var branch = Onnx_GraphProto()
        branch.node = [Self.node("Relu", ["x"], ["branch_out"])]
        branch.output = [Self.tensorInfo("branch_out", [4])]
        var thenBranch = Onnx_AttributeProto(), elseBranch = Onnx_AttributeProto()
        thenBranch.name = "then_branch"; thenBranch.type = .graph; thenBranch.g = branch
        elseBranch.name = "else_branch"; elseBranch.type = .graph; elseBranch.g = branch
        var graph = Onnx_GraphProto()
        graph.input = [Self.tensorInfo("x", [4]), Self.tensorInfo("flag", [])]
        graph.node = [Self.node("If", ["flag"], ["y"], attributes: [thenBranch, elseBranch])]
        graph.output = [Self.tensorInfo("y", [4])]
        var model = Onnx_ModelProto()
        model.graph = graph
        let decoded = try Onnx_ModelProto(serializedBytes: try model.serializedBytes() as [UInt8])
        XCTAssertEqual(decoded.graph.node[0].attribute.map { $0.g.node.map(\.opType) }, [["Relu"], ["Relu"]])
        XCTAssertEqual(try Self.importGraph(graph).graph.nodes.map(\.op), ["If"])
    }

    /// CostGraphDef text through the generated messages: a RunMetadata around it (its other
    /// fields skipped), nodes without ids numbered by position, errors with their line.
    func testCostGraphTextSchemaAndErrors() throws {
        let wrapped = """
            step_stats { dev_stats { device: "/cpu:0" node_stats { node_name: "a" all_start_micros: 5 } } }
            cost_graph {
              node { name: "a" compute_cost: 4 output_info { size: 1200 } temporary_memory_size: 64 }
              node { name: "b" compute_cost: 6 input_info { preceding_node: 0 } inaccurate: true }
            }
            """
        let graph = try CostGraphImporter.decode(Data(wrapped.utf8), name: "wrapped")
        XCTAssertEqual(graph.nodes.map(\.name), ["a", "b"])
        XCTAssertEqual(graph.nodes.map(\.work), [4, 6])
        XCTAssertEqual(graph.edges.map { [$0.0, $0.1] }, [[0, 1]])

        let failures: [(text: String, message: String)] = [
            ("node {\n  name: \"a\"\n  compute_cost: 2.5\n}\n", "line 3: field 'compute_cost' cannot hold '2.5'"),
            ("node {\n  name: \"a\"\n  input_info {\n    preceding_node: 1\n", "line 3: this '{' is not closed"),
            ("node { name: \"a\" }\nnode { name: \"b\" output_info { dtype: DT_NOT_A_TYPE } }\n", "line 2: unknown enum value"),
            ("node { name: \"a\" id: 3 }\nnode { name: \"b\" id: 3 }\n", "node 'b': duplicate node id 3"),
            ("node { name: \"a\" compute_cost: -3 }\n", "node 'a': compute_cost -3 is negative"),
        ]
        for failure in failures {
            XCTAssertThrowsError(try CostGraphImporter.decode(Data(failure.text.utf8), name: "bad"), failure.message) { error in
                XCTAssertTrue("\(error)".contains(failure.message), "\(error) should contain \(failure.message)")
            }
        }
    }

    /// dnn-partitioning files do not say their time unit.
    func testDnnPartitioningUnitIsNotClaimed() throws {
        let text = #"{"nodes": [{"id": 1, "fpgaLatency": 2}, {"id": 2, "fpgaLatency": 3}], "edges": [{"sourceId": 1, "destId": 2, "cost": 1}]}"#
        let graph = try DnnPartitioningImporter.decode(Data(text.utf8), name: "tiny")
        XCTAssertEqual(graph.units.time, "units as in the file")
    }
}
