import MIP
import PipeBounds
import PipeGraph

/// The repair MIP: the prefix model of the stage costs (``PipeBounds/PrefixFormulation``) with
/// the repair objective or budget stated over its prefix indicators (docs/repair.md, "Formulation").
struct RepairModel {
    /// The prefix model; its objective is replaced by the one asked for.
    var formulation: PrefixFormulation

    /// The prefix model of `graph` inside `windows`, T bounded by `upperBound` when given.
    init(graph: ComputationGraph, stageCount: Int, windows: StageWindows, scale: Double, upperBound: Double? = nil) {
        formulation = PrefixFormulation(graph: graph, stageCount: stageCount, windows: windows, scale: scale,
                                        upperBound: upperBound)
    }

    /// Σ_v g_v(s(v)) as an expression: g_v(s) = g_v(0) + Σ_{b < k−1} (g_v(b + 1) − g_v(b)) (1 − y(v, b)).
    func costExpression(_ costs: RepairCosts) -> LinearExpression {
        var expression = LinearExpression()
        for (node, row) in costs.table.enumerated() {
            expression.constant += row[0]
            for stage in 0..<(row.count - 1) where row[stage + 1] != row[stage] {
                let step = row[stage + 1] - row[stage]
                expression.constant += step
                expression.add(formulation.prefixIndicator(node: node, stage: stage), times: -step)
            }
        }
        return expression
    }

    /// Makes the objective Σ g_v(s(v)).
    mutating func minimizeCost(_ costs: RepairCosts) {
        formulation.model.minimize(costExpression(costs))
    }

    /// Makes the objective the bottleneck T.
    mutating func minimizeBottleneck() {
        formulation.model.minimize(LinearExpression(formulation.bottleneck))
    }

    /// Adds Σ g_v(s(v)) ≤ `budget`.
    mutating func limitCost(_ costs: RepairCosts, to budget: Double) {
        formulation.model.addConstraint(costExpression(costs) <= budget, name: "repair_budget")
    }

    /// Adds [s(u) > a] ⇒ [s(v) > b] for every ((u, a), (v, b)): y(v, b) ≤ y(u, a). The residual arcs
    /// of the minimum cut stated this way leave exactly its optima (docs/repair.md, "Fast exact paths").
    mutating func require(_ implications: [ClosureImplication]) {
        for (index, (premise, conclusion)) in implications.enumerated() {
            let difference = formulation.prefixIndicator(node: conclusion.node, stage: conclusion.layer)
                - formulation.prefixIndicator(node: premise.node, stage: premise.layer)
            // Both fixed by the windows: the start, which respects every arc, lies inside them.
            guard !difference.indices.isEmpty else { continue }
            formulation.model.addConstraint(difference <= 0, name: "repair_optimum_\(index)")
        }
    }

    /// The partition a solution encodes.
    func decode(_ values: [Double]) -> Partition { formulation.decode(values) }

    /// MIP start values for `partition` (nil when it leaves the windows).
    func start(for partition: Partition, graph: ComputationGraph) -> [Double]? {
        formulation.startValues(for: partition, graph: graph)
    }
}
