import PipeGraph

/// The nodes of a run of consecutive stages a...c of a partition, as units (closed colocation groups
/// or single nodes) with the precedence order among them: what ``BottleneckNeighbourhood``
/// re-partitions while every other stage stays fixed (docs/partitioning.md, "Large-neighbourhood search").
///
/// The union of stages 0...a−1 and the union of stages 0...c are ideals of the precedence order, so
/// any split of the window's units into c − a + 1 nested ideals of the window keeps the whole
/// partition valid, and leaves the cost of every stage outside the window unchanged (f of a stage
/// depends on its own members only).
struct StageWindow {
    /// The first and last stage of the window.
    let first: Int
    let last: Int
    /// The members of each unit, in the graph's topological order.
    let unitMembers: [[Int]]
    /// Precedence predecessors and successors of each unit, inside the window only (local indices).
    let unitPredecessors: [[Int]]
    let unitSuccessors: [[Int]]
    /// The current stage of each unit.
    let unitStage: [Int]
    /// Σ work and Σ memory of each unit's members: what the window searches prune on.
    let unitWork: [Double]
    let unitMemory: [Double]

    /// The number of stages the window spans.
    var stageCount: Int { last - first + 1 }
    /// The number of units.
    var unitCount: Int { unitMembers.count }

    /// The window of stages `first...last` of `stageOf`; `unitOfNode` is scratch space of the graph's size (all −1 on entry and on return).
    init(graph: ComputationGraph, stageOf: [Int], first: Int, last: Int, unitOfNode: inout [Int]) {
        self.first = first
        self.last = last
        var members: [[Int]] = []
        var stages: [Int] = []
        var groupUnit: [Int: Int] = [:]
        for node in graph.topologicalOrder where (first...last).contains(stageOf[node]) {
            let unit: Int
            if let group = graph.groupOf[node] {
                if let known = groupUnit[group] { unit = known } else {
                    unit = members.count
                    groupUnit[group] = unit
                    members.append([])
                    stages.append(stageOf[node])
                }
            } else {
                unit = members.count
                members.append([])
                stages.append(stageOf[node])
            }
            members[unit].append(node)
            unitOfNode[node] = unit
        }
        var successors = [Set<Int>](repeating: [], count: members.count)
        for (unit, nodes) in members.enumerated() {
            for node in nodes {
                for later in graph.precedenceSuccessors[node] {
                    let other = unitOfNode[later]
                    if other >= 0 && other != unit { successors[unit].insert(other) }
                }
            }
        }
        for nodes in members { for node in nodes { unitOfNode[node] = -1 } }
        unitSuccessors = successors.map { $0.sorted() }
        var predecessors = [[Int]](repeating: [], count: members.count)
        for (unit, laters) in unitSuccessors.enumerated() { for later in laters { predecessors[later].append(unit) } }
        unitPredecessors = predecessors
        unitMembers = members
        unitStage = stages
        unitWork = members.map { $0.reduce(0.0) { $0 + graph.nodes[$1].work } }
        unitMemory = members.map { $0.reduce(0.0) { $0 + graph.nodes[$1].memory } }
    }
}
