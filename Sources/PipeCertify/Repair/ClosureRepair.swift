import PipeGraph

/// The fast exact path of `repair`: a per-node cost table over monotone, group-respecting stage
/// maps is a minimum closure in z(v, b) = [s(v) > b], solved by a minimum cut; a memory cap is
/// left to ``TieBreakSearch`` among the optima (docs/repair.md, "Fast exact paths").
/// [s(u) > a] ⇒ [s(v) > b], as ((u, a), (v, b)).
typealias ClosureImplication = (premise: (node: Int, layer: Int), conclusion: (node: Int, layer: Int))

enum ClosureRepair {
    /// What ``solve(graph:costs:stageCount:tieSearchLimit:shouldStop:)`` finds.
    struct Solution {
        /// The least total cost.
        var cost: Double
        /// The pointwise least and greatest optimal stage maps.
        var least: Partition
        var greatest: Partition
        /// The least-bottleneck valid optimum when ``isComplete`` (nil: no optimum is valid).
        var tieBreak: Partition?
        /// Whether ``tieBreak`` is settled.
        var isComplete: Bool
        /// When the search stopped early: the best valid optimum it had found (a better MIP start than the extremes).
        var bestFound: Partition?
        /// When the extremes differ and the search did not settle the tie-break: the residual arcs between the closure variables the
        /// two extremes disagree on, as pairs ((node, layer) ⇒ (node, layer)) meaning [s(u) > a] ⇒ [s(v) > b].
        /// A stage map between the extremes is optimal exactly when it respects all of them.
        var residualImplications: [ClosureImplication] = []
    }

    /// The least total cost over monotone, group-respecting stage maps (a lower bound on the
    /// valid partitions' when the graph has a memory cap), the pointwise least optimal stage map,
    /// and the pointwise greatest one: every optimal stage map lies between the two. With
    /// `tieSearchLimit` > 0, ``TieBreakSearch`` then looks among the optima for the valid
    /// partition (memory cap included) of least bottleneck: `isComplete` says whether it
    /// finished within that many search nodes (and before `shouldStop`), and then `tieBreak` is
    /// that partition, or nil when no optimum meets the memory cap.
    static func solve(graph: ComputationGraph, costs: RepairCosts, stageCount: Int, tieSearchLimit: Int = 0,
                      shouldStop: () -> Bool = { false }) -> Solution {
        let layers = stageCount - 1
        let nodeCount = graph.nodeCount
        guard layers > 0 else {
            let single = Partition(stageCount: stageCount, stageOf: [Int](repeating: 0, count: nodeCount))
            return Solution(cost: costs.total(of: single), least: single, greatest: single,
                            tieBreak: graph.isValid(single) ? single : nil, isComplete: true)
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
        let cost = constant + solution.cost
        let validExtremes = [least, greatest].filter { graph.isValid($0) }
        let start = validExtremes.min { graph.bottleneck(of: $0) < graph.bottleneck(of: $1) }
        if least == greatest { return Solution(cost: cost, least: least, greatest: greatest, tieBreak: start, isComplete: true) }
        // The variables the optima disagree on, node by node in increasing layer, as the search expects.
        var freeVariables: [(node: Int, layer: Int)] = []
        for node in 0..<nodeCount where least.stageOf[node] < greatest.stageOf[node] {
            for layer in least.stageOf[node]..<greatest.stageOf[node] { freeVariables.append((node, layer)) }
        }
        let arcs = cut.residualArcs(among: freeVariables.map { variable($0.node, $0.layer) })
        var unsettled = Solution(cost: cost, least: least, greatest: greatest, tieBreak: nil, isComplete: false)
        for (index, targets) in arcs.successors.enumerated() {
            // Arcs within one node restate s(v) > b + 1 ⇒ s(v) > b, which the prefix model already has.
            for target in targets where freeVariables[Int(target)].node != freeVariables[index].node {
                unsettled.residualImplications.append((freeVariables[index], freeVariables[Int(target)]))
            }
        }
        guard tieSearchLimit > 0 else { return unsettled }
        var search = TieBreakSearch(graph: graph, stageCount: stageCount, least: least.stageOf, greatest: greatest.stageOf,
                                    freeVariables: freeVariables, successors: arcs.successors, predecessors: arcs.predecessors)
        let found = search.run(incumbent: start.map { graph.bottleneck(of: $0) } ?? .infinity,
                               searchLimit: tieSearchLimit, shouldStop: shouldStop)
        guard found.isComplete else {
            unsettled.bestFound = found.stageOf.map { Partition(stageCount: stageCount, stageOf: $0) }
            return unsettled
        }
        return Solution(cost: cost, least: least, greatest: greatest,
                        tieBreak: found.stageOf.map { Partition(stageCount: stageCount, stageOf: $0) } ?? start, isComplete: true)
    }
}
