extension OnnxShapeInference {
    /// Output spatial sizes of a sliding window (Conv, pooling) under ONNX's padding rules.
    static func slidingWindowSizes(_ context: OnnxNodeContext, spatial: [Int], kernel: [Int], ceilMode: Bool = false) throws -> [Int] {
        let node = context.node
        let count = spatial.count
        guard kernel.count == count else { throw context.failure("kernel \(kernel) does not match \(count) spatial dimensions") }
        let strides = node.ints("strides") ?? [Int](repeating: 1, count: count)
        let dilations = node.ints("dilations") ?? [Int](repeating: 1, count: count)
        let pads = node.ints("pads") ?? [Int](repeating: 0, count: 2 * count)
        guard strides.count == count, dilations.count == count, pads.count == 2 * count else {
            throw context.failure("strides \(strides), dilations \(dilations) or pads \(pads) do not match \(count) spatial dimensions")
        }
        guard strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }), kernel.allSatisfy({ $0 > 0 }) else {
            throw context.failure("strides, dilations and kernel sizes must be positive")
        }
        let autoPad = node.string("auto_pad", default: "NOTSET")
        return try (0..<count).map { axis in
            let extent = (kernel[axis] - 1) * dilations[axis] + 1
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                return (spatial[axis] + strides[axis] - 1) / strides[axis]
            case "VALID":
                guard spatial[axis] >= extent else { throw context.failure("the window \(extent) is larger than the input \(spatial[axis])") }
                return (spatial[axis] - extent) / strides[axis] + 1
            default:
                let padded = spatial[axis] + pads[axis] + pads[axis + count] - extent
                guard padded >= 0 else { throw context.failure("the window \(extent) is larger than the padded input \(spatial[axis] + pads[axis] + pads[axis + count])") }
                let steps = ceilMode ? (padded + strides[axis] - 1) / strides[axis] : padded / strides[axis]
                return steps + 1
            }
        }
    }

    /// Conv: X [N, C, D…], W [M, C/group, k…], optional bias [M] → [N, M, D'…].
    static func convolution(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0), weight = try context.input(1)
        guard input.shape.count >= 3, weight.shape.count == input.shape.count else {
            throw context.failure("input \(input.shape) and weight \(weight.shape) ranks do not fit a convolution")
        }
        let group = max(context.node.int("group", default: 1), 1)
        guard input.shape[1] == weight.shape[1] * group else {
            throw context.failure("input has \(input.shape[1]) channels, weight \(weight.shape) with group \(group) expects \(weight.shape[1] * group)")
        }
        let kernel = context.node.ints("kernel_shape") ?? Array(weight.shape.dropFirst(2))
        let sizes = try slidingWindowSizes(context, spatial: Array(input.shape.dropFirst(2)), kernel: kernel)
        let output = [input.shape[0], weight.shape[0]] + sizes
        let macs = Double(TensorArithmetic.count(output)) * Double(weight.shape[1]) * Double(TensorArithmetic.count(kernel))
        let bias = context.optionalInput(2) != nil ? Double(TensorArithmetic.count(output)) : 0
        return OnnxInference(outputs: [.activation(output, input.elementType)], flops: 2 * macs + bias, macs: macs)
    }

    /// ConvTranspose: X [N, C, D…], W [C, M/group, k…] → [N, M, D'…].
    static func transposedConvolution(_ context: OnnxNodeContext) throws -> OnnxInference {
        let node = context.node
        let input = try context.input(0), weight = try context.input(1)
        guard input.shape.count >= 3, weight.shape.count == input.shape.count, weight.shape[0] == input.shape[1] else {
            throw context.failure("input \(input.shape) and weight \(weight.shape) do not fit a transposed convolution")
        }
        let count = input.shape.count - 2
        let group = max(node.int("group", default: 1), 1)
        let kernel = node.ints("kernel_shape") ?? Array(weight.shape.dropFirst(2))
        let strides = node.ints("strides") ?? [Int](repeating: 1, count: count)
        let dilations = node.ints("dilations") ?? [Int](repeating: 1, count: count)
        let pads = node.ints("pads") ?? [Int](repeating: 0, count: 2 * count)
        let outputPadding = node.ints("output_padding") ?? [Int](repeating: 0, count: count)
        guard kernel.count == count, strides.count == count, dilations.count == count, pads.count == 2 * count, outputPadding.count == count else {
            throw context.failure("kernel, strides, dilations, pads or output_padding do not match \(count) spatial dimensions")
        }
        let sizes: [Int]
        if let explicit = node.ints("output_shape"), explicit.count >= count {
            sizes = Array(explicit.suffix(count))
        } else {
            sizes = (0..<count).map { axis in
                strides[axis] * (input.shape[axis + 2] - 1) + outputPadding[axis] + (kernel[axis] - 1) * dilations[axis] + 1
                    - pads[axis] - pads[axis + count]
            }
        }
        let output = [input.shape[0], weight.shape[1] * group] + sizes
        let macs = Double(input.elementCount) * Double(weight.shape[1]) * Double(TensorArithmetic.count(kernel))
        return OnnxInference(outputs: [.activation(output, input.elementType)], flops: 2 * macs, macs: macs)
    }

    /// MaxPool, AveragePool, LpPool: a window of `kernel_shape` over the spatial dimensions.
    static func pooling(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        guard input.shape.count >= 3 else { throw context.failure("input \(input.shape) has no spatial dimensions") }
        guard let kernel = context.node.ints("kernel_shape") else { throw context.failure("missing attribute 'kernel_shape'") }
        let sizes = try slidingWindowSizes(context, spatial: Array(input.shape.dropFirst(2)), kernel: kernel,
                                           ceilMode: context.node.int("ceil_mode", default: 0) != 0)
        let output = Array(input.shape.prefix(2)) + sizes
        let flops = Double(TensorArithmetic.count(output)) * Double(TensorArithmetic.count(kernel))
        return OnnxInference(outputs: [.activation(output, input.elementType), .activation(output, .int64)], flops: flops)
    }

    /// GlobalAveragePool and friends: every spatial dimension becomes 1.
    static func globalPooling(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        guard input.shape.count >= 2 else { throw context.failure("input \(input.shape) has no channel dimension") }
        let output = Array(input.shape.prefix(2)) + [Int](repeating: 1, count: input.shape.count - 2)
        return OnnxInference(outputs: [.activation(output, input.elementType)], flops: Double(input.elementCount))
    }
}
