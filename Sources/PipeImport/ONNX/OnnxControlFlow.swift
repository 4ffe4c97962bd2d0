import PipeGraph

/// How the importer costs the control-flow operators, whose work is a subgraph's (docs/importers.md,
/// "Functions and control flow").
///
/// Each becomes ONE graph node: the cost model places a node in one stage, and a subgraph's nodes do
/// not exist outside the operator that runs them.
/// * `If`: the work of the costlier branch (only one runs, and which is known only at run time);
///   the taken branch's when the condition is a constant. Parameter memory is both branches'
///   (both stay resident); outputs are shaped as the costlier branch's.
/// * `Loop`: the body's work × the trip count, which must be a constant (input `M`); a loop that
///   may end earlier through its condition is costed for all `M` iterations, an upper bound.
/// * `Scan`: the body's work × the length of the scanned axis (known from the shapes).
///
/// The node depends on its inputs and on every enclosing value its subgraphs read.
enum OnnxControlFlow {
    /// The operators costed here.
    static let operators: Set<String> = ["If", "Loop", "Scan"]

    /// A subgraph's cost with the values of the enclosing scope visible.
    struct SubgraphCost {
        /// Σ work of its compute nodes (profile units).
        var work = 0.0
        var flops = 0.0
        var macs = 0.0
        /// Parameter bytes its nodes charge (each weight once across the node's subgraphs).
        var memory = 0.0
        /// Its outputs, aligned with the subgraph's `output`.
        var outputs: [OnnxValue] = []
    }
}

extension Onnx_NodeProto {
    /// The values the node reads: its inputs, and what its subgraphs read from enclosing scopes.
    var referencedNames: [String] {
        input + attribute.flatMap { attribute in
            (attribute.hasG ? [attribute.g] : []) + attribute.graphs
        }.flatMap(\.freeNames)
    }
}

extension Onnx_GraphProto {
    /// The names the graph reads but does not define (enclosing-scope values).
    var freeNames: [String] {
        var defined = Set(input.map(\.name) + initializer.map(\.name))
        for node in node { defined.formUnion(node.output) }
        var seen: Set<String> = []
        return (node.flatMap(\.referencedNames) + output.map(\.name)).filter { name in
            !name.isEmpty && !defined.contains(name) && seen.insert(name).inserted
        }
    }
}

extension OnnxGraphBuilder {
    /// Adds `If`, `Loop` or `Scan` as one node costed from its subgraphs (``OnnxControlFlow``).
    mutating func addControlFlow(_ context: OnnxNodeContext, consumed: Set<String>) throws {
        let node = context.node
        var producers = Set(context.inputs.compactMap { $0?.producer })
        for name in node.referencedNames { if let producer = values[name]?.producer { producers.insert(producer) } }
        let cost: OnnxControlFlow.SubgraphCost
        switch node.opType {
        case "If": cost = try ifCost(context)
        case "Loop": cost = try loopCost(context)
        default: cost = try scanCost(context)
        }
        guard cost.outputs.count >= node.output.filter({ !$0.isEmpty }).count else {
            throw context.failure("its subgraph has \(cost.outputs.count) outputs for the node's \(node.output.count)")
        }
        addNode(for: node, outputs: cost.outputs, work: cost.work, flops: cost.flops, macs: cost.macs,
                memory: cost.memory, producers: producers.sorted(), consumed: consumed)
    }

    /// The graph attribute `name`, which the operator requires.
    private func subgraph(_ context: OnnxNodeContext, _ name: String) throws -> Onnx_GraphProto {
        guard let attribute = context.node.attribute(name), attribute.hasG else {
            throw context.failure("missing the graph attribute '\(name)'")
        }
        return attribute.g
    }

    /// Imports `subgraph` in a builder that sees this scope's values (as inputs: their producers
    /// are this graph's nodes) and `bound` for the subgraph's own inputs; sums its nodes.
    private mutating func cost(of subgraph: Onnx_GraphProto, bound: [OnnxValue], context: OnnxNodeContext) throws -> OnnxControlFlow.SubgraphCost {
        guard bound.count == subgraph.input.count else {
            throw context.failure("its subgraph '\(subgraph.name)' takes \(subgraph.input.count) inputs, the operator gives \(bound.count)")
        }
        var inner = OnnxGraphBuilder(graph: subgraph, opset: opset, profile: profile)
        inner.values = values.mapValues { value in
            var outer = value
            outer.producer = nil
            return outer
        }
        for (info, value) in zip(subgraph.input, bound) { inner.values[info.name] = value }
        inner.chargedParameters = chargedParameters
        try inner.declareValues()
        _ = try inner.visitNodes()
        chargedParameters = inner.chargedParameters
        var result = OnnxControlFlow.SubgraphCost()
        result.work = inner.nodes.reduce(0) { $0 + $1.work }
        result.memory = inner.nodes.reduce(0) { $0 + $1.memory }
        result.flops = inner.flops.reduce(0, +)
        result.macs = inner.macs.reduce(0, +)
        result.outputs = try subgraph.output.map { info in
            guard let value = inner.values[info.name] else {
                throw context.failure("its subgraph's output '\(info.name)' is never computed")
            }
            return value
        }
        return result
    }

