import Foundation
import MIP
import PipeGraph
import PipePartition

/// L4: bottleneck-value search with windowed feasibility probes.
///
/// A probe asks "is there a partition with bottleneck ≤ T?". The windows at T hold for every such
/// partition. Each probe is first given to the ``WindowedIdealSearch`` within a step budget; what
/// it leaves open goes to a MIP whose model fixes every y(v, b) outside the windows. Proven infeasible: OPT > T, and
/// T (rounded down) becomes the lower bound. Feasible: the solution decodes to a partition, which is
/// validated and re-costed and may lower the upper bound. A probe stopped by a limit proves nothing;
/// later probes then stay below it. The model is built once, at the first probe the search leaves
/// open, for the windows at the upper bound then, and each probe only changes column bounds.
enum ValueSearch {
    /// Probes at most this many values (each probe at least halves the open interval or closes the gap).
    static let probeLimit = 60
    /// How far below the upper bound (relatively) the search probes when the target asks for more;
    /// also the resolution at which it stops. Well above the solvers' integrality tolerances, so a
    /// probe this close is not settled by a slightly fractional "solution".
    static let closeness = 1e-4
    /// The resolution of the first phase, where only the search probes: coarser, since each probe it
    /// cannot settle may spend its whole step budget.
    static let searchResolution = 1e-3
    /// The first phase ends after this many probes in a row the search could not settle.
    static let searchUnknownLimit = 2
    /// The share of the time left one search probe may take.
    static let searchTimeShare = 0.2

    /// The optimum by the DP over ideals (``IdealDPBound``, within the standard limits), rounded down,
    /// when the graph has few enough ideals; its partition joins the incumbents. The DP enumerates
    /// every boundary ideal, so its optimum is OPT itself, a lower bound like any other (and the
    /// soundness tests check it as one). It may use the whole time left and stops with the stop flag.
    static func exactOptimum(_ context: inout BoundContext) -> Double? {
        guard let found = try? IdealDPBound.optimum(&context) else { return nil }
        return found.lowerBound
    }

