import PipeGraph

/// The best cut of one topological order into contiguous stages.
public struct Slicing: Sendable {
    /// The order that was cut.
    public var order: [Int]
    /// One past the last position of each stage, non-decreasing, `stageCount` entries, last = n.
    public var segmentEnds: [Int]
    /// The bottleneck as the DP computed it incrementally (equal to the re-costed one up to rounding).
    public var bottleneck: Double

    /// The slicing as a stage map.
    public var partition: Partition {
        Partition(order: order, segmentEnds: segmentEnds, stageCount: segmentEnds.count)
    }
}

/// The slicing DP (the paper's Algorithm 1): the optimal partition of a given topological order into
/// at most k contiguous segments under the exact cost f, with the memory cap and colocation groups.
///
/// OPT[j][s] = min over i < j of max(OPT[i][s−1], f(π[i..<j))), computed forward: for every start i
/// the segment is extended one node at a time and f is updated incrementally (work; in-comm with a
/// per-producer stamp so an outside producer is counted once; out-comm that disappears when the end
/// passes the producer's last consumer). f is not monotone in j, so the scan never stops on cost; it
/// stops on memory (monotone) and on work above an upper bound U of the optimum (f ≥ work, so a
/// segment with more work than U cannot be in an optimal slicing). U comes from a cheap greedy
/// bisection. A boundary with remaining work R can follow at most k − ⌈R / U⌉ segments, which
/// confines each start to a narrow band of segment counts. Together they make the DP touch about
/// n · (n/k) windows, each with a few segment counts, instead of k · n².
///
/// Exact: every slicing with bottleneck ≤ U is a sequence of windows and counts the DP visits, and OPT ≤ U.
public struct OrderSlicer: Sendable {
    /// The graph whose orders are cut.
    public let graph: ComputationGraph
    /// k, the most stages a slicing may use.
    public let stageCount: Int

    /// Relative slack on U so that rounding in the incremental costs never drops the optimum.
    static let upperBoundSlack = 1e-9

    /// Prepares the slicer for `graph` with at most `stageCount` stages; `stageCount` ≥ 1 is the
    /// caller's contract (``Partitioner`` checks it and throws).
    public init(graph: ComputationGraph, stageCount: Int) {
        precondition(stageCount >= 1, "stageCount must be at least 1")
        self.graph = graph
        self.stageCount = stageCount
    }

    /// The optimal slicing of `order` (a topological order of every node), or nil when no slicing of
    /// this order into at most k segments respects the memory cap and keeps every group in one segment.
    public func slice(_ order: [Int]) -> Slicing? {
        var layout = OrderLayout(graph: graph, order: order)
        guard let minimumSegments = layout.fewestSegments(), minimumSegments <= stageCount else { return nil }
        let upperBound = layout.greedyUpperBound(stageCount: stageCount)
        return layout.optimalSlicing(stageCount: stageCount, upperBound: upperBound)
    }

    /// The same DP over every window, without the upper bound: the reference the pruned DP is tested against.
    func sliceOverAllWindows(_ order: [Int]) -> Slicing? {
        var layout = OrderLayout(graph: graph, order: order)
        return layout.optimalSlicing(stageCount: stageCount, upperBound: .infinity)
    }
}
