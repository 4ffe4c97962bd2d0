import Foundation

extension OnnxShapeInference {
    static func shapeOf(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        var start = context.node.int("start", default: 0)
        var end = context.node.int("end", default: rank)
        if start < 0 { start += rank }
        if end < 0 { end += rank }
        start = min(max(start, 0), rank)
        end = min(max(end, start), rank)
        let dimensions = input.shape[start..<end].map(Double.init)
        return OnnxInference(outputs: [.constant([dimensions.count], .int64, values: dimensions)])
    }

    static func sizeOf(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        return OnnxInference(outputs: [.constant([], .int64, values: [Double(input.elementCount)])])
    }

    static func constant(_ context: OnnxNodeContext) throws -> OnnxInference {
        let node = context.node
        var value: OnnxValue
        if let tensor = node.attribute("value").flatMap({ $0.hasT ? $0.t : nil }) {
            value = try tensor.decodedValue(place: "\(node.label): attribute 'value'")
        } else if let attribute = node.attribute("value_float") {
            value = .constant([], .float, values: [Double(attribute.f)])
        } else if let attribute = node.attribute("value_floats") {
            value = .constant([attribute.floats.count], .float, values: attribute.floats.map(Double.init))
        } else if let attribute = node.attribute("value_int") {
            value = .constant([], .int64, values: [Double(attribute.i)])
        } else if let attribute = node.attribute("value_ints") {
            value = .constant([attribute.ints.count], .int64, values: attribute.ints.map(Double.init))
        } else {
            throw context.failure("no supported value attribute (value, value_float(s), value_int(s))")
        }
        value.isParameter = true
        return OnnxInference(outputs: [value])
    }

    static func constantOfShape(_ context: OnnxNodeContext) throws -> OnnxInference {
        let shape = try context.constantInts(0, "shape")
        guard shape.allSatisfy({ $0 >= 0 }) else { throw context.failure("negative dimension in \(shape)") }
        var fill = 0.0
        var type = OnnxElementType.float
        if let tensor = context.node.attribute("value").flatMap({ $0.hasT ? $0.t : nil }) {
            let decoded = try tensor.decodedValue(place: "\(context.node.label): attribute 'value'")
            fill = decoded.values?.first ?? 0
            type = decoded.elementType
        }
        let count = shape.reduce(1.0) { $0 * Double($1) }
        var value = OnnxValue.constant(shape, type, values: count <= Double(OnnxValue.valueLimit) ? [Double](repeating: fill, count: Int(count)) : nil)
        value.isParameter = true
        return OnnxInference(outputs: [value])
    }

    static func range(_ context: OnnxNodeContext) throws -> OnnxInference {
        let start = try context.constantValues(0, "start").first ?? 0
        let limit = try context.constantValues(1, "limit").first ?? 0
        let delta = try context.constantValues(2, "delta").first ?? 1
        guard delta != 0, start.isFinite, limit.isFinite, delta.isFinite else { throw context.failure("invalid range \(start)..<\(limit) step \(delta)") }
        let count = max(0, OnnxNumbers.clampedInt(((limit - start) / delta).rounded(.up)))
        let type = try context.input(0).elementType
        let values = count <= OnnxValue.valueLimit ? (0..<count).map { start + Double($0) * delta } : nil
        return OnnxInference(outputs: [.constant([count], type, values: values)])
    }

    /// Reductions: axes as an attribute (older opsets) or an input (ReduceSum from 13, others from 18).
    static func reduction(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        let keepDimensions = context.node.int("keepdims", default: 1) != 0
        var axes = try context.axes(inputIndex: 1).map { try $0.map { try context.normalizedAxis($0, rank: rank) } } ?? []
        if axes.isEmpty {
            if context.node.int("noop_with_empty_axes", default: 0) != 0 {
                return OnnxInference(outputs: [reshaped(input, input.shape)])
            }
            axes = Array(0..<rank)
        }
        let reduced = Set(axes)
        let keptShape = input.shape.indices.map { reduced.contains($0) ? 1 : input.shape[$0] }
        let shape = keepDimensions ? keptShape : input.shape.indices.filter { !reduced.contains($0) }.map { input.shape[$0] }
        var output = OnnxValue.activation(shape, input.elementType)
        if let values = input.values, let combine = reductionFold(context.node.opType) {
            var groups = [[Double]](repeating: [], count: TensorArithmetic.count(keptShape))
            let keptStrides = TensorArithmetic.strides(keptShape)
            let targets = TensorArithmetic.mapIndices(input.shape) { index in
                index.indices.reduce(0) { $0 + (reduced.contains($1) ? 0 : index[$1] * keptStrides[$1]) }
            }
            for (position, target) in targets.enumerated() { groups[target].append(values[position]) }
            output.values = groups.map { TensorArithmetic.conform(combine($0), to: input.elementType) }
        }
        return OnnxInference(outputs: [output], flops: Double(input.elementCount))
    }

    /// The folding function of a reduction applied to constants.
    static func reductionFold(_ op: String) -> (([Double]) -> Double)? {
        switch op {
        case "ReduceSum": return { $0.reduce(0, +) }
        case "ReduceProd": return { $0.reduce(1, *) }
        case "ReduceMax": return { $0.max() ?? -.infinity }
        case "ReduceMin": return { $0.min() ?? .infinity }
        case "ReduceMean": return { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) }
        default: return nil
        }
    }

    static func argumentReduction(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let axis = try context.normalizedAxis(context.node.int("axis", default: 0), rank: input.shape.count)
        var shape = input.shape
        if context.node.int("keepdims", default: 1) != 0 { shape[axis] = 1 } else { shape.remove(at: axis) }
        return OnnxInference(outputs: [.activation(shape, .int64)], flops: Double(input.elementCount))
    }

    static func topK(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let axis = try context.normalizedAxis(context.node.int("axis", default: -1), rank: input.shape.count)
        let k = context.opset < 10 ? context.node.int("k", default: 1) : (try context.constantInts(1, "k").first ?? 1)
        guard k >= 0, k <= input.shape[axis] else { throw context.failure("k = \(k) is out of range for dimension \(input.shape[axis])") }
        var shape = input.shape
        shape[axis] = k
        let flops = Double(input.elementCount) * log2(Double(max(input.shape[axis], 2)))
        return OnnxInference(outputs: [.activation(shape, input.elementType), .activation(shape, .int64)], flops: flops)
    }
}