    static func compute(_ context: inout BoundContext) throws -> LowerBoundResult {
        let target = Swift.min(1, Swift.max(0, context.request.targetRatio))
        var lower = context.lowerBound
        var upper = context.upperBound
        guard lower < target * upper else {
            return context.result(method: .valueSearch, value: lower, status: .proved, detail: "the combinatorial bound meets the target")
        }
        if context.request.usesIdealDP, let exact = exactOptimum(&context) {
            lower = Swift.max(lower, exact)
            upper = context.upperBound
            if lower >= target * upper {
                return context.result(method: .valueSearch, value: lower, status: .proved,
                                      detail: "the exact DP over ideals answers every probe: optimum \(upper)")
            }
        }
        // The cut bounds (docs/formulations.md, "Boundary cuts" to "Stage-capacity cuts"): cheap, and on
        // comm-heavy graphs far above L0. When certify's `cuts` step already ran them, only the
        // stage-capacity cuts, which that step leaves to this one. Those only under a time limit: runs
        // without one are the regression suites' and the soundness checks' hundreds of node-limited runs,
        // where their many minimum cuts per check cost more than they add (docs/formulations.md).
        let cuts = CutBounds.bound(context, from: lower, capacity: context.remainingTime != nil)
        lower = Swift.max(lower, cuts.value)
        let cutDetail = cuts.detail
        guard lower < target * upper else {
            return context.result(method: .valueSearch, value: lower, status: .proved, detail: cutDetail + "meets the target")
        }
        guard context.windowCalculator.windows(bottleneck: upper) != nil else {
            return context.result(method: .valueSearch, value: lower, status: .proved, detail: "no partition fits the stage windows")
        }
        // Built on the first probe the search leaves open, for the windows at the upper bound then
        // (every later probe is lower, so its windows are narrower).
        var formulation: PrefixFormulation? = nil
        // The windowed search assumes every edge orders stages; training graphs use MIP probes.
        var search = context.request.searchStepLimit > 0 && !context.graph.isTraining
            ? WindowedIdealSearch(graph: context.graph, stageCount: context.stageCount) : nil
        var searchTally = (infeasible: 0, feasible: 0, unknown: 0)
        // Probes stay below `ceiling` (feasible there already) and below `unresolved` (a limit stopped a probe there).
        var ceiling = upper
        var unresolved = Double.infinity
        var tally = (infeasible: 0, feasible: 0, unresolved: 0, byWindows: 0)
        var failures: [String] = []
        var probes: [BoundProbe] = []
        // First the search alone bisects [lower, ceiling), below the lowest value it left open; then
        // MIPs probe what is left, as without it.
        var searchPhase = search != nil
        var searchOpen = Double.infinity
        var unknownsInARow = 0
        while probes.count < probeLimit, !context.shouldStop {
            let stuck = Swift.min(unresolved, searchPhase ? searchOpen : .infinity)
            let open = Swift.min(ceiling, stuck)
            let resolution = searchPhase ? searchResolution : closeness
            // Aim so that an infeasible probe alone reaches the target after rounding down, but stay
            // a hair below the open end: a probe there is the hardest to settle and proves the least.
            var value = Swift.min(target * upper * (1 + 2 * SafeRounding.solverMargin), open * (1 - resolution))
            if stuck <= ceiling, value >= open * (1 - resolution) { value = (lower + open) / 2 }
            guard lower < target * upper else { break }
            guard value > lower * (1 + 2 * SafeRounding.solverMargin), open - lower > resolution * open else {
                if searchPhase { searchPhase = false; continue }
                break
            }
            guard let windows = context.windows(bottleneck: value) else {
                probes.append(BoundProbe(value: value, verdict: .noWindows))
                tally.byWindows += 1
                lower = Swift.max(lower, SafeRounding.roundDown(value, relative: SafeRounding.arithmeticMargin))
                continue
            }
            if searchPhase {
                let started = Date()
                // A probe the search cannot settle must leave most of the budget to the MIPs.
                let probeDeadline = context.remainingTime.map { started.addingTimeInterval($0 * searchTimeShare) }
                switch search!.probe(bottleneck: value, windows: windows, stepLimit: context.request.searchStepLimit,
                                     stopFlag: context.request.stopFlag, deadline: probeDeadline) {
                case .infeasible:
                    unknownsInARow = 0
                    // Exhaustive within the windows, which every partition of cost ≤ value respects.
                    probes.append(BoundProbe(value: value, verdict: .infeasible, seconds: Date().timeIntervalSince(started)))
                    searchTally.infeasible += 1
                    lower = Swift.max(lower, SafeRounding.roundDown(value, relative: SafeRounding.arithmeticMargin))
                    continue
                case let .feasible(partition):
                    unknownsInARow = 0
                    if context.graph.isValid(partition) {
                        let cost = context.graph.bottleneck(of: partition)
                        context.offer(partition)
                        upper = Swift.min(upper, cost)
                        ceiling = Swift.min(ceiling, upper)
                        if cost <= value * (1 + SafeRounding.arithmeticMargin) {
                            probes.append(BoundProbe(value: value, verdict: .feasible, partitionCost: cost,
                                                     seconds: Date().timeIntervalSince(started)))
                            searchTally.feasible += 1
                            ceiling = Swift.min(ceiling, value)
                            continue
                        }
                    }
                    searchTally.unknown += 1
                    searchOpen = Swift.min(searchOpen, value)
                    continue
                case .unknown:
                    searchTally.unknown += 1
                    searchOpen = Swift.min(searchOpen, value)
                    // Where the ideals within the windows are too many, bisecting further down rarely
                    // helps: leave the rest of the budget to the MIP probes.
                    unknownsInARow += 1
                    if unknownsInARow >= searchUnknownLimit { searchPhase = false }
                    continue
                }
            }
            if formulation == nil {
                guard let widest = context.windows(bottleneck: Swift.max(upper, value)) else { continue }
                let frozen = context
                let built = PrefixFormulation(graph: context.graph, stageCount: context.stageCount, windows: widest,
                                              scale: context.scale, shouldStop: { frozen.shouldStop })
                // On a large graph the build can take what was left of the budget (seconds for a
                // million columns): a relaxed, incomplete model is not solved.
                if built.isIncomplete { break }
                formulation = built
            }
            formulation!.restrict(to: windows)
            formulation!.boundBottleneck(lower: value, upper: value)
            let result = try SolverBound.solve(formulation!.model, with: context.request.solver,
                                               options: context.options(timeShare: 0.5)).result
            switch result.status {
            case .infeasible:
                probes.append(BoundProbe(value: value, verdict: .infeasible, seconds: result.seconds))
                tally.infeasible += 1
                lower = Swift.max(lower, SafeRounding.roundDown(value, relative: SafeRounding.solverMargin,
                                                                absolute: SafeRounding.solverMargin * context.scale))
            case .optimal, .limitReachedWithSolution:
                let partition = formulation!.decode(result.values)
                guard context.graph.isValid(partition) else {
                    // Within the solver's tolerances but not exactly (say, memory): no verdict.
                    probes.append(BoundProbe(value: value, verdict: .unresolved, seconds: result.seconds))
                    tally.unresolved += 1
                    unresolved = Swift.min(unresolved, value)
                    continue
                }
                let cost = context.graph.bottleneck(of: partition)
                context.offer(partition)
                upper = Swift.min(upper, cost)
                guard cost <= value * (1 + SafeRounding.arithmeticMargin) else {
                    // Feasible only within the solver's tolerances (a slightly fractional column):
                    // the partition is kept as an upper bound, but the probe settles nothing.
                    probes.append(BoundProbe(value: value, verdict: .unresolved, partitionCost: cost, seconds: result.seconds))
                    tally.unresolved += 1
                    unresolved = Swift.min(unresolved, value)
                    ceiling = Swift.min(ceiling, upper)
                    continue
                }
                probes.append(BoundProbe(value: value, verdict: .feasible, partitionCost: cost, seconds: result.seconds))
                tally.feasible += 1
                ceiling = Swift.min(ceiling, value, upper)
            case .limitReachedWithoutSolution, .unbounded, .error:
                if result.status.isError { failures.append(describe(result.status)) }
                probes.append(BoundProbe(value: value, verdict: .unresolved, seconds: result.seconds))
                tally.unresolved += 1
                unresolved = Swift.min(unresolved, value)
            }
        }
        let detail = cutDetail + "\(probes.count) probes: \(tally.infeasible) infeasible, \(tally.byWindows) without windows, "
            + "\(tally.feasible) feasible, \(tally.unresolved) unresolved; upper bound \(upper)"
            + (search == nil ? "" : "; by the windowed search: \(searchTally.infeasible) infeasible, "
                + "\(searchTally.feasible) feasible, \(searchTally.unknown) unknown")
            + (failures.isEmpty ? "" : "; " + failures.joined(separator: "; "))
        let status: BoundStatus = tally.unresolved == 0 && !context.shouldStop ? .proved : .limit
        var outcome = context.result(method: .valueSearch, value: lower, status: status, detail: detail)
        outcome.probes = probes
        return outcome
    }
}
