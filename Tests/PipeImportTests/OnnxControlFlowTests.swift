import Foundation
import XCTest
import PipeGraph
@testable import PipeImport

/// Model-local functions and the control-flow operators (docs/importers.md, "Functions and control
/// flow"), on hand-built models: one test per rule.
final class OnnxControlFlowTests: XCTestCase {
    typealias Schema = OnnxSchemaTests

    /// A GRAPH attribute.
    static func graphAttribute(_ name: String, _ graph: Onnx_GraphProto) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .graph
        attribute.g = graph
        return attribute
    }

    static func intsAttribute(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values
        return attribute
    }

    /// An 8 × 8 float weight named `name`.
    static func weight(_ name: String = "w") -> Onnx_TensorProto {
        Schema.initializer(name, [8, 8], float: (0..<64).map { Float($0) })
    }

    /// A graph with input `x` [4, 8] and the given nodes, output `output`.
    static func graph(_ nodes: [Onnx_NodeProto], output: String, shape: [Int64] = [4, 8],
                      initializers: [Onnx_TensorProto] = [weight()], inputs: [Onnx_ValueInfoProto] = []) -> Onnx_GraphProto {
        var graph = Onnx_GraphProto()
        graph.input = [Schema.tensorInfo("x", [4, 8])] + inputs
        graph.initializer = initializers
        graph.node = nodes
        graph.output = [Schema.tensorInfo(output, shape)]
        return graph
    }

    /// The work the importer gives one `MatMul` of x [4, 8] by an 8 × 8 weight, as a graph of its own.
    static func matMulWork() throws -> Double {
        try Schema.importGraph(graph([Schema.node("MatMul", ["x", "w"], ["y"])], output: "y")).graph.nodes[0].work
    }

    /// A call of a model-local function becomes the function's nodes, renamed under the caller, with
    /// attribute references bound to the caller's attributes; a function that calls itself is refused.
    func testModelLocalFunctionsAreInlined() throws {
        var function = Onnx_FunctionProto()
        function.name = "ProjectT"
        function.domain = "local"
        function.input = ["a", "b"]
        function.output = ["out"]
        function.attribute = ["perm"]
        var transpose = Schema.node("Transpose", ["a"], ["t"])
        var reference = Onnx_AttributeProto()
        reference.name = "perm"
        reference.refAttrName = "perm"
        reference.type = .ints
        transpose.attribute = [reference]
        function.node = [Schema.node("MatMul", ["a", "b"], ["m"]), Schema.node("Relu", ["m"], ["r"]), transpose]
        function.node[2].input = ["r"]
        function.node[2].output = ["out"]

        var call = Schema.node("ProjectT", ["x", "w"], ["y"], attributes: [Self.intsAttribute("perm", [1, 0])])
        call.domain = "local"
        call.name = "block1"
        let tail = Schema.node("MatMul", ["y", "v"], ["z"])
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.graph = Self.graph([call, tail], output: "z", shape: [8, 3],
                                 initializers: [Self.weight(), Schema.initializer("v", [4, 3], float: Array(repeating: 1, count: 12))])
        var defaultSet = Onnx_OperatorSetIdProto(), localSet = Onnx_OperatorSetIdProto()
        defaultSet.version = 17
        localSet.domain = "local"
        localSet.version = 1
        model.opsetImport = [defaultSet, localSet]
        model.functions = [function]
        let imported = try OnnxImporter.importModel(try model.serializedBytes(), name: "functions")
        XCTAssertEqual(imported.graph.nodes.map(\.name), ["block1/m", "block1/r", "block1/t", "z"])
        XCTAssertEqual(imported.graph.nodes.map(\.op), ["MatMul", "Relu", "Transpose", "MatMul"])
        XCTAssertEqual(imported.graph.edges.map { [$0.0, $0.1] }, [[0, 1], [1, 2], [2, 3]])
        // The bound perm makes y 8 × 4, so the last product is (8 × 4) · (4 × 3).
        XCTAssertEqual(imported.macs, [4 * 8 * 8, 0, 0, 8 * 4 * 3])
        XCTAssertEqual(imported.graph.nodes[0].memory, 64 * 4, "the weight passed to the function is the inner MatMul's")

        var recursive = function
        recursive.node = [Schema.node("ProjectT", ["a", "b"], ["out"])]
        recursive.node[0].domain = "local"
        model.functions = [recursive]
        XCTAssertThrowsError(try OnnxImporter.importModel(try model.serializedBytes(), name: "recursive")) { error in
            XCTAssertTrue("\(error)".contains("function 'ProjectT' calls itself"), "\(error)")
        }
    }

    /// `If` is one node with the costlier branch's work and both branches' weights; with a constant
    /// condition, the taken branch's work. It depends on what its branches read from outside.
    func testIfCostsTheCostlierBranch() throws {
        let thenBranch = Self.graph([Schema.node("MatMul", ["x", "w"], ["then_out"])], output: "then_out", initializers: [])
        let scale = Schema.initializer("s", [8], float: Array(repeating: 2, count: 8))
        let elseBranch = Self.graph([Schema.node("Mul", ["x", "s"], ["else_out"])], output: "else_out", initializers: [scale])
        var thenOnly = thenBranch
        thenOnly.initializer = [Self.weight()]
        let thenWork = try Schema.importGraph(thenOnly).graph.nodes[0].work
        let elseWork = try Schema.importGraph(elseBranch).graph.nodes[0].work
        XCTAssertGreaterThan(thenWork, elseWork)

        let branches = [Self.graphAttribute("then_branch", thenBranch.withoutInputs), Self.graphAttribute("else_branch", elseBranch.withoutInputs)]
        let nodes = [Schema.node("Relu", ["x"], ["x1"]), Schema.node("If", ["flag"], ["y"], attributes: branches),
                     Schema.node("Relu", ["y"], ["z"])]
        // The branches read x; renamed so that the If depends on the first Relu.
        var renamed = nodes
        renamed[1].attribute = branches.map { attribute in
            var copy = attribute
            copy.g.node = copy.g.node.map { var node = $0; node.input = node.input.map { $0 == "x" ? "x1" : $0 }; return node }
            return copy
        }
        let unknown = try Schema.importGraph(Self.graph(renamed, output: "z", inputs: [Schema.tensorInfo("flag", [])]))
        XCTAssertEqual(unknown.graph.nodes.map(\.op), ["Relu", "If", "Relu"])
        XCTAssertEqual(unknown.graph.edges.map { [$0.0, $0.1] }, [[0, 1], [1, 2]])
        XCTAssertEqual(unknown.graph.nodes[1].work, thenWork, accuracy: 1e-12)
        XCTAssertEqual(unknown.macs[1], 4 * 8 * 8)
        XCTAssertEqual(unknown.graph.nodes[1].memory, 64 * 4 + 8 * 4, "both branches' weights stay resident")

        var constant = Self.graph(renamed, output: "z")
        constant.initializer.append(Schema.initializer("flag", [], int64: [0]))
        let taken = try Schema.importGraph(constant)
        XCTAssertEqual(taken.graph.nodes[1].work, elseWork, accuracy: 1e-12)
        XCTAssertEqual(taken.macs[1], 0)
    }

    /// `Loop` with a constant trip count is one node costing the body × the trips, its per-iteration
    /// outputs stacked; a trip count known only at run time is refused, naming the node and the way out.
    func testLoopCostsTheBodyTimesTheTripCount() throws {
        var body = Onnx_GraphProto()
        body.input = [Schema.tensorInfo("i", []), Schema.tensorInfo("c", []), Schema.tensorInfo("v", [4, 8])]
        body.node = [Schema.node("Identity", ["c"], ["c_out"]), Schema.node("MatMul", ["v", "w"], ["v_out"]),
                     Schema.node("Relu", ["v_out"], ["each"])]
        body.output = [Schema.tensorInfo("c_out", []), Schema.tensorInfo("v_out", [4, 8]), Schema.tensorInfo("each", [4, 8])]
        let loop = Schema.node("Loop", ["trips", "", "x"], ["final", "stacked"], attributes: [Self.graphAttribute("body", body)])
        let nodes = [loop, Schema.node("Relu", ["stacked"], ["z"])]
        var graph = Self.graph(nodes, output: "z", shape: [5, 4, 8])
        graph.initializer.append(Schema.initializer("trips", [], int64: [5]))
        let imported = try Schema.importGraph(graph)
        XCTAssertEqual(imported.graph.nodes.map(\.op), ["Loop", "Relu"])
        let reluWork = try Schema.importGraph(Self.graph([Schema.node("Relu", ["x"], ["y"])], output: "y")).graph.nodes[0].work
        XCTAssertEqual(imported.graph.nodes[0].work, 5 * (try Self.matMulWork() + reluWork), accuracy: 1e-9)
        XCTAssertEqual(imported.macs[0], 5 * 4 * 8 * 8)
        XCTAssertEqual(imported.flops[1], 5 * 4 * 8, "the stacked output is 5 × 4 × 8")

        var dynamic = Self.graph(nodes, output: "z", shape: [5, 4, 8], inputs: [Schema.tensorInfo("trips", [])])
        dynamic.input[1].type.tensorType.elemType = 7
        XCTAssertThrowsError(try Schema.importGraph(dynamic)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("node 'final' (Loop): the trip count (input M) is not a constant"), message)
            XCTAssertTrue(message.contains("--profile") && message.contains("unroll"), message)
        }
    }

    /// `Scan` costs the body × the length of the scanned axis, its outputs stacked along it.
    func testScanCostsTheBodyTimesTheScannedLength() throws {
        var body = Onnx_GraphProto()
        body.input = [Schema.tensorInfo("row", [4, 8])]
        body.node = [Schema.node("MatMul", ["row", "w"], ["row_out"])]
        body.output = [Schema.tensorInfo("row_out", [4, 8])]
        var scanAttribute = Onnx_AttributeProto()
        scanAttribute.name = "num_scan_inputs"
        scanAttribute.type = .int
        scanAttribute.i = 1
        let scan = Schema.node("Scan", ["seq"], ["out"], attributes: [Self.graphAttribute("body", body), scanAttribute])
        var graph = Self.graph([scan, Schema.node("Relu", ["out"], ["z"])], output: "z", shape: [6, 4, 8])
        graph.input = [Schema.tensorInfo("seq", [6, 4, 8])]
        let imported = try Schema.importGraph(graph)
        XCTAssertEqual(imported.graph.nodes.map(\.op), ["Scan", "Relu"])
        XCTAssertEqual(imported.graph.nodes[0].work, 6 * (try Self.matMulWork()), accuracy: 1e-9)
        XCTAssertEqual(imported.macs[0], 6 * 4 * 8 * 8)
        XCTAssertEqual(imported.flops[1], 6 * 4 * 8)
    }
}

private extension Onnx_GraphProto {
    /// A branch reads the enclosing graph's values and has no inputs of its own.
    var withoutInputs: Onnx_GraphProto {
        var copy = self
        copy.input = []
        return copy
    }
}
