import Foundation
import MIP
import PipeBounds
import PipeGraph

/// Turns a possibly invalid candidate partition into the valid partition nearest to it
/// (docs/repair.md). One value serves many candidates of the same graph and k (`repair --batch`):
/// what depends only on the graph is prepared once.
public final class Repairer: @unchecked Sendable {
    /// The graph partitions are repaired for.
    public let graph: ComputationGraph
    /// k.
    public let stageCount: Int
    /// The MIP backend.
    public let solver: any MIPSolver

    private let calculator: StageWindowCalculator
    /// The windows every valid partition lies in; nil when none exists.
    private let validWindows: StageWindows?
    /// The prefix model inside ``validWindows``, built by the first candidate that needs it and
    /// reused by the next ones (`--batch`): only the objective changes from one to the next.
    private var validModel: RepairModel?

    /// Prepares repairs of `graph` into `stageCount` stages with the backend `solver`.
    public init(graph: ComputationGraph, stageCount: Int, solver: any MIPSolver) {
        self.graph = graph
        self.stageCount = stageCount
        self.solver = solver
        tieSearchLimit = Self.defaultTieSearchLimit(solverName: solver.name)
        residualRows = Self.defaultResidualRows(solverName: solver.name)
        calculator = StageWindowCalculator(graph: graph, stageCount: stageCount)
        validWindows = RepairWindows.valid(graph: graph, stageCount: stageCount, calculator: calculator)
    }

    /// The repaired partition of `candidate` under `options`. Throws ``RepairError`` when no
    /// valid partition exists (or none within the move budget), or none was found in time.
    public func repair(_ candidate: RepairCandidate, options: RepairOptions = RepairOptions()) throws -> RepairOutcome {
        precondition(candidate.stageCount == stageCount && candidate.target.count == graph.nodeCount,
                     "the candidate is for another graph or k")
        let clock = Clock(started: Date(), limit: options.timeLimit)
        let violations = candidate.violations(on: graph)
        let costs = RepairCosts(objective: options.objective, weight: options.weight, candidate: candidate, graph: graph)
        // Names the graph lacks are reported and ignored; the rest may already be a valid partition.
        let validCandidate = candidate.completePartition.flatMap { graph.isValid($0) ? $0 : nil }
        func finish(_ partition: Partition, value: Double, method: String, optimal: Bool) -> RepairOutcome {
            RepairOutcome(partition: partition, candidate: candidate, graph: graph, violations: violations,
                          bottleneckBefore: validCandidate.map { graph.bottleneck(of: $0) },
                          objectiveValue: value, method: method, isOptimal: optimal, seconds: clock.elapsed)
        }

        // A valid candidate is its own repair: zero moves, zero distance.
        if options.usesFastPaths, let validCandidate, options.objective != .bottleneck || options.maxMoves == 0 {
            let value = options.objective == .bottleneck ? graph.bottleneck(of: validCandidate) : 0
            return finish(validCandidate, value: value, method: "unchanged", optimal: true)
        }
        guard let validWindows else {
            throw RepairError("no valid partition into \(stageCount) stages: the memory cap \(graph.stageMemory ?? 0) leaves some node without a stage",
                              isInfeasible: true)
        }

        switch options.objective {
        case .moves, .distance:
            let (partition, value, method, optimal) = try leastCost(costs, tieBreak: options.objective == .moves,
                                                                    windows: validWindows, options: options, clock: clock)
            return finish(partition, value: value, method: method, optimal: optimal)
        case .bottleneck:
            // The least-moves repair is a valid start and tells whether the budget can be met at all.
            let moveCosts = RepairCosts(objective: .moves, weight: .unit, candidate: candidate, graph: graph)
            var (start, fewest, startMethod, startOptimal) = (validCandidate ?? Partition(stageCount: stageCount, stageOf: []), 0.0, "unchanged", true)
            if !options.usesFastPaths || validCandidate == nil {
                (start, fewest, startMethod, startOptimal) = try leastCost(moveCosts, tieBreak: true, windows: validWindows,
                                                                           options: options, clock: clock)
            }
            if let budget = options.maxMoves, startOptimal, fewest > Double(budget) + 0.5 {
                throw RepairError("no valid partition changes at most \(budget) nodes: at least \(Int(fewest.rounded())) must move",
                                  isInfeasible: true)
            }
            if let budget = options.maxMoves, fewest > Double(budget) + 0.5 {
                throw RepairError("no valid partition changing at most \(budget) nodes found in time (best: \(Int(fewest.rounded())) moves)",
                                  isInfeasible: false)
            }
            if let budget = options.maxMoves, options.usesFastPaths, startOptimal, Double(budget) < fewest + 0.5 {
                // Only the least-move partitions fit the budget, and the tie-break chose the best of them.
                return finish(start, value: graph.bottleneck(of: start), method: startMethod, optimal: true)
            }
            let (partition, optimal) = try leastBottleneck(start: start, moveCosts: moveCosts, budget: options.maxMoves,
                                                           windows: validWindows, options: options, clock: clock)
            let method = startMethod == "mip" || startMethod == "unchanged" ? "mip" : startMethod + "+mip"
            return finish(partition, value: graph.bottleneck(of: partition), method: method, optimal: optimal && startOptimal)
        }
    }

