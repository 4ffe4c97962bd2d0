import PipeGraph

/// Shape inference, constant folding and FLOP counting for the ONNX operators common exports use.
///
/// Each rule returns the node's output shapes (and, when every input is a small constant, the
/// output elements, so that the shape computations `torch.onnx.export` emits fold away), plus
/// the node's FLOPs and MACs. An operator without a rule is an error naming it and the node.
enum OnnxShapeInference {
    /// Unary operators whose output has the input's shape and type, with FLOPs per element.
    static let sameShapeOperators: [String: Double] = [
        "Relu": 1, "LeakyRelu": 2, "PRelu": 2, "Elu": 3, "Selu": 3, "Celu": 3, "ThresholdedRelu": 1,
        "Sigmoid": 4, "HardSigmoid": 3, "HardSwish": 4, "Tanh": 4, "Softplus": 3, "Softsign": 3, "Mish": 6,
        "Gelu": 8, "Erf": 4, "Exp": 1, "Log": 1, "Sqrt": 1, "Reciprocal": 1, "Neg": 1, "Abs": 1,
        "Floor": 1, "Ceil": 1, "Round": 1, "Sign": 1, "Sin": 1, "Cos": 1, "Tan": 1, "Asin": 1, "Acos": 1,
        "Atan": 1, "Sinh": 1, "Cosh": 1, "Not": 1, "Clip": 2, "Softmax": 5, "LogSoftmax": 5, "Hardmax": 2,
        "BatchNormalization": 2, "InstanceNormalization": 7, "LayerNormalization": 7, "GroupNormalization": 7,
        "MeanVarianceNormalization": 7, "LRN": 6, "CumSum": 1, "Trilu": 0, "Identity": 0, "Dropout": 0,
        "Cast": 0, "CastLike": 0, "IsNaN": 1, "IsInf": 1, "Shrink": 2,
    ]

    /// Operators that only relabel their input's elements: no FLOPs and no traffic of their own.
    static let viewOperators: Set<String> = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"]

    /// Input positions that configure an operator (target shapes, axes, pads, scales, sizes, k)
    /// rather than carry data: a constant there is not parameter memory.
    static let configurationInputs: [String: Set<Int>] = [
        "Reshape": [1], "Slice": [1, 2, 3, 4], "Split": [1], "Squeeze": [1], "Unsqueeze": [1], "Pad": [1, 2, 3],
        "Resize": [1, 2, 3], "Upsample": [1], "Expand": [1], "Tile": [1], "TopK": [1], "ConstantOfShape": [0],
        "ReduceMean": [1], "ReduceSum": [1], "ReduceMax": [1], "ReduceMin": [1], "ReduceProd": [1], "ReduceL1": [1],
        "ReduceL2": [1], "ReduceLogSum": [1], "ReduceLogSumExp": [1], "ReduceSumSquare": [1], "Clip": [1, 2],
    ]

    /// Binary and variadic operators with numpy broadcasting.
    static let broadcastOperators: Set<String> = [
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Sum", "Max", "Min", "Mean", "Equal", "Less", "Greater",
        "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "BitShift", "Where",
    ]

    /// Infers one node. `context.inputs` must hold every non-empty input.
    static func infer(_ context: OnnxNodeContext) throws -> OnnxInference {
        let op = context.node.opType
        var result: OnnxInference
        if broadcastOperators.contains(op) {
            result = try broadcastElementwise(context)
        } else if let flopsPerElement = sameShapeOperators[op] {
            result = try sameShape(context, flopsPerElement: flopsPerElement)
        } else {
            switch op {
            case "Conv": result = try convolution(context)
            case "ConvTranspose": result = try transposedConvolution(context)
            case "MaxPool", "AveragePool", "LpPool": result = try pooling(context)
            case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool": result = try globalPooling(context)
            case "MatMul": result = try matrixProduct(context)
            case "Gemm": result = try generalMatrixProduct(context)
            case "Concat": result = try concatenation(context)
            case "Split": result = try split(context)
            case "Slice": result = try slice(context)
            case "Gather": result = try gather(context)
            case "GatherElements": result = try gatherElements(context)
            case "Reshape": result = try reshape(context)
            case "Flatten": result = try flatten(context)
            case "Transpose": result = try transpose(context)
            case "Squeeze": result = try squeeze(context)
            case "Unsqueeze": result = try unsqueeze(context)
            case "Pad": result = try pad(context)
            case "Resize", "Upsample": result = try resize(context)
            case "Expand": result = try expand(context)
            case "Tile": result = try tile(context)
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                 "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare":
                result = try reduction(context)
            case "ArgMax", "ArgMin": result = try argumentReduction(context)
            case "Shape": result = try shapeOf(context)
            case "Size": result = try sizeOf(context)
            case "Constant": result = try constant(context)
            case "ConstantOfShape": result = try constantOfShape(context)
            case "Range": result = try range(context)
            case "TopK": result = try topK(context)
            case "ScatterND": result = try scatterND(context)
            case "ScatterElements", "Scatter": result = try scatterElements(context)
            case "Einsum": result = try einsum(context)
            default:
                let domain = context.node.domain.isEmpty ? "" : " in domain '\(context.node.domain)'"
                throw context.failure("the importer cannot infer shapes for operator '\(op)'\(domain)")
            }
        }
        if viewOperators.contains(op) { result.isView = true }
        guard result.outputs.count >= context.node.output.count else {
            throw context.failure("the operator yields \(result.outputs.count) outputs, the node names \(context.node.output.count)")
        }
        for output in result.outputs {
            guard output.shape.allSatisfy({ $0 >= 0 }) else { throw context.failure("inferred a negative dimension in \(output.shape)") }
            guard output.shape.allSatisfy({ $0 <= TensorArithmetic.dimensionLimit }) else { throw context.failure("inferred a dimension above 2^30 in \(output.shape)") }
            guard output.shape.reduce(1.0, { $0 * Double($1) }) < 0x1p50 else { throw context.failure("inferred an output with too many elements \(output.shape)") }
        }
        return result
    }
}
