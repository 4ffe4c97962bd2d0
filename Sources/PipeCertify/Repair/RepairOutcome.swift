import PipeGraph

/// A repaired partition and how it differs from the candidate (docs/repair.md, "Output").
public struct RepairOutcome: Sendable {
    /// One node whose stage changed.
    public struct Move: Sendable, Equatable, Codable {
        /// The node's name.
        public var node: String
        /// Its stage in the candidate (nil when the candidate left it free).
        public var from: Int?
        /// Its stage in the repaired partition.
        public var to: Int
    }

    /// The valid partition returned.
    public var partition: Partition
    /// What was wrong with the candidate, as `evaluate` words it (empty when it was valid).
    public var violations: [String]
    /// Nodes whose stage differs from the candidate's (free nodes are not moves), in node order.
    public var moves: [Move]
    /// The objective's value for ``partition`` (moves: the weighted count; distance: Σ |s − c|; bottleneck: T).
    public var objectiveValue: Double
    /// Σ |s(v) − c(v)| over the nodes the candidate placed.
    public var distance: Int
    /// The candidate's bottleneck, when it was a valid partition (names the graph lacks aside).
    public var bottleneckBefore: Double?
    /// The repaired partition's bottleneck.
    public var bottleneckAfter: Double
    /// How it was found: `unchanged`, `min-cut`, `min-cut+search`, `min-cut+mip`, `mip` (docs/repair.md).
    public var method: String
    /// Whether the objective is proven optimal (false when a limit stopped a solver).
    public var isOptimal: Bool
    /// Wall-clock seconds.
    public var seconds: Double

    /// The outcome of returning `partition` for `candidate`.
    init(partition: Partition, candidate: RepairCandidate, graph: ComputationGraph, violations: [String],
         bottleneckBefore: Double?, objectiveValue: Double, method: String, isOptimal: Bool, seconds: Double) {
        self.partition = partition
        self.violations = violations
        var moves: [Move] = []
        var distance = 0
        for (node, wished) in candidate.target.enumerated() {
            let stage = partition.stageOf[node]
            guard let wished else { continue }
            if wished != stage { moves.append(Move(node: graph.nodes[node].name, from: wished, to: stage)) }
            distance += abs(wished - stage)
        }
        self.moves = moves
        self.distance = distance
        self.objectiveValue = objectiveValue
        self.bottleneckBefore = bottleneckBefore
        bottleneckAfter = graph.bottleneck(of: partition)
        self.method = method
        self.isOptimal = isOptimal
        self.seconds = seconds
    }
}
