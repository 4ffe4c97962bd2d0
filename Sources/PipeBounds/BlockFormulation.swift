import MIP
import PipeGraph

/// Two nested ideals I₁ ⊆ I₂ of the graph, splitting it into P = I₁ (stages before a block),
/// the block B = I₂ ∖ I₁, and Q = V ∖ I₂ (stages after it): the shared core of the single-block
/// (L2) and guess-block (L3) MIPs.
///
/// Columns: before(v) = [v ∈ I₁] and upTo(v) = [v ∈ I₂], binary, with before(v) ≤ before(u) and
/// upTo(v) ≤ upTo(u) on every edge (u, v) (ideals) and before(v) ≤ upTo(v) (nesting). Costs are
/// divided by ``scale``. The cost expressions below use extra continuous in/out columns whose rows
/// force them up to the indicator they stand for; see docs/formulations.md.
public struct BlockFormulation: Sendable {
    /// The model being built; callers add their rows and objective.
    public var model: Model
    /// Every cost in the model is the graph's cost divided by this.
    public let scale: Double
    /// [v ∈ I₁] for every node.
    public let before: [Variable]
    /// [v ∈ I₂] for every node.
    public let upTo: [Variable]
    private let graph: ComputationGraph

    /// Creates the columns and the ideal, nesting and colocation rows.
    public init(graph: ComputationGraph, scale: Double, name: String) {
        self.graph = graph
        self.scale = scale
        var model = Model(name: name)
        before = (0..<graph.nodeCount).map { model.addBinary(name: "p_\($0)") }
        upTo = (0..<graph.nodeCount).map { model.addBinary(name: "q_\($0)") }
        for (producer, consumer) in graph.precedenceEdges {
            model.addConstraint(before[consumer] <= before[producer])
            model.addConstraint(upTo[consumer] <= upTo[producer])
        }
        for node in 0..<graph.nodeCount {
            model.addConstraint(before[node] <= upTo[node])
        }
        for members in graph.groupMembers {
            guard let first = members.first else { continue }
            for member in members.dropFirst() {
                model.addConstraint(LinearExpression(before[member]) == LinearExpression(before[first]))
                model.addConstraint(LinearExpression(upTo[member]) == LinearExpression(upTo[first]))
            }
        }
        self.model = model
    }

    /// [v ∈ B] = upTo(v) − before(v).
    public func inBlock(_ node: Int) -> LinearExpression { upTo[node] - before[node] }

    /// Σ weight(v) [v ∈ B] (unscaled weights, scaled by `factor`).
    public func blockSum(_ weight: (Node) -> Double, factor: Double) -> LinearExpression {
        Self.setSum(graph: graph, weight, factor: factor, member: inBlock)
    }

    /// Σ weight(v) · member(v) (unscaled weights, scaled by `factor`) over a node set given by an indicator
    /// expression per node: B's sums here, and the stage-cover bound's pricing set.
    public static func setSum(graph: ComputationGraph, _ weight: (Node) -> Double, factor: Double,
                              member: (Int) -> LinearExpression) -> LinearExpression {
        var sum = LinearExpression(capacity: 2 * graph.nodeCount)
        for node in 0..<graph.nodeCount where weight(graph.nodes[node]) != 0 {
            sum.add(member(node), times: weight(graph.nodes[node]) * factor)
        }
        return sum
    }

    /// Σ weight(v) [v ∈ P].
    public func beforeSum(_ weight: (Node) -> Double, factor: Double) -> LinearExpression {
        var sum = LinearExpression(capacity: graph.nodeCount)
        for node in 0..<graph.nodeCount where weight(graph.nodes[node]) != 0 { sum.add(weight(graph.nodes[node]) * factor, before[node]) }
        return sum
    }

    /// Σ weight(v) [v ∈ Q] = Σ weight(v) (1 − upTo(v)).
    public func afterSum(_ weight: (Node) -> Double, factor: Double) -> LinearExpression {
        var sum = LinearExpression(capacity: graph.nodeCount)
        for node in 0..<graph.nodeCount where weight(graph.nodes[node]) != 0 {
            let value = weight(graph.nodes[node]) * factor
            sum.constant += value
            sum.add(-value, upTo[node])
        }
        return sum
    }

    /// f(B), scaled: work plus, per producer, one in column (u ∉ B feeding B) and one out column (u ∈ B feeding outside).
    public mutating func blockCost() -> LinearExpression {
        let inBlock = self.inBlock
        return Self.setCost(graph: graph, scale: scale, model: &model, name: "B", member: inBlock)
    }

    /// f(S), scaled, of the node set S whose indicator for node v is `member(v)` (an expression with values in
    /// 0…1), added to `model`: work plus, per producer u, an in column ≥ [u ∉ S, some consumer in S] and an out
    /// column ≥ [u ∈ S, some consumer outside], named in`name`_u and out`name`_u. The block MIPs and the
    /// stage-cover bound's pricing MIP share it.
    public static func setCost(graph: ComputationGraph, scale: Double, model: inout Model, name: String,
                               member: (Int) -> LinearExpression) -> LinearExpression {
        var cost = setSum(graph: graph, \.work, factor: 1 / scale, member: member)
        for producer in 0..<graph.nodeCount where graph.nodes[producer].comm > 0 && !graph.successors[producer].isEmpty {
            let comm = graph.nodes[producer].comm / scale
            let input = model.addVariable(lower: 0, upper: 1, name: "in\(name)_\(producer)")
            let output = model.addVariable(lower: 0, upper: 1, name: "out\(name)_\(producer)")
            for consumer in graph.successors[producer] {
                model.addConstraint(input - member(consumer) + member(producer) >= 0)
                model.addConstraint(output - member(producer) + member(consumer) >= 0)
            }
            cost.add(comm, input)
            cost.add(comm, output)
        }
        return cost
    }

