import CCBCBridge
import Foundation
import MIP

/// The CBC backend (COIN-OR CBC 2.10 through its solver driver, the code behind the `cbc`
/// program, so solves get the program's presolve, cuts and heuristics).
///
/// Gaps default to a relative gap of 1e-9 and an absolute gap of 1e-9 (CBC's own defaults
/// stop at 1e-4 relative, which would make "optimal" mean "within 0.01%"). The returned
/// best bound is CBC's, guarded: never beyond the incumbent, and ±infinity when CBC stopped
/// before its root relaxation was solved.
///
/// CBC's preprocessing (CglPreProcess) is switched off and the model is rewritten slightly
/// on its way in (see ``CBCInput``): CBC 2.10.8 returned wrong optima with preprocessing
/// and aborted on empty rows without it, on tiny integer models that brute force settles.
///
/// CBC's driver keeps state in file-level statics (concurrent solves print stray logs and
/// return wrong optima), so solves are serialised by a process-wide lock; a solve waiting for
/// the lock still honours its stop flag and time limit.
public struct CBCSolver: MIPSolver {
    public let name = "cbc"

    /// False: CBC solves take turns (see the type's documentation).
    public var supportsConcurrentSolves: Bool { false }

    /// Serialises every CBC solve in the process.
    private static let driverLock = NSLock()

    /// Relative gap used when ``SolveOptions/relativeGap`` is nil.
    public static let defaultRelativeGap = 1e-9
    /// Absolute gap used when ``SolveOptions/absoluteGap`` is nil.
    public static let defaultAbsoluteGap = 1e-9
    /// CBC's cutoff increment, set explicitly: once CBC holds an incumbent z it prunes every node
    /// whose bound is above z − increment, so no bound beyond z − increment is proven (CBC itself
    /// then reports z). Its default, 1e-5, made "optimal" answers up to 1e-5 above the optimum
    /// (docs/mip.md, "Bounds and pruning").
    public static let cutoffIncrement = 1e-7

    /// What CBC spends per matrix nonzero before it first looks at the clock: loading and copying
    /// the model, Clp's presolve and the first factorization. Measured on a value-search probe of a
    /// 20,000-node graph at k = 64 (13.75 million nonzeros, both cores busy): 11.6 s, of which the
    /// presolve took 6.4 s. With less time left than this (plus ``windDownSecondsPerNonzero``), a
    /// solve returns at once: `--time-limit` is a promise (docs/mip.md, "Stopping").
    static let setupSecondsPerNonzero = 0.85e-6
    /// What CBC spends per matrix nonzero after a stop during the root LP, again without looking
    /// at the clock: Clp's postsolve and two factorizations of the whole model (3.5 s on the probe
    /// above, 4.1 s on the exact MIP of the same graph, 14.3 million nonzeros), with a margin. CBC is
    /// given that much less time than the solve has.
    static let windDownSecondsPerNonzero = 0.35e-6

    public init() {}

