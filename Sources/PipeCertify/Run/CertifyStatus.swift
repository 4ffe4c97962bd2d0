/// A progress report from a certify run, sent when a step starts or ends.
public struct CertifyStatus: Sendable {
    /// k.
    public var stageCount: Int
    /// The step running now (`value-search`, …) or `done`.
    public var step: String
    /// Seconds since this stage count started.
    public var elapsed: Double
    /// The best bottleneck found so far (nil before the first partition).
    public var upper: Double?
    /// The best lower bound proven so far.
    public var lower: Double

    public init(stageCount: Int, step: String, elapsed: Double, upper: Double?, lower: Double) {
        self.stageCount = stageCount
        self.step = step
        self.elapsed = elapsed
        self.upper = upper
        self.lower = lower
    }

    /// lower / upper, when there is an upper bound (1 for a zero bottleneck).
    public var ratio: Double? {
        guard let upper else { return nil }
        return upper > 0 ? lower / upper : 1
    }
}
