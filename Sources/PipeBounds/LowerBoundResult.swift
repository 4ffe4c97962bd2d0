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
    /// The method (`combinatorial`, `exact`, `single-block`, `guess-block`, `value-search`).
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

    public init(method: String, value: Double, status: BoundStatus, seconds: Double, partition: Partition? = nil, detail: String = "") {
        self.method = method
        self.value = value
        self.status = status
        self.seconds = seconds
        self.partition = partition
        self.detail = detail
    }
}
