import PipeGraph

extension OnnxShapeInference {
    /// ScatterND: a copy of `data` (input 0) with the slices that `indices` (input 1, last axis of
    /// length q ≤ rank) address replaced by `updates` (input 2, shaped indices[:-1] + data[q:]).
    /// The output has data's shape and type; torch exports of in-place slice assignment
    /// (`mask[:, a:b] = c`, as in Swin's attention masks) produce it, usually on constants, so
    /// small constant scatters are evaluated. Reductions (`reduction` attribute) are counted, not
    /// evaluated.
    static func scatterND(_ context: OnnxNodeContext) throws -> OnnxInference {
        let data = try context.input(0), indices = try context.input(1), updates = try context.input(2)
        guard let depth = indices.shape.last, !indices.shape.isEmpty else { throw context.failure("the indices are a scalar") }
        guard depth <= data.shape.count else {
            throw context.failure("indices address \(depth) axes of a rank-\(data.shape.count) tensor")
        }
        let expected = Array(indices.shape.dropLast()) + Array(data.shape[depth...])
        guard updates.shape == expected else {
            throw context.failure("updates have shape \(updates.shape), expected \(expected) for data \(data.shape) and indices \(indices.shape)")
        }
        var output = OnnxValue.activation(data.shape, data.elementType)
        let reduction = context.node.string("reduction", default: "none")
        if reduction == "none", var values = data.values, let indexValues = indices.values, let updateValues = updates.values {
            let strides = TensorArithmetic.strides(data.shape)
            let sliceSize = TensorArithmetic.count(data.shape[depth...])
            for tuple in 0..<(depth == 0 ? 1 : indexValues.count / depth) {
                var offset = 0
                for axis in 0..<depth {
                    let raw = OnnxNumbers.clampedInt(indexValues[tuple * depth + axis])
                    let index = raw < 0 ? raw + data.shape[axis] : raw
                    guard index >= 0, index < data.shape[axis] else {
                        throw context.failure("index \(raw) is out of range for dimension \(data.shape[axis])")
                    }
                    offset += index * strides[axis]
                }
                for element in 0..<sliceSize { values[offset + element] = updateValues[tuple * sliceSize + element] }
            }
            output.values = values
        }
        return OnnxInference(outputs: [output], flops: Double(updates.elementCount))
    }

    /// ScatterElements (and the older Scatter): `data` with elements replaced along an axis; the
    /// output has data's shape and type. Elements are not evaluated.
    static func scatterElements(_ context: OnnxNodeContext) throws -> OnnxInference {
        let data = try context.input(0), indices = try context.input(1), updates = try context.input(2)
        guard indices.shape == updates.shape, indices.shape.count == data.shape.count else {
            throw context.failure("indices \(indices.shape) and updates \(updates.shape) must have data's rank \(data.shape.count) and one shape")
        }
        _ = try context.normalizedAxis(context.node.int("axis", default: 0), rank: data.shape.count)
        return OnnxInference(outputs: [.activation(data.shape, data.elementType)], flops: Double(updates.elementCount))
    }
}