    // MARK: - Least cost (moves, distance)

    /// The moves tie-break first searches the optima between the least and the greatest one by
    /// branch and bound (``TieBreakSearch``), within this many search nodes (a few microseconds
    /// each, so about as long as the MIP takes); beyond, the tie-break MIP runs inside the windows they span.
    /// CBC's tie-break MIPs cost about twice GLPK's, so it gets a longer search (docs/repair.md, "Speed").
    static func defaultTieSearchLimit(solverName: String) -> Int { solverName == "cbc" ? 30_000 : 10_000 }
    /// The limit in use (tests and the benchmark set 0 to exercise the tie-break MIP).
    public var tieSearchLimit: Int
    /// Whether the tie-break MIP states the minimum cut's residual arcs as rows, which leave exactly
    /// its optima. They pay off with GLPK, not with CBC, whose tie-break MIPs they slow down
    /// (docs/repair.md, "Speed"); the benchmark sets it both ways to compare.
    public var residualRows: Bool
    static func defaultResidualRows(solverName: String) -> Bool { solverName != "cbc" }

    /// The least Σ g_v(s(v)) over valid partitions; with `tieBreak`, the least bottleneck among
    /// those. `windows` are ``validWindows`` (their model is cached).
    private func leastCost(_ costs: RepairCosts, tieBreak: Bool, windows: StageWindows, options: RepairOptions,
                           clock: Clock) throws -> (Partition, Double, String, Bool) {
        if options.usesFastPaths {
            let capped = graph.stageMemory != nil
            let cut = ClosureRepair.solve(graph: graph, costs: costs, stageCount: stageCount,
                                          tieSearchLimit: tieBreak || capped ? tieSearchLimit : 0,
                                          shouldStop: { clock.isOver || options.stopFlag?.isStopped == true })
            let method = cut.least == cut.greatest ? "min-cut" : "min-cut+search"
            if capped {
                // The cut ignores the cap, so its cost is a lower bound; an optimum that meets the
                // cap reaches it and is exact (the search found the least-bottleneck one). Else the MIP decides.
                if cut.isComplete, let best = cut.tieBreak, graph.isValid(best) { return (best, costs.total(of: best), method, true) }
            } else {
                guard tieBreak, cut.least != cut.greatest else { return (cut.least, costs.total(of: cut.least), "min-cut", true) }
                if cut.isComplete, let best = cut.tieBreak { return (best, costs.total(of: best), method, true) }
                // Every optimum lies between the least and the greatest one: the tie-break MIP only
                // needs those windows, usually a few nodes wide.
                let between = StageWindows.given(earliest: cut.least.stageOf, latest: cut.greatest.stageOf)
                // The search's best so far, when it found one, narrows the windows at its bottleneck.
                let starts = ([cut.least, cut.greatest] + (cut.bestFound.map { [$0] } ?? []))
                    .min { graph.bottleneck(of: $0) < graph.bottleneck(of: $1) }!
                let (partition, optimal) = try leastBottleneck(start: starts, moveCosts: costs, budget: nil, costBudget: cut.cost,
                                                               implications: residualRows ? cut.residualImplications : [],
                                                               windows: between, options: options, clock: clock)
                return (partition, costs.total(of: partition), "min-cut+mip", optimal)
            }
        }
        if validModel == nil {
            validModel = RepairModel(graph: graph, stageCount: stageCount, windows: windows, scale: scale(reference: nil))
        }
        // A copy: the objective set below must not leak into the next candidate's model.
        var model = validModel!
        guard !model.formulation.isTriviallyInfeasible else { throw infeasible() }
        model.minimizeCost(costs)
        let result = try solve(model.formulation.model, start: nil, options: options, clock: clock)
        switch result.status {
        case .infeasible: throw infeasible()
        case .optimal, .limitReachedWithSolution: break
        case .limitReachedWithoutSolution where clock.isOver || options.stopFlag?.isStopped == true || options.nodeLimit != nil:
            // Stopped before the solver found anything: an optimum of the minimum cut that is
            // valid (always, without a memory cap) is the best partition known.
            if let fallback = validCutOptimum(costs) { return (fallback, costs.total(of: fallback), "min-cut", false) }
            fallthrough
        default:
            throw RepairError("the \(solver.name) solver found no valid partition (\(describeStatus(result.status)))", isInfeasible: false)
        }
        let found = try checked(model.decode(result.values))
        let value = costs.total(of: found)
        let optimal = result.status == .optimal
        guard tieBreak, optimal, !clock.isOver, options.stopFlag?.isStopped != true else { return (found, value, "mip", optimal) }
        let (partition, tieOptimal) = try leastBottleneck(start: found, moveCosts: costs, budget: nil, costBudget: value,
                                                          windows: windows, options: options, clock: clock)
        return (partition, costs.total(of: partition), "mip", tieOptimal)
    }

