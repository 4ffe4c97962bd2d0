extension OnnxShapeInference {
    /// MatMul with numpy semantics: 1-D operands are promoted and the added axis removed; batch dimensions broadcast.
    static func matrixProduct(_ context: OnnxNodeContext) throws -> OnnxInference {
        let left = try context.input(0), right = try context.input(1)
        guard !left.shape.isEmpty, !right.shape.isEmpty else { throw context.failure("MatMul of a scalar") }
        let a = left.shape.count == 1 ? [1] + left.shape : left.shape
        let b = right.shape.count == 1 ? right.shape + [1] : right.shape
        let rows = a[a.count - 2], inner = a[a.count - 1], columns = b[b.count - 1]
        guard b[b.count - 2] == inner else { throw context.failure("shapes \(left.shape) and \(right.shape) do not multiply") }
        guard let batch = TensorArithmetic.broadcast(Array(a.dropLast(2)), Array(b.dropLast(2))) else {
            throw context.failure("batch dimensions of \(left.shape) and \(right.shape) do not broadcast")
        }
        var output = batch
        if left.shape.count > 1 { output.append(rows) }
        if right.shape.count > 1 { output.append(columns) }
        let macs = Double(TensorArithmetic.count(batch)) * Double(rows) * Double(inner) * Double(columns)
        return OnnxInference(outputs: [.activation(output, left.elementType)], flops: 2 * macs, macs: macs)
    }

    /// Gemm: alpha·A'·B' + beta·C with A' = A or Aᵀ (transA), B' = B or Bᵀ (transB).
    static func generalMatrixProduct(_ context: OnnxNodeContext) throws -> OnnxInference {
        let left = try context.input(0), right = try context.input(1)
        guard left.shape.count == 2, right.shape.count == 2 else {
            throw context.failure("Gemm needs 2-D operands, found \(left.shape) and \(right.shape)")
        }
        let transposeLeft = context.node.int("transA", default: 0) != 0
        let transposeRight = context.node.int("transB", default: 0) != 0
        let rows = transposeLeft ? left.shape[1] : left.shape[0]
        let inner = transposeLeft ? left.shape[0] : left.shape[1]
        let innerRight = transposeRight ? right.shape[1] : right.shape[0]
        let columns = transposeRight ? right.shape[0] : right.shape[1]
        guard inner == innerRight else { throw context.failure("shapes \(left.shape) and \(right.shape) do not multiply (transA \(transposeLeft), transB \(transposeRight))") }
        let macs = Double(rows) * Double(inner) * Double(columns)
        let addend = context.optionalInput(2) != nil ? Double(rows * columns) : 0
        return OnnxInference(outputs: [.activation([rows, columns], left.elementType)], flops: 2 * macs + addend, macs: macs)
    }
}
