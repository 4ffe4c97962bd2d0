extension OnnxShapeInference {
    /// Folds the elements of a layout operator: `source` maps an output index to the input's flat index.
    static func relabel(_ input: OnnxValue, to shape: [Int], _ source: ([Int]) -> Int) -> [Double]? {
        guard let values = input.values, TensorArithmetic.count(shape) <= OnnxValue.valueLimit else { return nil }
        return TensorArithmetic.mapIndices(shape, source).map { values[$0] }
    }

    /// A layout operator's output: the input's type, the given shape and folded elements when known.
    static func relabeled(_ input: OnnxValue, _ shape: [Int], _ source: ([Int]) -> Int) -> OnnxValue {
        var output = OnnxValue.activation(shape, input.elementType)
        output.values = relabel(input, to: shape, source)
        return output
    }

    /// A view with the input's elements in the same order and a new shape.
    static func reshaped(_ input: OnnxValue, _ shape: [Int]) -> OnnxValue {
        var output = OnnxValue.activation(shape, input.elementType)
        output.values = input.values
        return output
    }

    static func concatenation(_ context: OnnxNodeContext) throws -> OnnxInference {
        let parts = try context.node.input.indices.filter { !context.node.input[$0].isEmpty }.map { try context.input($0) }
        guard let first = parts.first else { throw context.failure("no inputs") }
        let rank = first.shape.count
        let axis = try context.normalizedAxis(context.node.int("axis", default: 0), rank: rank)
        var shape = first.shape
        shape[axis] = 0
        for part in parts {
            guard part.shape.count == rank, part.shape.indices.allSatisfy({ $0 == axis || part.shape[$0] == first.shape[$0] }) else {
                throw context.failure("cannot concatenate \(first.shape) and \(part.shape) along axis \(axis)")
            }
            shape[axis] += part.shape[axis]
        }
        var output = OnnxValue.activation(shape, first.elementType)
        if parts.allSatisfy({ $0.values != nil }), TensorArithmetic.count(shape) <= OnnxValue.valueLimit {
            let outer = TensorArithmetic.count(shape[..<axis])
            var values: [Double] = []
            for block in 0..<outer {
                for part in parts {
                    let chunk = TensorArithmetic.count(part.shape[axis...])
                    values += part.values![(block * chunk)..<((block + 1) * chunk)]
                }
            }
            output.values = values
        }
        return OnnxInference(outputs: [output])
    }

    static func split(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let axis = try context.normalizedAxis(context.node.int("axis", default: 0), rank: input.shape.count)
        let outputCount = context.node.output.count
        var sizes: [Int]
        if let given = context.node.ints("split") {
            sizes = given
        } else if context.optionalInput(1) != nil {
            sizes = try context.constantInts(1, "split sizes")
        } else {
            let parts = context.node.int("num_outputs", default: outputCount)
            guard parts > 0, parts == outputCount else { throw context.failure("cannot split into \(parts) parts for \(outputCount) outputs") }
            let chunk = (input.shape[axis] + parts - 1) / parts
            sizes = (0..<parts).map { max(0, min(chunk, input.shape[axis] - $0 * chunk)) }
        }
        guard sizes.count == outputCount, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == input.shape[axis] else {
            throw context.failure("split sizes \(sizes) do not divide dimension \(input.shape[axis]) into \(outputCount) outputs")
        }
        var start = 0
        var outputs: [OnnxValue] = []
        for size in sizes {
            var shape = input.shape
            shape[axis] = size
            let offset = start
            let strides = TensorArithmetic.strides(input.shape)
            outputs.append(relabeled(input, shape) { index in
                index.indices.reduce(0) { $0 + ($1 == axis ? index[$1] + offset : index[$1]) * strides[$1] }
            })
            start += size
        }
        return OnnxInference(outputs: outputs)
    }

    static func slice(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        let starts: [Int], ends: [Int], axesGiven: [Int]?, steps: [Int]?
        if context.opset < 10 {
            guard let attributeStarts = context.node.ints("starts"), let attributeEnds = context.node.ints("ends") else {
                throw context.failure("missing attributes 'starts' and 'ends'")
            }
            (starts, ends, axesGiven, steps) = (attributeStarts, attributeEnds, context.node.ints("axes"), nil)
        } else {
            starts = try context.constantInts(1, "starts")
            ends = try context.constantInts(2, "ends")
            axesGiven = context.optionalInput(3) != nil ? try context.constantInts(3, "axes") : nil
            steps = context.optionalInput(4) != nil ? try context.constantInts(4, "steps") : nil
        }
        let axes = axesGiven ?? Array(0..<starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.map({ $0.count == starts.count }) ?? true else {
            throw context.failure("starts, ends, axes and steps differ in length")
        }
        var begin = [Int](repeating: 0, count: rank)
        var step = [Int](repeating: 1, count: rank)
        var shape = input.shape
        for (position, rawAxis) in axes.enumerated() {
            let axis = try context.normalizedAxis(rawAxis, rank: rank)
            let dimension = input.shape[axis]
            let stride = steps?[position] ?? 1
            guard stride != 0 else { throw context.failure("slice step 0") }
            var first = starts[position] < 0 ? starts[position] + dimension : starts[position]
            var last = ends[position] < 0 ? ends[position] + dimension : ends[position]
            if stride > 0 {
                first = min(max(first, 0), dimension)
                last = min(max(last, 0), dimension)
                shape[axis] = max(0, (last - first + stride - 1) / stride)
            } else {
                first = min(max(first, 0), dimension - 1)
                last = min(max(last, -1), dimension - 1)
                shape[axis] = max(0, (first - last + (-stride) - 1) / (-stride))
            }
            begin[axis] = first
            step[axis] = stride
        }
        let strides = TensorArithmetic.strides(input.shape)
        let output = relabeled(input, shape) { index in
            index.indices.reduce(0) { $0 + (begin[$1] + index[$1] * step[$1]) * strides[$1] }
        }
        return OnnxInference(outputs: [output])
    }

    static func gather(_ context: OnnxNodeContext) throws -> OnnxInference {
        let data = try context.input(0), indices = try context.input(1)
        let axis = try context.normalizedAxis(context.node.int("axis", default: 0), rank: data.shape.count)
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        var output = OnnxValue.activation(shape, data.elementType)
        if let indexValues = indices.values {
            let dimension = data.shape[axis]
            let resolved = try indexValues.map { raw -> Int in
                let index = OnnxNumbers.clampedInt(raw)
                let wrapped = index < 0 ? index + dimension : index
                guard wrapped >= 0, wrapped < dimension else { throw context.failure("index \(index) is out of range for dimension \(dimension)") }
                return wrapped
            }
            let strides = TensorArithmetic.strides(data.shape)
            let indexStrides = TensorArithmetic.strides(indices.shape)
            let indexRank = indices.shape.count
            output.values = relabel(data, to: shape) { index in
                var flat = 0
                for outer in 0..<axis { flat += index[outer] * strides[outer] }
                var position = 0
                for inner in 0..<indexRank { position += index[axis + inner] * indexStrides[inner] }
                flat += resolved[position] * strides[axis]
                for rest in (axis + 1)..<max(axis + 1, data.shape.count) { flat += index[rest + indexRank - 1] * strides[rest] }
                return flat
            }
        }
        return OnnxInference(outputs: [output])
    }

    static func gatherElements(_ context: OnnxNodeContext) throws -> OnnxInference {
        let data = try context.input(0), indices = try context.input(1)
        guard data.shape.count == indices.shape.count else { throw context.failure("data \(data.shape) and indices \(indices.shape) differ in rank") }
        return OnnxInference(outputs: [.activation(indices.shape, data.elementType)])
    }

    static func reshape(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let requested: [Int]
        if context.optionalInput(1) != nil { requested = try context.constantInts(1, "target shape") }
        else if let attribute = context.node.ints("shape") { requested = attribute }
        else { throw context.failure("no target shape") }
        let allowZero = context.node.int("allowzero", default: 0) != 0
        var shape = try requested.enumerated().map { position, dimension -> Int in
            if dimension == 0 && !allowZero {
                guard position < input.shape.count else { throw context.failure("target dimension \(position) copies a dimension the input \(input.shape) lacks") }
                return input.shape[position]
            }
            guard dimension >= -1 else { throw context.failure("invalid target dimension \(dimension)") }
            return dimension
        }
        let inferred = shape.indices.filter { shape[$0] == -1 }
        guard inferred.count <= 1 else { throw context.failure("more than one -1 in target shape \(requested)") }
        let known = TensorArithmetic.count(shape.filter { $0 != -1 })
        if let position = inferred.first {
            guard known > 0, input.elementCount % known == 0 else { throw context.failure("cannot reshape \(input.shape) to \(requested)") }
            shape[position] = input.elementCount / known
        }
        guard TensorArithmetic.count(shape) == input.elementCount else { throw context.failure("cannot reshape \(input.shape) (\(input.elementCount) elements) to \(requested)") }
        return OnnxInference(outputs: [reshaped(input, shape)])
    }

    static func flatten(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        var axis = context.node.int("axis", default: 1)
        if axis < 0 { axis += rank }
        guard axis >= 0, axis <= rank else { throw context.failure("axis \(axis) is out of range for rank \(rank)") }
        return OnnxInference(outputs: [reshaped(input, [TensorArithmetic.count(input.shape[..<axis]), TensorArithmetic.count(input.shape[axis...])])])
    }

    static func transpose(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        let permutation = context.node.ints("perm") ?? Array((0..<rank).reversed())
        guard permutation.sorted() == Array(0..<rank) else { throw context.failure("perm \(permutation) is not a permutation of 0..<\(rank)") }
        let shape = permutation.map { input.shape[$0] }
        let strides = TensorArithmetic.strides(input.shape)
        let output = relabeled(input, shape) { index in
            index.indices.reduce(0) { $0 + index[$1] * strides[permutation[$1]] }
        }
        return OnnxInference(outputs: [output])
    }

    static func squeeze(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        let axes = try context.axes(inputIndex: 1).map { try $0.map { try context.normalizedAxis($0, rank: rank) } }
            ?? input.shape.indices.filter { input.shape[$0] == 1 }
        for axis in axes where input.shape[axis] != 1 {
            throw context.failure("cannot squeeze axis \(axis) of size \(input.shape[axis])")
        }
        let shape = input.shape.indices.filter { !axes.contains($0) }.map { input.shape[$0] }
        return OnnxInference(outputs: [reshaped(input, shape)])
    }

    static func unsqueeze(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        guard let given = try context.axes(inputIndex: 1) else { throw context.failure("no axes") }
        let rank = input.shape.count + given.count
        let axes = Set(try given.map { try context.normalizedAxis($0, rank: rank) })
        guard axes.count == given.count else { throw context.failure("repeated axes \(given)") }
        var remaining = input.shape[...]
        let shape = (0..<rank).map { axes.contains($0) ? 1 : remaining.popFirst() ?? 1 }
        return OnnxInference(outputs: [reshaped(input, shape)])
    }

    static func pad(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        var pads: [Int]
        if context.opset < 11 {
            guard let given = context.node.ints("pads") ?? context.node.ints("paddings") else { throw context.failure("missing attribute 'pads'") }
            pads = given
        } else {
            pads = try context.constantInts(1, "pads")
        }
        let axes = try context.optionalInput(3) != nil ? context.constantInts(3, "axes").map { try context.normalizedAxis($0, rank: rank) } : Array(0..<rank)
        guard pads.count == 2 * axes.count else { throw context.failure("pads \(pads) do not match \(axes.count) axes") }
        var shape = input.shape
        for (position, axis) in axes.enumerated() { shape[axis] += pads[position] + pads[position + axes.count] }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw context.failure("pads \(pads) make \(input.shape) negative") }
        return OnnxInference(outputs: [.activation(shape, input.elementType)])
    }

    /// Resize (opset 10: X, scales; 11+: X, roi, scales, sizes) and Upsample (scales attribute or input).
    static func resize(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let rank = input.shape.count
        var shape: [Int]
        if context.node.opType == "Resize" && context.opset >= 11 && context.optionalInput(3) != nil {
            shape = try context.constantInts(3, "sizes")
        } else {
            let scales: [Double]
            if let attribute = context.node.attribute("scales"), !attribute.floats.isEmpty {
                scales = attribute.floats.map(Double.init)
            } else {
                let index = context.node.opType == "Resize" && context.opset >= 11 ? 2 : 1
                scales = try context.constantValues(index, "scales")
            }
            guard scales.count == rank else { throw context.failure("\(scales.count) scales for rank \(rank)") }
            shape = zip(input.shape, scales).map { OnnxNumbers.clampedInt((Double($0) * $1).rounded(.down)) }
        }
        if shape.count != rank, let axes = context.node.ints("axes"), axes.count == shape.count {
            var full = input.shape
            for (position, axis) in axes.enumerated() { full[try context.normalizedAxis(axis, rank: rank)] = shape[position] }
            shape = full
        }
        guard shape.count == rank else { throw context.failure("output sizes \(shape) do not match rank \(rank)") }
        let mode = context.node.string("mode", default: "nearest")
        let perElement: Double = mode.contains("cubic") ? 16 : (mode.contains("linear") ? 4 : 1)
        return OnnxInference(outputs: [.activation(shape, input.elementType)], flops: perElement * Double(TensorArithmetic.count(shape)))
    }

    static func expand(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let requested = try context.constantInts(1, "target shape")
        guard let shape = TensorArithmetic.broadcast(input.shape, requested) else {
            throw context.failure("cannot expand \(input.shape) to \(requested)")
        }
        var output = OnnxValue.activation(shape, input.elementType)
        output.values = TensorArithmetic.elementwise([input], outputShape: shape) { $0[0] }
        return OnnxInference(outputs: [output])
    }

    static func tile(_ context: OnnxNodeContext) throws -> OnnxInference {
        let input = try context.input(0)
        let repeats = try context.constantInts(1, "repeats")
        guard repeats.count == input.shape.count, repeats.allSatisfy({ $0 >= 0 }) else {
            throw context.failure("repeats \(repeats) do not match \(input.shape)")
        }
        let shape = zip(input.shape, repeats).map { $0 * $1 }
        let strides = TensorArithmetic.strides(input.shape)
        let output = relabeled(input, shape) { index in
            index.indices.reduce(0) { $0 + (index[$1] % max(input.shape[$1], 1)) * strides[$1] }
        }
        return OnnxInference(outputs: [output])
    }
}