    // MARK: - Least bottleneck

    /// The least bottleneck over valid partitions inside `windows` that move at most `budget`
    /// nodes (unit move count) and cost at most `costBudget` under `moveCosts`; `start` must be one.
    private func leastBottleneck(start: Partition, moveCosts: RepairCosts, budget: Int?, costBudget: Double? = nil,
                                 implications: [ClosureImplication] = [],
                                 windows: StageWindows, options: RepairOptions, clock: Clock) throws -> (Partition, Bool) {
        let upper = graph.bottleneck(of: start)
        // Every partition with bottleneck ≤ upper lies inside the windows at upper.
        var narrowed = windows
        if let atUpper = RepairWindows.atBottleneck(upper, graph: graph, calculator: calculator) {
            narrowed = RepairWindows.intersection(windows, atUpper)
        }
        guard let usable = RepairWindows.consistent(narrowed, graph: graph),
              start.stageOf.indices.allSatisfy({ usable.allows($0, in: start.stageOf[$0]) }) else {
            // Floating-point slack in the windows could exclude the start itself; then keep the wider ones.
            return try leastBottleneck(start: start, moveCosts: moveCosts, budget: budget, costBudget: costBudget,
                                       implications: implications, exactly: windows, options: options, clock: clock)
        }
        return try leastBottleneck(start: start, moveCosts: moveCosts, budget: budget, costBudget: costBudget,
                                   implications: implications, exactly: usable, options: options, clock: clock)
    }

