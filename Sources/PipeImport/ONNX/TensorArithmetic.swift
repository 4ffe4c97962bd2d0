/// Shape and element arithmetic for shape inference and constant folding (row-major tensors).
enum TensorArithmetic {
    /// The largest dimension the importer accepts: small enough that sums of products of two
    /// dimensions or attribute values cannot overflow an Int.
    static let dimensionLimit = 1 << 30

    /// The number of elements of `shape`, saturating at 2^62 instead of overflowing.
    static func count(_ shape: some Collection<Int>) -> Int {
        var result = 1
        for dimension in shape {
            let (product, overflow) = result.multipliedReportingOverflow(by: max(dimension, 0))
            if overflow || product > 1 << 62 { return 1 << 62 }
            result = product
        }
        return result
    }

    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var result = [Int](repeating: 1, count: shape.count)
        var stride = 1
        for axis in shape.indices.reversed() {
            result[axis] = stride
            stride = stride &* max(shape[axis], 1)
        }
        return result
    }

    /// The numpy broadcast of two shapes, or nil when they do not broadcast.
    static func broadcast(_ left: [Int], _ right: [Int]) -> [Int]? {
        let rank = max(left.count, right.count)
        var result = [Int](repeating: 1, count: rank)
        for offset in 0..<rank {
            let a = offset < left.count ? left[left.count - 1 - offset] : 1
            let b = offset < right.count ? right[right.count - 1 - offset] : 1
            guard a == b || a == 1 || b == 1 else { return nil }
            result[rank - 1 - offset] = a == 1 ? b : a
        }
        return result
    }

    /// For each element of `outputShape`, the flat index of the element of `shape` that
    /// broadcasts to it (`shape` must broadcast to `outputShape`).
    static func broadcastSources(from shape: [Int], to outputShape: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: outputShape.count - shape.count) + shape
        let sourceStrides = strides(padded)
        return mapIndices(outputShape) { index in
            var flat = 0
            for axis in index.indices where padded[axis] != 1 { flat += index[axis] * sourceStrides[axis] }
            return flat
        }
    }

    /// Calls `source` with every multi-index of `shape` in row-major order and collects the results.
    static func mapIndices(_ shape: [Int], _ source: ([Int]) -> Int) -> [Int] {
        let count = TensorArithmetic.count(shape)
        guard count > 0 else { return [] }
        var index = [Int](repeating: 0, count: shape.count)
        var result: [Int] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append(source(index))
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// Elementwise `operation` with broadcasting over any number of operands; nil when any
    /// operand's elements are unknown or the result is too large to keep.
    static func elementwise(_ operands: [OnnxValue], outputShape: [Int], _ operation: ([Double]) -> Double) -> [Double]? {
        guard TensorArithmetic.count(outputShape) <= OnnxValue.valueLimit else { return nil }
        var gathered: [[Double]] = []
        for operand in operands {
            guard let values = operand.values else { return nil }
            gathered.append(broadcastSources(from: operand.shape, to: outputShape).map { values[$0] })
        }
        let count = TensorArithmetic.count(outputShape)
        return (0..<count).map { position in operation(gathered.map { $0[position] }) }
    }

    /// Truncates toward zero for integer tensors (ONNX integer semantics), keeps floats.
    static func conform(_ value: Double, to type: OnnxElementType) -> Double {
        guard type.isInteger, value.isFinite else { return value }
        return value.rounded(.towardZero)
    }
}
