import Foundation

extension OnnxShapeInference {
    /// Unary operators (and normalizations whose extra inputs are parameters): output 0 has
    /// input 0's shape. Extra outputs (Dropout's mask, LayerNormalization's statistics) follow ONNX.
    static func sameShape(_ context: OnnxNodeContext, flopsPerElement: Double) throws -> OnnxInference {
        let input = try context.input(0)
        let op = context.node.opType
        var type = input.elementType
        if op == "Cast" { type = OnnxElementType(rawValue: Int32(truncatingIfNeeded: context.node.int("to", default: 1))) }
        if op == "CastLike" { type = try context.input(1).elementType }
        if op == "IsNaN" || op == "IsInf" { type = .bool }
        var output = OnnxValue.activation(input.shape, type)
        if let values = input.values, let fold = unaryFold(op) {
            output.values = values.map { TensorArithmetic.conform(fold($0), to: type) }
        }
        var outputs = [output]
        switch op {
        case "Dropout": outputs.append(.activation(input.shape, .bool))
        case "LayerNormalization":
            // Mean and inverse standard deviation: reduced over the normalized axes.
            let axis = try context.normalizedAxis(context.node.int("axis", default: -1), rank: input.shape.count)
            let reduced = Array(input.shape[..<axis]) + [Int](repeating: 1, count: input.shape.count - axis)
            outputs += [.activation(reduced, .float), .activation(reduced, .float)]
        case "BatchNormalization":
            // Training-mode outputs (running mean and variance) have the channel count.
            let channels = input.shape.count > 1 ? input.shape[1] : 1
            outputs += [OnnxValue](repeating: .activation([channels], input.elementType), count: 4)
        default: break
        }
        return OnnxInference(outputs: outputs, flops: flopsPerElement * Double(input.elementCount))
    }

    /// The folding function of a unary operator applied to constants, when the importer evaluates it.
    static func unaryFold(_ op: String) -> ((Double) -> Double)? {
        switch op {
        case "Identity", "Dropout", "Cast", "CastLike": return { $0 }
        case "Neg": return { -$0 }
        case "Abs": return { abs($0) }
        case "Floor": return { $0.rounded(.down) }
        case "Ceil": return { $0.rounded(.up) }
        case "Round": return { $0.rounded(.toNearestOrEven) }
        case "Sqrt": return { $0.squareRoot() }
        case "Reciprocal": return { 1 / $0 }
        case "Relu": return { max($0, 0) }
        case "Not": return { $0 == 0 ? 1 : 0 }
        case "Sign": return { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        case "Exp": return { Foundation.exp($0) }
        case "Log": return { Foundation.log($0) }
        default: return nil
        }
    }

    /// Binary, variadic and ternary (`Where`) elementwise operators with numpy broadcasting.
    static func broadcastElementwise(_ context: OnnxNodeContext) throws -> OnnxInference {
        let op = context.node.opType
        let operands = try context.node.input.indices.filter { !context.node.input[$0].isEmpty }.map { try context.input($0) }
        guard let first = operands.first else { throw context.failure("no inputs") }
        var shape = first.shape
        for operand in operands.dropFirst() {
            guard let combined = TensorArithmetic.broadcast(shape, operand.shape) else {
                throw context.failure("shapes \(shape) and \(operand.shape) do not broadcast")
            }
            shape = combined
        }
        let comparison: Set<String> = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"]
        let type: OnnxElementType = comparison.contains(op) ? .bool : (op == "Where" ? (operands.count > 1 ? operands[1].elementType : first.elementType) : first.elementType)
        var output = OnnxValue.activation(shape, type)
        if let fold = binaryFold(op, integer: type.isInteger) {
            output.values = TensorArithmetic.elementwise(operands, outputShape: shape) { TensorArithmetic.conform(fold($0), to: type) }
        }
        let count = Double(TensorArithmetic.count(shape))
        return OnnxInference(outputs: [output], flops: op == "Where" ? count : count * Double(max(operands.count - 1, 1)))
    }

    /// The folding function of a broadcast operator applied to constants.
    static func binaryFold(_ op: String, integer: Bool) -> (([Double]) -> Double)? {
        func truth(_ value: Bool) -> Double { value ? 1 : 0 }
        switch op {
        case "Add", "Sum": return { $0.reduce(0, +) }
        case "Sub": return { $0[0] - $0[1] }
        case "Mul": return { $0.reduce(1, *) }
        case "Div": return { integer ? ($0[1] == 0 ? 0 : ($0[0] / $0[1]).rounded(.towardZero)) : $0[0] / $0[1] }
        case "Mod": return { $0[1] == 0 ? 0 : $0[0] - ($0[0] / $0[1]).rounded(.down) * $0[1] }
        case "Pow": return { Foundation.pow($0[0], $0[1]) }
        case "Max": return { $0.max() ?? 0 }
        case "Min": return { $0.min() ?? 0 }
        case "Mean": return { $0.reduce(0, +) / Double($0.count) }
        case "Equal": return { truth($0[0] == $0[1]) }
        case "Less": return { truth($0[0] < $0[1]) }
        case "Greater": return { truth($0[0] > $0[1]) }
        case "LessOrEqual": return { truth($0[0] <= $0[1]) }
        case "GreaterOrEqual": return { truth($0[0] >= $0[1]) }
        case "And": return { truth($0[0] != 0 && $0[1] != 0) }
        case "Or": return { truth($0[0] != 0 || $0[1] != 0) }
        case "Xor": return { truth(($0[0] != 0) != ($0[1] != 0)) }
        case "Where": return { $0[0] != 0 ? $0[1] : $0[2] }
        default: return nil
        }
    }
}
