import Foundation

/// How much a backend prints while it solves.
public enum LogVerbosity: Int, Sendable, Comparable, Codable {
    /// Nothing.
    case silent = 0
    /// Errors and a final summary.
    case summary = 1
    /// The solver's normal progress log.
    case normal = 2
    /// Everything the solver can print.
    case verbose = 3

    public static func < (lhs: LogVerbosity, rhs: LogVerbosity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One progress report from a running solve.
public struct SolveProgress: Sendable {
    /// Seconds since the solve started.
    public var elapsed: Double
    /// Objective of the best solution found so far, if any.
    public var incumbent: Double?
    /// The best proven bound so far (a lower bound when minimising).
    public var bestBound: Double?
    /// Branch-and-bound nodes processed so far.
    public var nodes: Int

    public init(elapsed: Double, incumbent: Double?, bestBound: Double?, nodes: Int) {
        self.elapsed = elapsed
        self.incumbent = incumbent
        self.bestBound = bestBound
        self.nodes = nodes
    }
}

/// A flag another thread (say, a SIGINT handler's task) sets to stop running solves early.
///
/// A stopped solve returns like one that hit a limit: its best bound is still proven.
/// A flag with a parent is also stopped when its parent is, so one part of a run can be
/// stopped alone while a signal still stops everything.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private let parent: StopFlag?

    /// A flag that is raised by ``stop()``, or by its parent's.
    public init(parent: StopFlag? = nil) {
        self.parent = parent
    }

    /// Asks every solve that watches this flag (or a child of it) to stop.
    public func stop() {
        lock.lock(); raised = true; lock.unlock()
    }

    /// Whether ``stop()`` was called on this flag or on an ancestor.
    public var isStopped: Bool {
        lock.lock()
        let own = raised
        lock.unlock()
        return own || parent?.isStopped == true
    }
}

/// What a backend may spend and how it should behave.
public struct SolveOptions: Sendable {
    /// Wall-clock limit in seconds (nil: none).
    public var timeLimit: Double?
    /// Stop when (incumbent − bound) / |incumbent| falls below this (nil: the solver's default).
    public var relativeGap: Double?
    /// Stop when incumbent − bound falls below this (nil: the solver's default).
    public var absoluteGap: Double?
    /// Limit on branch-and-bound nodes (nil: none). Deterministic, unlike a time limit.
    public var nodeLimit: Int?
    /// Threads the solver may use (CBC only; GLPK is single-threaded).
    public var threads: Int = 1
    /// A known feasible solution: one value per column. Both backends start from it.
    public var mipStart: [Double]?
    /// How much the solver prints (to stderr).
    public var verbosity: LogVerbosity = .silent
    /// Called from the solving thread with progress; keep it cheap.
    public var progress: (@Sendable (SolveProgress) -> Void)?
    /// Set it to stop the solve early.
    public var stopFlag: StopFlag?

    public init(timeLimit: Double? = nil, relativeGap: Double? = nil, absoluteGap: Double? = nil,
                nodeLimit: Int? = nil, threads: Int = 1, mipStart: [Double]? = nil,
                verbosity: LogVerbosity = .silent, progress: (@Sendable (SolveProgress) -> Void)? = nil,
                stopFlag: StopFlag? = nil) {
        self.timeLimit = timeLimit
        self.relativeGap = relativeGap
        self.absoluteGap = absoluteGap
        self.nodeLimit = nodeLimit
        self.threads = threads
        self.mipStart = mipStart
        self.verbosity = verbosity
        self.progress = progress
        self.stopFlag = stopFlag
    }
}
