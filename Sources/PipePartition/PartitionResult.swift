import PipeGraph

/// A partition a method proposes, re-costed by the cost model.
public struct PartitionResult: Sendable {
    /// The method that found it (`slice`, `brkga-100`, …).
    public var method: String
    /// The partition; valid for the graph.
    public var partition: Partition
    /// Its bottleneck under the exact cost f.
    public var bottleneck: Double
    /// Wall-clock seconds the method took.
    public var seconds: Double

    public init(method: String, partition: Partition, bottleneck: Double, seconds: Double) {
        self.method = method
        self.partition = partition
        self.bottleneck = bottleneck
        self.seconds = seconds
    }
}
