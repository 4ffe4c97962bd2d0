import MIP
import PipeGraph

/// L2: some stage has work ≥ W/k and is convex (I₂ ∖ I₁ for ideals I₁ ⊆ I₂), so OPT is at least
/// the least f(S) over such sets, which this MIP computes.
enum SingleBlockBound {
    static func compute(_ context: inout BoundContext) throws -> LowerBoundResult {
        let model = model(context: context.setup)
        let (result, margin) = try SolverBound.solve(model, with: context.request.solver, options: context.options())
        let detail = "\(model.variableCount) columns, \(model.constraintCount) rows, \(result.nodes) nodes, \(describe(result.status))"
        guard let proven = SolverBound.provenBound(result, margin: margin, scale: context.scale) else {
            return context.result(method: .singleBlock, value: context.lowerBound,
                                  status: result.status.isError ? .failed : .limit, detail: detail)
        }
        // Infeasible means no convex set is heavy enough within the memory cap: no partition exists.
        let value = proven.isFinite ? Swift.max(context.lowerBound, proven) : context.lowerBound
        return context.result(method: .singleBlock, value: value, status: SolverBound.finished(result) ? .proved : .limit,
                              detail: detail)
    }

    /// The MIP: minimise f(B) over B = I₂ ∖ I₁ with w(B) ≥ W/k and m(B) ≤ M.
    static func model(context: BoundSetup) -> Model {
        let graph = context.graph
        var formulation = BlockFormulation(graph: graph, scale: context.scale, name: "single-block")
        let cost = formulation.blockCost()
        // The heaviest stage's work is at least the float W/k lowered by the arithmetic margin.
        let heavy = SafeRounding.roundDown(graph.totalWork / Double(context.stageCount) / context.scale,
                                           relative: SafeRounding.arithmeticMargin)
        formulation.model.addConstraint(formulation.blockSum(\.work, factor: 1 / context.scale) >= heavy, name: "heavy")
        formulation.addMemoryRows(beforeStages: nil, afterStages: nil)
        formulation.model.minimize(cost)
        return formulation.model
    }
}