    public func solve(_ model: Model, options: SolveOptions) throws -> SolveResult {
        if let settled = try model.checkedBeforeSolving(options: options) { return settled }
        let nonzeros = Double(model.rowValues.count)
        var options = options
        options.timeLimit = options.timeLimit.map { Swift.max(0, $0 - Self.windDownSecondsPerNonzero * nonzeros) }
        let monitor = SolveMonitor(options: options)
        let relativeGap = options.relativeGap ?? Self.defaultRelativeGap
        let absoluteGap = options.absoluteGap ?? Self.defaultAbsoluteGap
        let input = CBCInput(model: model)
        if input.emptyRowExcludesZero {
            return SolveResult(status: .infeasible, objective: nil, bestBound: model.sense == .minimize ? .infinity : -.infinity,
                               values: [], seconds: monitor.elapsed, nodes: 0)
        }
        let start = model.feasibleStart(of: options)
        while !Self.driverLock.lock(before: Date(timeIntervalSinceNow: 0.05)) {
            if monitor.shouldStop { return Self.stoppedWhileWaiting(model: model, start: start, seconds: monitor.elapsed) }
        }
        defer { Self.driverLock.unlock() }
        // No time left, or less than CBC's set-up takes, or a stop already asked for: nothing for CBC to do.
        if monitor.shouldStop || monitor.remainingTime.map({ $0 < Self.setupSecondsPerNonzero * nonzeros }) == true {
            return Self.stoppedWhileWaiting(model: model, start: start, seconds: monitor.elapsed)
        }

        var values = [Double](repeating: 0, count: model.variableCount)
        var outcome = PBCbcOutcome()
        let hookContext = Unmanaged.passRetained(monitor)
        defer { hookContext.release() }
        let hook: PBCbcProgressHook = { context, hasIncumbent, incumbent, bound, nodes in
            guard let context else { return 0 }
            let monitor = Unmanaged<SolveMonitor>.fromOpaque(context).takeUnretainedValue()
            if hasIncumbent >= 0 {
                monitor.report(incumbent: hasIncumbent == 1 ? incumbent : nil,
                               bestBound: bound.isFinite && Swift.abs(bound) < 1e50 ? bound : nil, nodes: nodes)
            }
            return monitor.shouldStop ? 1 : 0
        }
        let code: Int32 = input.withProblem { problem in
            var problem = problem
            // The start is kept as our own incumbent (returned when CBC finds nothing better) but not
            // handed to CBC: CBC 2.10.8 with a MIP start declared "optimal" a solution 2.6 % above the
            // optimum of a 31-node prefix model (Tests/PipeBoundsTests/MediumSoundnessTests, seed 11),
            // which it finds without the start. Soundness first (docs/mip.md, "Bounds and pruning").
            var settings = PBCbcSettings(
                timeLimit: monitor.remainingTime ?? -1, relativeGap: relativeGap, absoluteGap: absoluteGap,
                nodeLimit: options.nodeLimit ?? -1, threads: Int32(Swift.max(1, options.threads)),
                logLevel: Self.logLevel(options.verbosity), mipStart: nil,
                hook: hook, context: hookContext.toOpaque(), cutoffIncrement: Self.cutoffIncrement)
            return values.withUnsafeMutableBufferPointer { buffer in
                pb_cbc_solve(&problem, &settings, buffer.baseAddress, &outcome)
            }
        }
        let seconds = monitor.elapsed
        if code != 0 || outcome.ending == PBCbcEndingFailed {
            let message = withUnsafeBytes(of: outcome.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return SolveResult(status: .error(message.isEmpty ? "CBC failed (status \(outcome.cbcStatus))" : message),
                               objective: nil, bestBound: model.sense == .minimize ? -.infinity : .infinity,
                               values: [], seconds: seconds, nodes: outcome.nodes)
        }
        let limitMayHaveFired = options.stopFlag?.isStopped == true || options.timeLimit.map { seconds >= $0 } == true
        var ending = CBCEnding(outcome: outcome, relativeGap: relativeGap, absoluteGap: absoluteGap,
                               minimizing: model.sense == .minimize, limitMayHaveFired: limitMayHaveFired)
        var solution = outcome.hasSolution != 0 ? values : nil
        if outcome.abandonedInSearch != 0, let found = solution, model.violation(of: found) != nil {
            // A heuristic that ran on an abandoned LP can leave CBC holding a point that is not a solution.
            solution = nil
            if ending.status == .limitReachedWithSolution { ending.status = .limitReachedWithoutSolution }
        }
        if solution == nil, let start, ending.status == .limitReachedWithoutSolution {
            // CBC found nothing (it never sees the start): the start is still a solution we have.
            solution = start
            ending.status = .limitReachedWithSolution
        }
        if let start, let found = solution, ending.status == .limitReachedWithSolution {
            // A limit stopped CBC with a solution worse than the start: return the start.
            let sign: Double = model.sense == .minimize ? 1 : -1
            if sign * model.objectiveValue(at: start) < sign * model.objectiveValue(at: found) { solution = start }
        }
        let objective = solution.map { model.objectiveValue(at: $0) }
        var bound = ending.bound + model.objectiveConstant
        if let objective {
            // Pruned nodes were only known to hold nothing better than objective − increment.
            bound = model.sense == .minimize ? Swift.min(bound, objective - Self.cutoffIncrement)
                                             : Swift.max(bound, objective + Self.cutoffIncrement)
        }
        return SolveResult(status: ending.status, objective: ending.status.hasSolution ? objective : nil, bestBound: bound,
                           values: ending.status.hasSolution ? (solution ?? []) : [], seconds: seconds, nodes: outcome.nodes)
    }

    /// The result of a solve stopped before CBC was called: the start if it is feasible, else nothing.
    static func stoppedWhileWaiting(model: Model, start: [Double]?, seconds: Double) -> SolveResult {
        let unproven = model.sense == .minimize ? -Double.infinity : .infinity
        guard let start else {
            return SolveResult(status: .limitReachedWithoutSolution, objective: nil, bestBound: unproven, values: [],
                               seconds: seconds, nodes: 0)
        }
        return SolveResult(status: .limitReachedWithSolution, objective: model.objectiveValue(at: start), bestBound: unproven,
                           values: start, seconds: seconds, nodes: 0)
    }

    /// CBC's log level for a verbosity.
    static func logLevel(_ verbosity: LogVerbosity) -> Int32 {
        switch verbosity {
        case .silent: 0
        case .summary: 1
        case .normal: 1
        case .verbose: 3
        }
    }
}
