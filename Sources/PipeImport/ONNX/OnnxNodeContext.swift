import PipeGraph

/// One node with what is known about its inputs: what every shape rule works from.
struct OnnxNodeContext {
    /// The node.
    let node: Onnx_NodeProto
    /// Its inputs, aligned with `node.input`; nil for omitted optional inputs.
    let inputs: [OnnxValue?]
    /// The version of the default operator set the model imports.
    let opset: Int

    /// An error naming the node.
    func failure(_ problem: String) -> GraphError { GraphError("\(node.label): \(problem)") }

    /// Input `index`, which the operator requires.
    func input(_ index: Int) throws -> OnnxValue {
        guard let value = optionalInput(index) else { throw failure("missing input \(index)") }
        return value
    }

    /// Input `index` when it is given.
    func optionalInput(_ index: Int) -> OnnxValue? { inputs.indices.contains(index) ? inputs[index] : nil }

    /// The elements of input `index`, which must be a constant the importer could evaluate
    /// (shapes, axes, pads, scales, …); `what` names it in the error.
    func constantValues(_ index: Int, _ what: String) throws -> [Double] {
        let value = try input(index)
        guard let values = value.values else {
            throw failure("the \(what) (input \(index)) is not a constant the importer can evaluate; export with static shapes or constant folding")
        }
        return values
    }

    /// Integer elements of a constant input, clamped to a safe range.
    func constantInts(_ index: Int, _ what: String) throws -> [Int] {
        try constantValues(index, what).map(OnnxNumbers.clampedInt)
    }

    /// Axes given as an attribute (older opsets) or as an optional constant input (newer ones).
    func axes(attribute name: String = "axes", inputIndex: Int) throws -> [Int]? {
        if let fromAttribute = node.ints(name) { return fromAttribute }
        guard optionalInput(inputIndex) != nil else { return nil }
        return try constantInts(inputIndex, name)
    }

    /// `axis` in [-rank, rank) made non-negative.
    func normalizedAxis(_ axis: Int, rank: Int) throws -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            throw failure("axis \(axis) is out of range for rank \(rank)")
        }
        return resolved
    }
}

/// Shape inference result for one node: its outputs and how much arithmetic it does.
struct OnnxInference {
    /// The node's outputs, aligned with `node.output`.
    var outputs: [OnnxValue]
    /// Floating-point operations (a multiply-add counts as 2).
    var flops: Double = 0
    /// Multiply-accumulates of the convolution and matrix products.
    var macs: Double = 0
    /// Whether the node only re-labels its input (Reshape, Squeeze, …): no memory traffic of its own.
    var isView: Bool = false
}
