import PipeGraph

/// ``PipeGraph/ComputationGraph/closedStage(of:)`` for the many small sets of ``ContainingStageBound/leastCostsHoldingConsumers(above:maximumCuts:shouldStop:)``:
/// a node on a path between two members lies between them in topological order, so the two searches
/// (forward from the members, backward to them) stay within the members' span of that order, and reuse
/// their marks. The same sets as `closedStage`, without two passes over the whole graph per producer
/// (20,000 producers on the largest fixture).
struct BandClosure {
    private let graph: ComputationGraph
    private var position: [Int]
    private var forwardMark: [Int]
    private var backwardMark: [Int]
    private var stamp = 0

    init(graph: ComputationGraph) {
        self.graph = graph
        var position = [Int](repeating: 0, count: graph.nodeCount)
        for (index, node) in graph.topologicalOrder.enumerated() { position[node] = index }
        self.position = position
        forwardMark = [Int](repeating: 0, count: graph.nodeCount)
        backwardMark = [Int](repeating: 0, count: graph.nodeCount)
    }

    /// The least convex set holding `members` and the colocation group of each node in it, sorted.
    mutating func closedStage(of members: [Int]) -> [Int] {
        var current = Array(Set(members))
        while true {
            let hull = convexHull(of: current)
            var withGroups = Set(hull)
            for node in hull { if let group = graph.groupOf[node] { withGroups.formUnion(graph.groupMembers[group]) } }
            if withGroups.count == hull.count { return hull.sorted() }
            current = Array(withGroups)
        }
    }

    private mutating func convexHull(of members: [Int]) -> [Int] {
        stamp += 1
        let low = members.map { position[$0] }.min() ?? 0
        let high = members.map { position[$0] }.max() ?? 0
        var stack = members
        for member in members { forwardMark[member] = stamp }
        while let node = stack.popLast() {
            for next in graph.precedenceSuccessors[node] where forwardMark[next] != stamp && position[next] <= high {
                forwardMark[next] = stamp
                stack.append(next)
            }
        }
        var hull: [Int] = []
        stack = members
        for member in members { backwardMark[member] = stamp }
        while let node = stack.popLast() {
            if forwardMark[node] == stamp { hull.append(node) }
            for previous in graph.precedencePredecessors[node] where backwardMark[previous] != stamp && position[previous] >= low {
                backwardMark[previous] = stamp
                stack.append(previous)
            }
        }
        return hull
    }
}
