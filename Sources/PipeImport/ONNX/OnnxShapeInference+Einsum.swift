import PipeGraph

extension OnnxShapeInference {
    /// Einsum: `equation` such as `bhqd,bhkd->bhqk` (with `...` for broadcast axes and an
    /// implicit output, the letters used once in alphabetical order, when `->` is absent). The
    /// work is one multiply-add per point of the joint index space: MACs = the product of every
    /// letter's size and the broadcast axes' sizes, FLOPs = 2·MACs (one addition per point for a
    /// single operand).
    static func einsum(_ context: OnnxNodeContext) throws -> OnnxInference {
        let equation = context.node.string("equation", default: "").filter { !$0.isWhitespace }
        let sides = equation.components(separatedBy: "->")
        guard sides.count <= 2 else { throw context.failure("equation '\(equation)' has more than one '->'") }
        let terms = sides[0].components(separatedBy: ",")
        let operands = try (0..<context.node.input.count).map { try context.input($0) }
        guard terms.count == operands.count, !operands.isEmpty else {
            throw context.failure("equation '\(equation)' names \(terms.count) operands, the node has \(operands.count)")
        }
        var sizes: [Character: Int] = [:]
        var broadcastShape: [Int] = []
        var uses: [Character: Int] = [:]
        for (term, operand) in zip(terms, operands) {
            let parts = term.components(separatedBy: "...")
            guard parts.count <= 2 else { throw context.failure("term '\(term)' has more than one '...'") }
            let letters = Array(parts.joined())
            guard letters.allSatisfy(\.isLetter) else { throw context.failure("term '\(term)' has a character that is not a letter") }
            let ellipsisRank = operand.shape.count - letters.count
            guard parts.count == 2 ? ellipsisRank >= 0 : ellipsisRank == 0 else {
                throw context.failure("term '\(term)' does not match the rank of shape \(operand.shape)")
            }
            let before = parts[0].count
            let ellipsis = parts.count == 2 ? Array(operand.shape[before..<(before + ellipsisRank)]) : []
            guard let joined = TensorArithmetic.broadcast(broadcastShape, ellipsis) else {
                throw context.failure("the '...' axes of \(operand.shape) do not broadcast with \(broadcastShape)")
            }
            broadcastShape = joined
            let letterSizes = Array(operand.shape[..<before]) + Array(operand.shape[(before + ellipsisRank)...])
            for (letter, size) in zip(letters, letterSizes) {
                uses[letter, default: 0] += 1
                if let known = sizes[letter], known != size {
                    // Size 1 broadcasts, as in numpy's einsum.
                    guard known == 1 || size == 1 else { throw context.failure("letter '\(letter)' has sizes \(known) and \(size)") }
                    sizes[letter] = max(known, size)
                } else {
                    sizes[letter] = size
                }
            }
        }
        let outputTerm = sides.count == 2 ? sides[1] : "..." + String(uses.filter { $0.value == 1 }.keys.sorted())
        let outputParts = outputTerm.components(separatedBy: "...")
        guard outputParts.count <= 2 else { throw context.failure("the output '\(outputTerm)' has more than one '...'") }
        var shape: [Int] = []
        for (position, part) in outputParts.enumerated() {
            if position == 1 { shape += broadcastShape }
            for letter in part {
                guard let size = sizes[letter] else { throw context.failure("output letter '\(letter)' is not in any operand") }
                shape.append(size)
            }
        }
        let points = sizes.values.reduce(Double(TensorArithmetic.count(broadcastShape))) { $0 * Double($1) }
        let macs = operands.count > 1 ? points : 0
        return OnnxInference(outputs: [.activation(shape, operands[0].elementType)], flops: operands.count > 1 ? 2 * points : points, macs: macs)
    }
}
