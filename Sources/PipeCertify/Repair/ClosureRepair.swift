import PipeGraph

/// The fast exact path of `repair` without a memory cap: a per-node cost table over monotone,
/// group-respecting stage maps is a minimum closure in z(v, b) = [s(v) > b], solved by a
/// minimum cut (docs/repair.md, "Fast exact paths").
enum ClosureRepair {
    /// The least total cost, the pointwise least optimal stage map, and the pointwise greatest
    /// one: every optimal stage map lies between the two.
    /// With `alternativeLimit`, also every optimal stage map when there are at most that many.
    static func solve(graph: ComputationGraph, costs: RepairCosts, stageCount: Int, alternativeLimit: Int = 0)
        -> (cost: Double, least: Partition, greatest: Partition, alternatives: [Partition]?) {
        let layers = stageCount - 1
        let nodeCount = graph.nodeCount
        guard layers > 0 else {
            let single = Partition(stageCount: stageCount, stageOf: [Int](repeating: 0, count: nodeCount))
            return (costs.total(of: single), single, single, [single])
        }
        func variable(_ node: Int, _ layer: Int) -> Int { node * layers + layer }
        var cut = ClosureCut(variableCount: nodeCount * layers)
        var constant = 0.0
        for node in 0..<nodeCount {
            let row = costs.table[node]
            // g(s) = g(0) + Σ_{b < s} (g(b + 1) − g(b)), and [b < s] = z(v, b).
            constant += row[0]
            for layer in 0..<layers {
                cut.addCost(row[layer + 1] - row[layer], whenSet: variable(node, layer))
                // s(v) > b + 1 implies s(v) > b.
                if layer + 1 < layers { cut.addImplication(variable(node, layer + 1), implies: variable(node, layer)) }
            }
        }
        for (producer, consumer) in graph.edges {
            // s(u) ≤ s(v): s(u) > b implies s(v) > b.
            for layer in 0..<layers { cut.addImplication(variable(producer, layer), implies: variable(consumer, layer)) }
        }
        for members in graph.groupMembers {
            guard let first = members.first else { continue }
            for member in members.dropFirst() {
                for layer in 0..<layers {
                    cut.addImplication(variable(member, layer), implies: variable(first, layer))
                    cut.addImplication(variable(first, layer), implies: variable(member, layer))
                }
            }
        }
        let solution = cut.solve()
        func partition(_ set: [Bool]) -> Partition {
            Partition(stageCount: stageCount, stageOf: (0..<nodeCount).map { node in
                (0..<layers).reduce(0) { $0 + (set[variable(node, $1)] ? 1 : 0) }
            })
        }
        let alternatives = alternativeLimit > 0
            ? cut.optimalSets(least: solution.least, greatest: solution.greatest, limit: alternativeLimit)?.map(partition) : nil
        return (constant + solution.cost, partition(solution.least), partition(solution.greatest), alternatives)
    }
}
