import PipeGraph

/// What a lower bound is asked about: the graph, the stage count, and what other methods already
/// know. Enough to build every model (``ModelExport``); solving one also needs a ``SolveBudget``.
public struct BoundProblem: Sendable {
    /// The graph.
    public var graph: ComputationGraph
    /// k.
    public var stageCount: Int
    /// The best known partition: a warm start and the upper end of searches.
    public var incumbent: Partition?
    /// The best lower bound already proven by other methods (a search may start from it).
    public var knownLowerBound: Double

    public init(graph: ComputationGraph, stageCount: Int, incumbent: Partition? = nil, knownLowerBound: Double = 0) {
        self.graph = graph
        self.stageCount = stageCount
        self.incumbent = incumbent
        self.knownLowerBound = knownLowerBound
    }
}
