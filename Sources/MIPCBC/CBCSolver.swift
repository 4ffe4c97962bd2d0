import CCBCBridge
import MIP

/// The CBC backend (COIN-OR CBC 2.10 through its solver driver, the code behind the `cbc`
/// program, so solves get the program's presolve, cuts and heuristics).
///
/// Gaps default to a relative gap of 1e-9 and an absolute gap of 1e-9 (CBC's own defaults
/// stop at 1e-4 relative, which would make "optimal" mean "within 0.01%"). The returned
/// best bound is CBC's, guarded: never beyond the incumbent, and ±infinity when CBC stopped
/// before its root relaxation was solved.
public struct CBCSolver: MIPSolver {
    public let name = "cbc"

    /// Relative gap used when ``SolveOptions/relativeGap`` is nil.
    public static let defaultRelativeGap = 1e-9
    /// Absolute gap used when ``SolveOptions/absoluteGap`` is nil.
    public static let defaultAbsoluteGap = 1e-9

    public init() {}

    public func solve(_ model: Model, options: SolveOptions) throws -> SolveResult {
        try model.validate()
        if let start = options.mipStart { try model.validate(mipStart: start) }
        if model.variableCount == 0 { return model.resultWithoutColumns() }
        let monitor = SolveMonitor(options: options)
        let relativeGap = options.relativeGap ?? Self.defaultRelativeGap
        let absoluteGap = options.absoluteGap ?? Self.defaultAbsoluteGap
        let input = CBCInput(model: model)
        let start = model.feasibleStart(of: options)

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
            let startValues = options.mipStart.map { start in
                (0..<model.variableCount).map { model.columnKind[$0].isIntegral ? start[$0].rounded() : start[$0] }
            }
            return withOptionalBuffer(startValues) { startPointer in
                var settings = PBCbcSettings(
                    timeLimit: options.timeLimit ?? -1, relativeGap: relativeGap, absoluteGap: absoluteGap,
                    nodeLimit: options.nodeLimit ?? -1, threads: Int32(Swift.max(1, options.threads)),
                    logLevel: Self.logLevel(options.verbosity), mipStart: startPointer,
                    hook: hook, context: hookContext.toOpaque())
                return values.withUnsafeMutableBufferPointer { buffer in
                    pb_cbc_solve(&problem, &settings, buffer.baseAddress, &outcome)
                }
            }
        }
        let seconds = monitor.elapsed
        if code != 0 || outcome.ending == PBCbcEndingFailed {
            let message = withUnsafeBytes(of: outcome.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return SolveResult(status: .error(message.isEmpty ? "CBC failed (status \(outcome.cbcStatus))" : message),
                               objective: nil, bestBound: model.sense == .minimize ? -.infinity : .infinity,
                               values: [], seconds: seconds, nodes: outcome.nodes)
        }
        var ending = CBCEnding(outcome: outcome, relativeGap: relativeGap, absoluteGap: absoluteGap,
                               minimizing: model.sense == .minimize)
        var solution = outcome.hasSolution != 0 ? values : nil
        if solution == nil, let start, ending.status == .limitReachedWithoutSolution {
            // Stopped before CBC took the start in: the start is still a solution we have.
            solution = start
            ending.status = .limitReachedWithSolution
        }
        let objective = solution.map { model.objectiveValue(at: $0) }
        var bound = ending.bound + model.objectiveConstant
        if let objective {
            bound = model.sense == .minimize ? Swift.min(bound, objective) : Swift.max(bound, objective)
        }
        return SolveResult(status: ending.status, objective: ending.status.hasSolution ? objective : nil, bestBound: bound,
                           values: ending.status.hasSolution ? (solution ?? []) : [], seconds: seconds, nodes: outcome.nodes)
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

/// Calls `body` with a pointer to `array`'s storage, or with nil when there is no array.
func withOptionalBuffer<Result>(_ array: [Double]?, _ body: (UnsafePointer<Double>?) -> Result) -> Result {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
