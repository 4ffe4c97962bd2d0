import PipeGraph

/// The per-node cost table g_v(s) of the `moves` and `distance` objectives: both are sums of
/// one function of each node's stage, which is what makes them linear in the prefix variables
/// (docs/repair.md, "Formulation").
struct RepairCosts {
    /// g_v(s) for s in 0..<k, one row per node.
    let table: [[Double]]

    /// The table of `objective` (moves or distance) for `candidate`; bottleneck uses the move count.
    init(objective: RepairObjective, weight: RepairWeight, candidate: RepairCandidate, graph: ComputationGraph) {
        let stageCount = candidate.stageCount
        table = candidate.target.enumerated().map { node, wished -> [Double] in
            guard let wished else { return [Double](repeating: 0, count: stageCount) }
            switch objective {
            case .distance:
                return (0..<stageCount).map { Double(abs($0 - wished)) }
            case .moves, .bottleneck:
                let price = objective == .moves && weight == .work ? graph.nodes[node].work : 1
                return (0..<stageCount).map { $0 == wished ? 0 : price }
            }
        }
    }

    /// Σ_v g_v(s(v)).
    func total(of partition: Partition) -> Double {
        var sum = 0.0
        for (node, stage) in partition.stageOf.enumerated() { sum += table[node][stage] }
        return sum
    }
}
