import PipeGraph

/// The fast exact path of `repair` without a memory cap: a per-node cost table over monotone,
/// group-respecting stage maps is a minimum closure in z(v, b) = [s(v) > b], solved by a
/// minimum cut (docs/repair.md, "Fast exact paths").
enum ClosureRepair {
    /// The least total cost, the pointwise least optimal stage map, and the pointwise greatest
    /// one: every optimal stage map lies between the two. With `tieSearchLimit` > 0, also the
    /// optimal stage map of least bottleneck when a branch and bound finds and proves it within
    /// that many search nodes (`tieBreak`: nil when it did not finish).
    static func solve(graph: ComputationGraph, costs: RepairCosts, stageCount: Int, tieSearchLimit: Int = 0)
        -> (cost: Double, least: Partition, greatest: Partition, tieBreak: Partition?) {
        let layers = stageCount - 1
        let nodeCount = graph.nodeCount
        guard layers > 0 else {
            let single = Partition(stageCount: stageCount, stageOf: [Int](repeating: 0, count: nodeCount))
            return (costs.total(of: single), single, single, single)
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
        for (producer, consumer) in graph.precedenceEdges {
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
        let least = partition(solution.least), greatest = partition(solution.greatest)
        guard tieSearchLimit > 0, least != greatest else { return (constant + solution.cost, least, greatest, least == greatest ? least : nil) }
        let start = graph.bottleneck(of: least) <= graph.bottleneck(of: greatest) ? least : greatest
        let bound = StageCostBound(graph: graph, stageCount: stageCount)
        let search = cut.bestOptimalSet(least: solution.least, greatest: solution.greatest, incumbent: graph.bottleneck(of: start),
                                        searchLimit: tieSearchLimit,
                                        lowerBound: { bound.lowerBound(assignment: $0) },
                                        value: { graph.bottleneck(of: partition($0)) })
        let tieBreak = search.complete ? (search.set.map(partition) ?? start) : nil
        return (constant + solution.cost, least, greatest, tieBreak)
    }
}

/// A lower bound on the bottleneck of every completion of a partial stage map in the closure
/// variables z(v, b) = [s(v) > b]: each stage pays at least the work of the nodes surely in it
/// and the comm of the producers whose crossing is already sure (docs/repair.md, "Fast exact paths").
struct StageCostBound {
    let graph: ComputationGraph
    let stageCount: Int

    /// `assignment[v·(k−1) + b]` is 1, 0, or −1 (undecided).
    func lowerBound(assignment: [Int8]) -> Double {
        let layers = stageCount - 1
        let nodeCount = graph.nodeCount
        var low = [Int](repeating: 0, count: nodeCount)
        var high = [Int](repeating: stageCount - 1, count: nodeCount)
        for node in 0..<nodeCount {
            for layer in 0..<layers {
                switch assignment[node * layers + layer] {
                case 1: low[node] = Swift.max(low[node], layer + 1)
                case 0: high[node] = Swift.min(high[node], layer)
                default: break
                }
            }
        }
        var cost = [Double](repeating: 0, count: stageCount)
        var lastCounted = [Int](repeating: -1, count: stageCount)
        for node in 0..<nodeCount {
            let sure = low[node] == high[node] ? low[node] : nil
            if let sure { cost[sure] += graph.nodes[node].work }
            let comm = graph.nodes[node].comm
            guard comm > 0 else { continue }
            var sendsOut = false
            for consumer in graph.successors[node] where low[consumer] == high[consumer] {
                let stage = low[consumer]
                // The consumer's stage surely pays this producer's comm in when the producer surely sits elsewhere.
                if !(low[node]...high[node]).contains(stage), lastCounted[stage] != node {
                    lastCounted[stage] = node
                    cost[stage] += comm
                }
                if let sure, stage != sure { sendsOut = true }
            }
            if let sure, sendsOut { cost[sure] += comm }
        }
        return cost.max() ?? 0
    }
}
