import Foundation
import PipeGraph
import PipePartition

/// The exact DP over ideals (``IdealDP``, docs/partitioning.md "Exact DP over ideals") as a bound
/// method that also yields its partition.
///
/// Where the DP finishes, it has enumerated every boundary ideal, so its bottleneck is OPT itself:
/// its partition is an optimal upper bound and its value (rounded down for the floating-point sums)
/// a lower bound like any other. Certify's `ideal-dp` step, `bound --method ideal-dp` and the value
/// search's first probe all run it through this type, with ``IdealDP/Limits/standard`` (the limits of
/// `partition --method ideal-dp` too): they differ only in the time limit and stop flag they give.
///
/// The limits are counts, so that without a time limit the outcome is the same on every machine;
/// the clock is read only to keep a time limit, and the stop flag is polled throughout.
public struct IdealDPBound: Sendable {
    /// What the DP answers for one stage count: an optimal partition and its proven bound.
    public struct Answer: Sendable {
        /// An optimal partition (valid for the graph).
        public var partition: Partition
        /// Its bottleneck as the DP summed it.
        public var bottleneck: Double
        /// OPT rounded down by ``SafeRounding/arithmeticMargin``: a proven lower bound.
        public var lowerBound: Double
    }

    /// The count limits: ``IdealDP/Limits/standard`` but in tests that need a refusal on a small graph.
    public var limits: IdealDP.Limits
    /// Wall-clock seconds the pass may take (nil: the count limits alone).
    public var timeLimit: Double?
    /// Polled with the time limit; true stops the pass (it then throws).
    public var shouldStop: (@Sendable () -> Bool)?

    /// A pass within `limits`, and within `timeLimit` seconds when one is given.
    public init(limits: IdealDP.Limits = .standard, timeLimit: Double? = nil, shouldStop: (@Sendable () -> Bool)? = nil) {
        self.limits = limits
        self.timeLimit = timeLimit
        self.shouldStop = shouldStop
    }

    /// The stop hook the pass runs with: the caller's, and the clock under a time limit.
    private func effectiveStop() -> (@Sendable () -> Bool)? {
        guard let timeLimit else { return shouldStop }
        let deadline = Date().addingTimeInterval(Swift.max(0, timeLimit))
        let outer = shouldStop
        return { outer?() == true || Date() >= deadline }
    }

    /// The optimum for each of `stageCounts` from one pass (docs/partitioning.md: the table for the
    /// most stages holds the optima of all fewer); nil where no valid partition exists. `upperBound`
    /// must be at least the optimum with the fewest stages asked for. Throws ``PartitionError`` past
    /// the limits or when stopped.
    public func optima(of graph: ComputationGraph, stageCounts: [Int],
                       upperBound: Double = .infinity) throws -> [Int: Answer?] {
        let shouldStop = effectiveStop()
        let found = try IdealDP.optima(of: graph, stageCounts: stageCounts, upperBound: upperBound, limits: limits,
                                       shouldStop: shouldStop)
        return found.mapValues { $0.flatMap { Self.answer(graph: graph, partition: $0.partition, bottleneck: $0.bottleneck) } }
    }

    /// The optimum with at most `stageCount` stages; nil where no valid partition exists. Throws as
    /// ``optima(of:stageCounts:upperBound:)`` does.
    public func optimum(of graph: ComputationGraph, stageCount: Int, upperBound: Double = .infinity) throws -> Answer? {
        let shouldStop = effectiveStop()
        guard let found = try IdealDP.optimum(of: graph, stageCount: stageCount, upperBound: upperBound,
                                              limits: limits, shouldStop: shouldStop) else { return nil }
        return Self.answer(graph: graph, partition: found.partition, bottleneck: found.bottleneck)
    }

    /// The answer for a partition the DP returned, nil if it is not valid (never expected: a check,
    /// since the partition becomes an upper bound). The lower bound is the lesser of the DP's sum and
    /// the graph's own costing, rounded down.
    private static func answer(graph: ComputationGraph, partition: Partition, bottleneck: Double) -> Answer? {
        guard graph.isValid(partition) else { return nil }
        let value = Swift.min(bottleneck, graph.bottleneck(of: partition))
        return Answer(partition: partition, bottleneck: bottleneck,
                      lowerBound: SafeRounding.roundDown(value, relative: SafeRounding.arithmeticMargin))
    }
}

extension IdealDPBound {
    /// The pass a bound method runs in `context` (`bound --method ideal-dp` and the value search's
    /// first probe): the standard limits, the time left and the stop flag.
    /// Its partition, when it finds one, is offered to the context. Throws past the limits or when stopped.
    static func optimum(_ context: inout BoundContext) throws -> Answer? {
        let flag = context.request.stopFlag
        let dp = IdealDPBound(timeLimit: context.remainingTime, shouldStop: { flag?.isStopped == true })
        let found = try dp.optimum(of: context.graph, stageCount: context.stageCount, upperBound: context.upperBound)
        if let found { context.offer(found.partition) }
        return found
    }

    /// `bound --method ideal-dp`: where the pass finishes, the bound is OPT rounded down and its
    /// partition the incumbent; where it gives up (too many ideals, the limits, a stop), the bound is
    /// the combinatorial one, marked `limit`.
    static func compute(_ context: inout BoundContext) -> LowerBoundResult {
        let found: Answer?
        do {
            found = try optimum(&context)
        } catch {
            return context.result(method: .idealDP, value: context.lowerBound, status: .limit,
                                  detail: "the DP gave up (\(error)); the combinatorial bound")
        }
        guard let found else {
            return context.result(method: .idealDP, value: context.lowerBound, status: .limit,
                                  detail: "the DP returned no partition within the incumbent's cost; the combinatorial bound")
        }
        return context.result(method: .idealDP, value: Swift.max(found.lowerBound, context.lowerBound), status: .proved,
                              detail: "the DP over ideals finished: the optimum, rounded down")
    }
}
