import MIP
import PipeGraph

/// L1: the exact prefix MIP, windowed at the incumbent's bottleneck and warm-started from it.
///
/// Every partition with bottleneck ≤ UB lies inside the windows at UB, so the windowed MIP still
/// has OPT as its optimum, and its dual bound is a lower bound on OPT even when a limit stops it.
enum ExactBound {
    static func compute(_ context: inout BoundContext) throws -> LowerBoundResult {
        let lower = context.lowerBound
        let upper = context.upperBound
        let windows: StageWindows
        switch context.windowsAtUpperBound(for: .exact) {
        case let .success(found): windows = found
        case let .failure(settled): return settled.result
        }
        let frozen = context
        let formulation = PrefixFormulation(graph: context.graph, stageCount: context.stageCount, windows: windows,
                                            scale: context.scale, lowerBound: lower, upperBound: upper,
                                            shouldStop: { frozen.shouldStop })
        // Building a large model can take what was left of the budget: then the entry bound stands.
        if formulation.isIncomplete || context.shouldStop {
            return context.result(method: .exact, value: lower, status: .limit,
                                  detail: "\(formulation.model.variableCount) columns; the time budget was spent building the model")
        }
        let start = context.incumbent.flatMap { formulation.startValues(for: $0.partition, graph: context.graph) }
        var (result, margin) = try SolverBound.solve(formulation.model, with: context.request.solver,
                                                     options: context.options(mipStart: start))
        if start != nil, result.status == .limitReachedWithSolution, !result.bestBound.isFinite, !context.shouldStop {
            // Seen with CBC 2.10: a start that is already optimal can end the search before any bound
            // is proven. The start is still our incumbent; solve again from scratch for the bound.
            let again = try SolverBound.solve(formulation.model, with: context.request.solver, options: context.options())
            if again.result.status != .limitReachedWithoutSolution || again.result.bestBound.isFinite { (result, margin) = again }
        }
        var detail = "\(formulation.model.variableCount) columns, \(formulation.model.constraintCount) rows, \(result.nodes) nodes, \(describe(result.status))"
        if result.status.hasSolution, context.offer(formulation.decode(result.values)) {
            detail += "; improved the partition"
        }
        guard let proven = SolverBound.provenBound(result, margin: margin, scale: context.scale) else {
            return context.result(method: .exact, value: lower, status: result.status.isError ? .failed : .limit, detail: detail)
        }
        // Infeasible would contradict the incumbent; then only the entry bound is kept.
        let value = proven.isFinite ? Swift.max(lower, proven) : lower
        return context.result(method: .exact, value: value, status: SolverBound.finished(result) ? .proved : .limit, detail: detail)
    }
}

extension SolveStatus {
    /// Whether the solver failed.
    var isError: Bool { if case .error = self { return true } else { return false } }
}

/// A short word for a solve status, for `detail`.
func describe(_ status: SolveStatus) -> String {
    switch status {
    case .optimal: return "optimal"
    case .limitReachedWithSolution: return "limit (with a solution)"
    case .limitReachedWithoutSolution: return "limit (no solution)"
    case .infeasible: return "infeasible"
    case .unbounded: return "unbounded"
    case let .error(message): return "error: \(message)"
    }
}
