import PipeGraph

/// How a lower bound was obtained.
public enum BoundStatus: String, Sendable, Codable {
    /// The method ran to completion: the value is the method's full bound.
    case proved
    /// A time or node limit stopped the method; the value is still a proven lower bound, just weaker.
    case limit
    /// The method does not apply (for example, too large); the value is 0.
    case skipped
    /// The method failed (solver error); the value is 0.
    case failed
}

/// A proven lower bound on the optimal bottleneck, and any better partition found on the way.
public struct LowerBoundResult: Sendable {
    /// The method (`combinatorial`, `cuts`, `exact`, `single-block`, `guess-block`, `value-search`).
    public var method: String
    /// The bound, already rounded down for solver tolerances: no valid partition beats it.
    public var value: Double
    /// How it was obtained.
    public var status: BoundStatus
    /// Wall-clock seconds.
    public var seconds: Double
    /// A partition found along the way (MIP incumbent or feasible probe), valid and re-costed.
    public var partition: Partition?
    /// Free text for the report (why skipped, how many probes, …).
    public var detail: String
    /// The probes of a value search, in order (empty for the other methods).
    public var probes: [BoundProbe] = []

    public init(method: String, value: Double, status: BoundStatus, seconds: Double, partition: Partition? = nil, detail: String = "") {
        self.method = method
        self.value = value
        self.status = status
        self.seconds = seconds
        self.partition = partition
        self.detail = detail
    }
}

/// One probe of the bottleneck-value search: "is there a partition with bottleneck ≤ value?".
public struct BoundProbe: Sendable, Codable, Equatable {
    /// What a probe established.
    public enum Verdict: String, Sendable, Codable {
        /// Some node has no stage window: no partition reaches the value (no solver needed).
        case noWindows = "no-windows"
        /// The solver proved the windowed model infeasible: every partition costs more than the value.
        case infeasible
        /// The solver found a partition; ``BoundProbe/partitionCost`` is its re-costed bottleneck.
        case feasible
        /// A limit stopped the solver, or its solution failed the exact check: nothing proven.
        case unresolved
    }

    /// The bottleneck value probed.
    public var value: Double
    /// The outcome.
    public var verdict: Verdict
    /// For a feasible probe, the re-costed bottleneck of the valid partition it found.
    public var partitionCost: Double?
    /// Seconds spent in the solver.
    public var seconds: Double

    public init(value: Double, verdict: Verdict, partitionCost: Double? = nil, seconds: Double = 0) {
        self.value = value
        self.verdict = verdict
        self.partitionCost = partitionCost
        self.seconds = seconds
    }
}
