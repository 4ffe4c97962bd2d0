import Foundation
import PipeGraph

/// The partition methods a user can ask for by name.
public enum PartitionMethod: String, CaseIterable, Sendable {
    /// Slicing DP over the best of a few canonical topological orders.
    case slice
    /// BRKGA over topological orders, population 10 × 10 generations (the paper's preset).
    case brkga100 = "brkga-100"
    /// BRKGA over topological orders, population 100 × 100 generations (the paper's preset).
    case brkga10000 = "brkga-10000"
    /// The exact DP over ideals (refuses graphs with too many ideals).
    case idealDP = "ideal-dp"
}

/// Why a partition method could not produce a partition.
public struct PartitionError: Error, CustomStringConvertible, Sendable {
    /// One line: what went wrong and what to do instead.
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs a partition method by name.
public enum Partitioner {
    /// Partitions `graph` into at most `stageCount` stages with `method`; the result is valid and re-costed.
    public static func partition(_ graph: ComputationGraph, stageCount: Int, method: PartitionMethod,
                                 seed: UInt64 = 1) throws -> PartitionResult {
        throw PartitionError("'\(method.rawValue)' is not built yet")
    }
}
