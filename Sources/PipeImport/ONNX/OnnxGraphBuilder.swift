import Foundation
import PipeGraph

/// The work of ``OnnxImporter``: one pass over an ONNX graph in dependency order.
struct OnnxGraphBuilder {
    let graph: Onnx_GraphProto
    let opset: Int
    let profile: CostProfile

    /// Everything known about each value, by name (in a subgraph, the enclosing scopes' values too).
    var values: [String: OnnxValue] = [:]
    /// Shapes recorded in `value_info` and graph outputs, used when a rule needs a value it cannot evaluate.
    private var recordedShapes: [String: (shape: [Int], type: OnnxElementType)] = [:]
    /// Values whose parameter memory has been charged to a consumer already.
    var chargedParameters: Set<String> = []

    var nodes: [Node] = []
    private var edges: [(Int, Int)] = []
    var flops: [Double] = []
    var macs: [Double] = []
    private var outputBytes: [Double] = []
    private var usedNames: Set<String> = []

    init(graph: Onnx_GraphProto, opset: Int, profile: CostProfile) {
        self.graph = graph
        self.opset = opset
        self.profile = profile
    }

    mutating func build(name: String) throws -> OnnxImport {
        try declareValues()
        let folded = try visitNodes()
        guard !nodes.isEmpty else { throw GraphError("the ONNX graph has no compute nodes: every node folds to a constant") }
        let result = try ComputationGraph(name: name, nodes: nodes, edges: edges)
        return OnnxImport(graph: result, flops: flops, macs: macs, outputBytes: outputBytes,
                          onnxNodeCount: graph.node.count, foldedNodeCount: folded, opset: opset)
    }

    /// Records the initializers, the graph inputs not known yet and the recorded shapes.
    mutating func declareValues() throws {
        for (position, tensor) in graph.initializer.enumerated() {
            let place = "initializer '\(tensor.name.isEmpty ? "#\(position)" : tensor.name)'"
            values[tensor.name] = try tensor.decodedValue(place: place)
        }
        for input in graph.input where values[input.name] == nil {
            guard let shape = try staticShape(of: input, place: "graph input '\(input.name)'") else {
                throw GraphError("graph input '\(input.name)' has no tensor shape")
            }
            values[input.name] = .activation(shape.shape, shape.type)
        }
        for info in graph.valueInfo + graph.output {
            if let shape = try? staticShape(of: info, place: "value '\(info.name)'") { recordedShapes[info.name] = shape }
        }
    }

    /// Folds or adds every node in dependency order; returns the number folded.
    mutating func visitNodes() throws -> Int {
        // Values read inside a subgraph (an `If` branch, a loop body) are consumed by the node that runs it.
        let consumed = Set(graph.node.flatMap(\.referencedNames) + graph.output.map(\.name))
        var folded = 0
        for index in try dependencyOrder() {
            let node = graph.node[index]
            let inputs = node.input.map { $0.isEmpty ? nil : values[$0] }
            let context = OnnxNodeContext(node: node, inputs: inputs, opset: opset)
            if OnnxControlFlow.operators.contains(node.opType) {
                try addControlFlow(context, consumed: consumed)
                continue
            }
            var inference = try infer(context)
            let isShapeQuery = node.opType == "Shape" || node.opType == "Size"
            let isConstant = isShapeQuery || inputs.allSatisfy { $0?.isConstant ?? true }
            if isConstant {
                folded += 1
                let fromParameters = node.opType == "Constant" || node.opType == "ConstantOfShape"
                    || (!isShapeQuery && inputs.contains { $0?.isParameter ?? false })
                for (position, outputName) in node.output.enumerated() where !outputName.isEmpty {
                    var output = inference.outputs[position]
                    output.isConstant = true
                    output.isParameter = output.isParameter || fromParameters
                    values[outputName] = output
                }
                continue
            }
            let graphIndex = nodes.count
            var parameterBytes = 0.0, inputBytes = 0.0
            for (position, inputName) in node.input.enumerated() where !inputName.isEmpty {
                guard let input = inputs[position] else { continue }
                let size = bytes(of: input)
                inputBytes += size
                // Repeated edges (a value used twice) are merged by ComputationGraph.
                if let producer = input.producer { edges.append((producer, graphIndex)) }
                let configures = OnnxShapeInference.configurationInputs[node.opType]?.contains(position) ?? false
                if input.isConstant && input.isParameter && !configures && chargedParameters.insert(inputName).inserted {
                    parameterBytes += size
                }
            }
            var producedBytes = 0.0, consumedBytes = 0.0
            for (position, outputName) in node.output.enumerated() where !outputName.isEmpty {
                var output = inference.outputs[position]
                output.isConstant = false
                output.isParameter = false
                output.values = nil
                output.producer = graphIndex
                values[outputName] = output
                producedBytes += bytes(of: output)
                if consumed.contains(outputName) { consumedBytes += bytes(of: output) }
            }
            inference.outputs = []
            let work = profile.workMicroseconds(flops: inference.flops, bytesAccessed: inputBytes + producedBytes, isView: inference.isView)
            nodes.append(Node(name: uniqueName(for: node), op: node.opType, work: work,
                              comm: profile.commMicroseconds(bytes: consumedBytes), memory: parameterBytes))
            flops.append(inference.flops)
            macs.append(inference.macs)
            outputBytes.append(consumedBytes)
        }
        return folded
    }