    private mutating func ifCost(_ context: OnnxNodeContext) throws -> OnnxControlFlow.SubgraphCost {
        let condition = try context.input(0)
        let thenBranch = try subgraph(context, "then_branch"), elseBranch = try subgraph(context, "else_branch")
        if let known = condition.values?.first {
            return try cost(of: known != 0 ? thenBranch : elseBranch, bound: [], context: context)
        }
        let thenCost = try cost(of: thenBranch, bound: [], context: context)
        let elseCost = try cost(of: elseBranch, bound: [], context: context)
        var larger = thenCost.work >= elseCost.work ? thenCost : elseCost
        larger.memory = thenCost.memory + elseCost.memory
        return larger
    }

    private mutating func loopCost(_ context: OnnxNodeContext) throws -> OnnxControlFlow.SubgraphCost {
        let body = try subgraph(context, "body")
        guard context.optionalInput(0) != nil, let tripValue = context.optionalInput(0)?.values?.first else {
            throw context.failure("the trip count (input M) is not a constant the importer can evaluate, so the loop's cost "
                                  + "is unknown; give the symbolic dimensions it is computed from in --profile "
                                  + "(dimension_values), or unroll the loop on export")
        }
        let tripCount = max(0, OnnxNumbers.clampedInt(tripValue))
        // Inside the body the iteration number and the condition are scalars, the carried values change per iteration.
        let carried = try (2..<max(2, context.inputs.count)).map { position -> OnnxValue in
            let initial = try context.input(position)
            return .activation(initial.shape, initial.elementType)
        }
        var result = try cost(of: body, bound: [.activation([], .int64), .activation([], .bool)] + carried, context: context)
        guard result.outputs.count >= 1 + carried.count else {
            throw context.failure("its body returns \(result.outputs.count) values, fewer than the condition and \(carried.count) carried ones")
        }
        // The body's outputs: the condition, the carried values, then per-iteration values stacked on a new first axis.
        let perIteration = result.outputs.dropFirst(1 + carried.count).map { value in
            OnnxValue.activation([tripCount] + value.shape, value.elementType)
        }
        result.outputs = Array(result.outputs[1..<(1 + carried.count)]) + perIteration
        result.scale(by: tripCount)
        return result
    }

    private mutating func scanCost(_ context: OnnxNodeContext) throws -> OnnxControlFlow.SubgraphCost {
        guard context.opset >= 9 else { throw context.failure("Scan before opset 9 (with a batch axis) is not supported") }
        let body = try subgraph(context, "body")
        let scanCount = context.node.int("num_scan_inputs", default: 0)
        let stateCount = context.inputs.count - scanCount
        guard scanCount >= 1, stateCount >= 0 else {
            throw context.failure("num_scan_inputs is \(scanCount) for \(context.inputs.count) inputs")
        }
        let inputAxes = context.node.ints("scan_input_axes") ?? Array(repeating: 0, count: scanCount)
        let states = try (0..<stateCount).map { position -> OnnxValue in
            let initial = try context.input(position)
            return .activation(initial.shape, initial.elementType)
        }
        var tripCount = 0
        var slices: [OnnxValue] = []
        for index in 0..<scanCount {
            let scanned = try context.input(stateCount + index)
            let axis = try context.normalizedAxis(index < inputAxes.count ? inputAxes[index] : 0, rank: scanned.shape.count)
            if index == 0 { tripCount = scanned.shape[axis] }
            var shape = scanned.shape
            shape.remove(at: axis)
            slices.append(.activation(shape, scanned.elementType))
        }
        var result = try cost(of: body, bound: states + slices, context: context)
        guard result.outputs.count >= stateCount else {
            throw context.failure("its body returns \(result.outputs.count) values, fewer than its \(stateCount) states")
        }
        let outputAxes = context.node.ints("scan_output_axes") ?? []
        let perIteration = try result.outputs.dropFirst(stateCount).enumerated().map { index, value -> OnnxValue in
            let axis = try context.normalizedAxis(index < outputAxes.count ? outputAxes[index] : 0, rank: value.shape.count + 1)
            var shape = value.shape
            shape.insert(tripCount, at: axis)
            return .activation(shape, value.elementType)
        }
        result.outputs = Array(result.outputs.prefix(stateCount)) + perIteration
        result.scale(by: tripCount)
        return result
    }
}

extension OnnxControlFlow.SubgraphCost {
    /// The cost of running the subgraph `count` times (its parameters stay resident once).
    mutating func scale(by count: Int) {
        work *= Double(count)
        flops *= Double(count)
        macs *= Double(count)
    }
}