    private func leastBottleneck(start: Partition, moveCosts: RepairCosts, budget: Int?, costBudget: Double?,
                                 implications: [ClosureImplication],
                                 exactly windows: StageWindows, options: RepairOptions, clock: Clock) throws -> (Partition, Bool) {
        let upper = graph.bottleneck(of: start)
        if windows.size == graph.nodeCount { return (start, true) }
        var model = RepairModel(graph: graph, stageCount: stageCount, windows: windows, scale: scale(reference: upper),
                                upperBound: upper * (1 + 1e-9) + 1e-12)
        model.minimizeBottleneck()
        if let budget { model.limitCost(moveCosts, to: Double(budget) + 0.5) }
        if let costBudget { model.limitCost(moveCosts, to: costBudget + 1e-7 * Swift.max(1, costBudget)) }
        model.require(implications)
        let result = try solve(model.formulation.model, start: model.start(for: start, graph: graph), options: options, clock: clock)
        guard result.status.hasSolution else {
            // The start is feasible, so only a limit (or a solver failure) leaves us without a solution.
            return (start, false)
        }
        let found = try checked(model.decode(result.values))
        let keep = graph.bottleneck(of: found) < upper ? found : start
        return (keep, result.status == .optimal)
    }

    // MARK: - Helpers

    /// The least-bottleneck valid one of the minimum cut's two extreme optima (nil: neither meets the memory cap).
    private func validCutOptimum(_ costs: RepairCosts) -> Partition? {
        let cut = ClosureRepair.solve(graph: graph, costs: costs, stageCount: stageCount)
        return [cut.least, cut.greatest].filter { graph.isValid($0) }.min { graph.bottleneck(of: $0) < graph.bottleneck(of: $1) }
    }

    private func solve(_ model: Model, start: [Double]?, options: RepairOptions, clock: Clock) throws -> SolveResult {
        let solveOptions = SolveOptions(timeLimit: clock.remaining.map { Swift.max($0, 0.01) }, nodeLimit: options.nodeLimit,
                                        mipStart: start, stopFlag: options.stopFlag)
        let result = try solver.solve(model, options: solveOptions)
        let limited = clock.isOver || options.nodeLimit != nil || options.stopFlag?.isStopped == true
        if start != nil, result.status == .limitReachedWithSolution, !limited {
            // Seen with CBC 2.10: a start that is already optimal can end the search before the
            // optimum is proven, with no limit reached. Solve again from scratch for the proof.
            var again = solveOptions
            again.mipStart = nil
            again.timeLimit = clock.remaining.map { Swift.max($0, 0.01) }
            let second = try solver.solve(model, options: again)
            if second.status == .optimal { return second }
        }
        return result
    }

    /// A decoded solution, checked independently (never trust a solver's rounding).
    private func checked(_ partition: Partition) throws -> Partition {
        if let problem = graph.violations(of: partition).first {
            throw RepairError("the \(solver.name) solver returned an invalid partition (\(problem)); a bug", isInfeasible: false)
        }
        return partition
    }

    private func infeasible() -> RepairError {
        RepairError("no valid partition into \(stageCount) stages: the memory cap \(graph.stageMemory ?? 0) cannot be met",
                    isInfeasible: true)
    }

    /// Costs are divided by about the bottleneck, so the solver's tolerances act as relative ones.
    private func scale(reference: Double?) -> Double {
        if let reference, reference > 0 { return reference }
        let average = graph.totalWork / Double(stageCount)
        return average > 0 ? average : 1
    }

    private func describeStatus(_ status: SolveStatus) -> String {
        switch status {
        case .optimal: return "optimal"
        case .limitReachedWithSolution: return "limit with a solution"
        case .limitReachedWithoutSolution: return "limit before any solution"
        case .infeasible: return "infeasible"
        case .unbounded: return "unbounded"
        case let .error(message): return "error: \(message)"
        }
    }

    /// The time limit of one repair.
    private struct Clock {
        let started: Date
        let limit: Double?
        var elapsed: Double { Date().timeIntervalSince(started) }
        var remaining: Double? { limit.map { $0 - elapsed } }
        var isOver: Bool { (remaining ?? 1) <= 0 }
    }
}
