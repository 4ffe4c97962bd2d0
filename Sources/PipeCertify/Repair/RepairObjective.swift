/// What `repair` minimises among valid partitions (docs/repair.md).
public enum RepairObjective: String, Sendable, Codable, CaseIterable {
    /// The number of nodes whose stage changes (weighted by ``RepairWeight``), ties broken by the smaller bottleneck.
    case moves
    /// Σ |s(v) − c(v)|: how far, in stages, the nodes move in total.
    case distance
    /// The bottleneck, among partitions that change at most `maxMoves` nodes.
    case bottleneck
}

/// What one moved node costs under the `moves` objective.
public enum RepairWeight: String, Sendable, Codable, CaseIterable {
    /// Every moved node counts 1.
    case unit
    /// A moved node counts its work w(v) (moving cheap nodes is preferred).
    case work
}
