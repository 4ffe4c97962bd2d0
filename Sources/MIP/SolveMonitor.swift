import Foundation

/// The part of a solve every backend shares: the clock, the stop flag, throttled progress
/// reports, and the last proven bound. A backend creates one per solve and calls it from the
/// solver's callback on the solving thread.
public final class SolveMonitor: @unchecked Sendable {
    /// The options of the solve being watched.
    public let options: SolveOptions
    private let started = DispatchTime.now()
    private var lastReport: Double = -.infinity
    private var lastIncumbent: Double?
    /// Seconds between two progress reports that bring no new incumbent.
    public static let reportInterval = 0.5

    /// Starts the clock of a solve with `options`.
    public init(options: SolveOptions) {
        self.options = options
    }

    /// Seconds since the solve started.
    public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }

    /// Seconds left before the time limit (nil: no limit; never negative).
    public var remainingTime: Double? { options.timeLimit.map { Swift.max(0, $0 - elapsed) } }

    /// Whether the solve should end now: the stop flag is raised or the time limit has passed.
    public var shouldStop: Bool {
        if options.stopFlag?.isStopped == true { return true }
        if let limit = options.timeLimit, elapsed >= limit { return true }
        return false
    }

    /// Passes progress to the caller's callback: at once when the incumbent changed, otherwise
    /// at most every ``reportInterval`` seconds (and always when `force` is set).
    public func report(incumbent: Double?, bestBound: Double?, nodes: Int, force: Bool = false) {
        guard let progress = options.progress else { return }
        let now = elapsed
        let newIncumbent = incumbent != nil && incumbent != lastIncumbent
        guard force || newIncumbent || now - lastReport >= Self.reportInterval else { return }
        lastReport = now
        lastIncumbent = incumbent
        progress(SolveProgress(elapsed: now, incumbent: incumbent, bestBound: bestBound, nodes: nodes))
    }
}

extension Model {
    /// What every backend does before it builds anything: checks the model and the MIP start
    /// of `options` (throwing ``ModelError``), and answers a model without columns itself.
    /// Returns that answer, or nil when the backend has the model to solve.
    public func checkedBeforeSolving(options: SolveOptions) throws -> SolveResult? {
        try validateForSolvers()
        if let start = options.mipStart { try validate(mipStart: start) }
        return variableCount == 0 ? resultWithoutColumns() : nil
    }

    /// The result for a model without columns, which no backend needs to see: the objective is
    /// its constant, and the model is feasible exactly when every row admits activity 0.
    public func resultWithoutColumns() -> SolveResult {
        let feasible = (0..<constraintCount).allSatisfy { rowLower[$0] <= 0 && rowUpper[$0] >= 0 }
        if feasible {
            return SolveResult(status: .optimal, objective: objectiveConstant, bestBound: objectiveConstant,
                               values: [], seconds: 0, nodes: 0)
        }
        return SolveResult(status: .infeasible, objective: nil, bestBound: sense == .minimize ? .infinity : -.infinity,
                           values: [], seconds: 0, nodes: 0)
    }

    /// The MIP start of `options` with integral columns rounded, if it satisfies the model
    /// within `tolerance`; nil otherwise. Backends use it as the incumbent of last resort, so a
    /// solve stopped before the solver took the start still returns it.
    public func feasibleStart(of options: SolveOptions, tolerance: Double = 1e-6) -> [Double]? {
        guard var start = options.mipStart, start.count == variableCount else { return nil }
        for column in 0..<variableCount where columnKind[column].isIntegral {
            start[column] = start[column].rounded()
        }
        return violation(of: start, tolerance: tolerance) == nil ? start : nil
    }
}