    /// Adds a graph node of the given cost for `node`, with edges from `producers`; its outputs
    /// become activations produced by it. What `If`, `Loop` and `Scan` cost as (``OnnxControlFlow``).
    mutating func addNode(for node: Onnx_NodeProto, outputs: [OnnxValue], work: Double, flops nodeFlops: Double,
                          macs nodeMACs: Double, memory: Double, producers: [Int], consumed: Set<String>) {
        let graphIndex = nodes.count
        for producer in producers { edges.append((producer, graphIndex)) }
        var consumedBytes = 0.0
        for (position, outputName) in node.output.enumerated() where !outputName.isEmpty && position < outputs.count {
            var output = outputs[position]
            output.isConstant = false
            output.isParameter = false
            output.values = nil
            output.producer = graphIndex
            values[outputName] = output
            if consumed.contains(outputName) { consumedBytes += bytes(of: output) }
        }
        nodes.append(Node(name: uniqueName(for: node), op: node.opType, work: work,
                          comm: profile.commMicroseconds(bytes: consumedBytes), memory: memory))
        flops.append(nodeFlops)
        macs.append(nodeMACs)
        outputBytes.append(consumedBytes)
    }

    /// Runs the node's shape rule; when a rule needs a value it cannot evaluate (a shape computed
    /// at run time) and the file records every output's shape, those shapes are used instead.
    private func infer(_ context: OnnxNodeContext) throws -> OnnxInference {
        do {
            return try OnnxShapeInference.infer(context)
        } catch let error as GraphError where error.message.contains("not a constant the importer can evaluate") {
            let recorded = context.node.output.map { recordedShapes[$0] }
            guard !recorded.isEmpty, recorded.allSatisfy({ $0 != nil }) else { throw error }
            let outputs = recorded.map { OnnxValue.activation($0!.shape, $0!.type) }
            return OnnxInference(outputs: outputs, flops: Double(outputs.first?.elementCount ?? 0),
                                 isView: OnnxShapeInference.viewOperators.contains(context.node.opType))
        }
    }

    /// Node indices in an order where every input is available before use (the file's order
    /// when it is already topological, as ONNX requires, otherwise a stable Kahn order).
    private func dependencyOrder() throws -> [Int] {
        var producerOf: [String: Int] = [:]
        for (index, node) in graph.node.enumerated() {
            for output in node.output where !output.isEmpty {
                if producerOf.updateValue(index, forKey: output) != nil || values[output] != nil {
                    throw GraphError("\(node.label): value '\(output)' is defined more than once")
                }
            }
        }
        var waitingOn = [Int](repeating: 0, count: graph.node.count)
        var dependents = [[Int]](repeating: [], count: graph.node.count)
        for (index, node) in graph.node.enumerated() {
            for input in Set(node.referencedNames) where !input.isEmpty {
                if let producer = producerOf[input] {
                    guard producer != index else { throw GraphError("\(node.label): consumes its own output '\(input)'") }
                    waitingOn[index] += 1
                    dependents[producer].append(index)
                } else if values[input] == nil {
                    throw GraphError("\(node.label): input '\(input)' is not produced by any node, initializer or graph input")
                }
            }
        }
        let fileOrderWorks = graph.node.enumerated().allSatisfy { index, node in
            node.referencedNames.allSatisfy { input in input.isEmpty || (producerOf[input].map { $0 < index } ?? true) }
        }
        if fileOrderWorks { return Array(graph.node.indices) }
        var ready = Array(graph.node.indices.filter { waitingOn[$0] == 0 }.reversed())
        var order: [Int] = []
        while let next = ready.popLast() {
            order.append(next)
            for dependent in dependents[next].reversed() {
                waitingOn[dependent] -= 1
                if waitingOn[dependent] == 0 { ready.append(dependent) }
            }
            ready.sort(by: >)
        }
        guard order.count == graph.node.count else {
            let stuck = graph.node.indices.filter { waitingOn[$0] > 0 }.prefix(5).map { graph.node[$0].label }
            throw GraphError("the ONNX graph has a cycle through \(stuck.joined(separator: ", "))")
        }
        return order
    }

    /// A value's shape from its declared type, with symbolic dimensions taken from the profile.
    func staticShape(of info: Onnx_ValueInfoProto, place: String) throws -> (shape: [Int], type: OnnxElementType)? {
        guard info.hasType, case .tensorType(let tensor)? = info.type.value, tensor.hasShape else { return nil }
        let dimensions = try tensor.shape.dim.map { dimension -> Int in
            switch dimension.value {
            case .dimValue(let value)?:
                guard value >= 0, value <= TensorArithmetic.dimensionLimit else { throw GraphError("\(place): dimension \(value) is out of range") }
                return Int(value)
            case .dimParam(let symbol)?:
                return profile.dimensionValues[symbol] ?? profile.symbolicDimension
            case nil:
                return profile.symbolicDimension
            }
        }
        return (dimensions, OnnxElementType(rawValue: tensor.elemType))
    }

    /// Bytes of a tensor on the device; floating-point elements take the profile's size.
    func bytes(of value: OnnxValue) -> Double {
        let elementSize = value.elementType.isFloatingPoint ? profile.bytesPerElement : Double(value.elementType.byteSize)
        return Double(value.elementCount) * elementSize
    }

    /// The node's name, else its first output's name, made unique with a `#n` suffix.
    private mutating func uniqueName(for node: Onnx_NodeProto) -> String {
        let base = !node.name.isEmpty ? node.name : (node.output.first { !$0.isEmpty } ?? node.opType)
        var candidate = base
        var suffix = 2
        while !usedNames.insert(candidate).inserted {
            candidate = "\(base)#\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