    /// One stage S as a MIP over `graph`, added to `model`: a binary x_v per node (S = {x = 1}) and two continuous
    /// a_v, d_v ∈ [0, 1] ("S holds a strict ancestor / descendant of v") with a_v ≥ x_u and a_v ≥ a_u for each
    /// precedence edge u → v, d_u ≥ x_v and d_u ≥ d_v likewise, and x_v ≥ a_v + d_v − 1 (a node between two
    /// members is a member: convexity); groups whole; f(S), scaled (``setCost``), with the row f(S) ≤ `costAtMost`
    /// (scaled) when given; the memory row. Every stage is feasible (a_v, d_v at their indicators) and every
    /// feasible S is convex. The stage-cover bound's pricing MIP and the convex-stage bound share it
    /// (docs/formulations.md, L5 and "Convex-stage bound").
    public static func stage(graph: ComputationGraph, scale: Double, costAtMost: Double? = nil,
                             model: inout Model) -> (inside: [Variable], cost: LinearExpression) {
        let inside = (0..<graph.nodeCount).map { model.addBinary(name: "x_\($0)") }
        let hasAncestor = (0..<graph.nodeCount).map { model.addVariable(lower: 0, upper: 1, name: "a_\($0)") }
        let hasDescendant = (0..<graph.nodeCount).map { model.addVariable(lower: 0, upper: 1, name: "d_\($0)") }
        for (producer, consumer) in graph.precedenceEdges {
            model.addConstraint(hasAncestor[consumer] - inside[producer] >= 0)
            model.addConstraint(hasAncestor[consumer] - hasAncestor[producer] >= 0)
            model.addConstraint(hasDescendant[producer] - inside[consumer] >= 0)
            model.addConstraint(hasDescendant[producer] - hasDescendant[consumer] >= 0)
        }
        for node in 0..<graph.nodeCount { model.addConstraint(inside[node] - hasAncestor[node] - hasDescendant[node] >= -1) }
        for members in graph.groupMembers {
            guard let first = members.first else { continue }
            for member in members.dropFirst() { model.addConstraint(LinearExpression(inside[member]) == LinearExpression(inside[first])) }
        }
        let cost = setCost(graph: graph, scale: scale, model: &model, name: "S") { LinearExpression(inside[$0]) }
        if let costAtMost { model.addConstraint(cost <= costAtMost, name: "cost") }
        if let cap = graph.stageMemory {
            let memory = setSum(graph: graph, \.memory, factor: 1 / cap) { LinearExpression(inside[$0]) }
            model.addConstraint(memory <= 1, name: "memory")
        }
        return (inside, cost)
    }

    /// f(P), scaled: P = I₁ is an ideal, so it only pays out-communication.
    public mutating func beforeCost() -> LinearExpression {
        var cost = beforeSum(\.work, factor: 1 / scale)
        for producer in 0..<graph.nodeCount where graph.nodes[producer].comm > 0 && !graph.successors[producer].isEmpty {
            let output = model.addVariable(lower: 0, upper: 1, name: "outP_\(producer)")
            for consumer in graph.successors[producer] {
                model.addConstraint(output - before[producer] + before[consumer] >= 0)
            }
            cost.add(graph.nodes[producer].comm / scale, output)
        }
        return cost
    }

    /// f(Q), scaled: Q = V ∖ I₂ is closed under successors, so it only pays in-communication.
    public mutating func afterCost() -> LinearExpression {
        var cost = afterSum(\.work, factor: 1 / scale)
        for producer in 0..<graph.nodeCount where graph.nodes[producer].comm > 0 && !graph.successors[producer].isEmpty {
            let input = model.addVariable(lower: 0, upper: 1, name: "inQ_\(producer)")
            for consumer in graph.successors[producer] {
                model.addConstraint(input - upTo[producer] + upTo[consumer] >= 0)
            }
            cost.add(graph.nodes[producer].comm / scale, input)
        }
        return cost
    }

    /// Adds the memory cap rows for B, P and Q (P and Q may span `beforeStages` and `afterStages` stages).
    public mutating func addMemoryRows(beforeStages: Int?, afterStages: Int?) {
        guard let cap = graph.stageMemory else { return }
        model.addConstraint(blockSum(\.memory, factor: 1 / cap) <= 1, name: "memoryB")
        if let beforeStages { model.addConstraint(beforeSum(\.memory, factor: 1 / cap) <= Double(beforeStages), name: "memoryP") }
        if let afterStages { model.addConstraint(afterSum(\.memory, factor: 1 / cap) <= Double(afterStages), name: "memoryQ") }
    }

    /// The block a solution selects.
    public func blockMembers(_ values: [Double]) -> [Int] {
        (0..<graph.nodeCount).filter { values[upTo[$0].index] > 0.5 && values[before[$0].index] < 0.5 }
    }
}
