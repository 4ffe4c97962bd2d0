import PipeGraph

/// The exact DP over ideals (in progress).
public enum IdealDP {
    /// The optimum, or nil when no valid partition exists.
    public static func optimum(of graph: ComputationGraph, stageCount: Int, upperBound: Double = .infinity) throws -> (partition: Partition, bottleneck: Double)? {
        throw PartitionError("ideal-dp is not built yet")
    }
}
