import MIP
import PipeGraph

/// L4: bottleneck-value search with windowed feasibility MIPs.
///
/// A probe asks "is there a partition with bottleneck ≤ T?". The windows at T hold for every such
/// partition, so the probe's model fixes every y(v, b) outside them. Proven infeasible: OPT > T, and
/// T (rounded down) becomes the lower bound. Feasible: the solution decodes to a partition, which is
/// validated and re-costed and may lower the upper bound. A probe stopped by a limit proves nothing;
/// later probes then stay below it. The model is built once for the widest windows (at the first
/// upper bound) and each probe only changes column bounds.
enum ValueSearch {
    /// Probes at most this many values (each probe at least halves the open interval or closes the gap).
    static let probeLimit = 60

    static func compute(_ context: inout BoundContext) throws -> LowerBoundResult {
        let target = Swift.min(1, Swift.max(0, context.request.targetRatio))
        var lower = context.lowerBound
        var upper = context.upperBound
        guard lower < target * upper else {
            return context.result(method: .valueSearch, value: lower, status: .proved, detail: "the combinatorial bound meets the target")
        }
        guard let widest = context.windowCalculator.windows(bottleneck: upper) else {
            return context.result(method: .valueSearch, value: lower, status: .proved, detail: "no partition fits the stage windows")
        }
        var formulation = PrefixFormulation(graph: context.graph, stageCount: context.stageCount, windows: widest,
                                            scale: context.scale)
        // Probes stay below `ceiling` (feasible there already) and below `unresolved` (a limit stopped a probe there).
        var ceiling = upper
        var unresolved = Double.infinity
        var tally = (infeasible: 0, feasible: 0, unresolved: 0, byWindows: 0)
        var failures: [String] = []
        var probes = 0
        while probes < probeLimit, !context.shouldStop {
            let open = Swift.min(ceiling, unresolved)
            // Aim so that an infeasible probe alone reaches the target after rounding down.
            var value = target * upper * (1 + 2 * SafeRounding.solverMargin)
            if value >= open { value = (lower + open) / 2 }
            guard value > lower * (1 + 2 * SafeRounding.solverMargin), lower < target * upper else { break }
            probes += 1
            guard let windows = context.windowCalculator.windows(bottleneck: value) else {
                tally.byWindows += 1
                lower = Swift.max(lower, SafeRounding.roundDown(value, relative: SafeRounding.arithmeticMargin))
                continue
            }
            formulation.restrict(to: windows)
            formulation.boundBottleneck(lower: value, upper: value)
            let result = try context.request.solver.solve(formulation.model, options: context.options(timeShare: 0.5))
            switch result.status {
            case .infeasible:
                tally.infeasible += 1
                lower = Swift.max(lower, SafeRounding.roundDown(value, relative: SafeRounding.solverMargin,
                                                                absolute: SafeRounding.solverMargin * context.scale))
            case .optimal, .limitReachedWithSolution:
                let partition = formulation.decode(result.values)
                guard context.graph.isValid(partition) else {
                    // Within the solver's tolerances but not exactly (say, memory): no verdict.
                    tally.unresolved += 1
                    unresolved = Swift.min(unresolved, value)
                    continue
                }
                tally.feasible += 1
                context.offer(partition)
                upper = Swift.min(upper, context.graph.bottleneck(of: partition))
                ceiling = Swift.min(ceiling, value, upper)
            case .limitReachedWithoutSolution, .unbounded, .error:
                if result.status.isError { failures.append(describe(result.status)) }
                tally.unresolved += 1
                unresolved = Swift.min(unresolved, value)
            }
        }
        let detail = "\(probes) probes: \(tally.infeasible) infeasible, \(tally.byWindows) without windows, "
            + "\(tally.feasible) feasible, \(tally.unresolved) unresolved; upper bound \(upper)"
            + (failures.isEmpty ? "" : "; " + failures.joined(separator: "; "))
        let status: BoundStatus = tally.unresolved == 0 && !context.shouldStop ? .proved : .limit
        return context.result(method: .valueSearch, value: lower, status: status, detail: detail)
    }
}
