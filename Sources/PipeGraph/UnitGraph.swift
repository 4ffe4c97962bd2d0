import HeapModule

/// The quotient DAG of units that the partitioners search over (docs/partitioning.md, "Units").
///
/// Each closed colocation group is one unit (its members always share a stage); in a training graph
/// its backward nodes are in it, and the units are ordered by the precedence edges only
/// (docs/graph-format.md, "Training graphs"). Optionally, a
/// free unit (a closed group or a lone node, with zero work, and no memory when a cap can bind) whose
/// edges all lead to one other unit joins that unit: there it pays nothing, anywhere else its edges
/// cross a boundary, so moving it there never raises a stage's cost. Every other node is a unit of its own.
/// The cost f stays the one over the original nodes; a unit is only a set of nodes that move together.
public struct UnitGraph: Sendable {
    /// The unit of each node.
    public let unitOf: [Int]
    /// The nodes of each unit, in the graph's topological order.
    public let members: [[Int]]
    /// Distinct successor units of each unit, ascending.
    public let successors: [[Int]]
    /// Distinct predecessor units of each unit, ascending.
    public let predecessors: [[Int]]
    /// Σ w over each unit's members.
    public let work: [Double]
    /// A topological order of the units (Kahn's algorithm, smallest unit first among ready ones).
    public let topologicalOrder: [Int]

    /// The number of units.
    public var unitCount: Int { members.count }

    /// Builds the units of `graph`: its closed groups, plus free zero-work units (groups or nodes)
    /// joined to their single neighbouring unit when `mergingFreeNodes` is set. Units are numbered by their first node in input order.
    public init(_ graph: ComputationGraph, mergingFreeNodes: Bool) {
        let nodeCount = graph.nodeCount
        var parent = Array(0..<nodeCount)
        func find(_ node: Int) -> Int {
            var node = node
            while parent[node] != node { parent[node] = parent[parent[node]]; node = parent[node] }
            return node
        }
        func join(_ first: Int, _ second: Int) {
            let (a, b) = (find(first), find(second))
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        for members in graph.groupMembers { for member in members.dropFirst() { join(members[0], member) } }
        if mergingFreeNodes {
            // A free unit (a closed group, or a node outside every group) has zero work, and no
            // memory when the cap can bind: the whole graph's memory above it. When all its edges
            // lead to one other unit, it joins that unit (docs/partitioning.md, "Units"). A cap that
            // the whole graph fits under never binds, so memory does not stop a merge then.
            let capBinds = graph.stageMemory.map { cap in graph.nodes.reduce(0.0) { $0 + $1.memory } > cap } ?? false
            for node in 0..<nodeCount {
                let members = graph.groupOf[node].map { graph.groupMembers[$0] } ?? [node]
                // Each unit is looked at once, from its first member.
                guard members[0] == node,
                      members.allSatisfy({ graph.nodes[$0].work == 0 && (!capBinds || graph.nodes[$0].memory == 0) })
                else { continue }
                // Units merged into this one earlier had all their edges into it, so its members as
                // given name every edge that leaves it.
                let own = find(node)
                var neighbour: Int?
                var single = true
                for member in members where single {
                    for other in graph.predecessors[member] + graph.successors[member] {
                        let unit = find(other)
                        if unit == own { continue }
                        if neighbour == nil { neighbour = unit } else if neighbour != unit { single = false; break }
                    }
                }
                if single, let neighbour { join(own, neighbour) }
            }
        }
        var unitOfRoot = [Int](repeating: -1, count: nodeCount)
        var unitOf = [Int](repeating: 0, count: nodeCount)
        var unitCount = 0
        for node in 0..<nodeCount {
            let root = find(node)
            if unitOfRoot[root] < 0 { unitOfRoot[root] = unitCount; unitCount += 1 }
            unitOf[node] = unitOfRoot[root]
        }
        var members = [[Int]](repeating: [], count: unitCount)
        var work = [Double](repeating: 0, count: unitCount)
        for node in graph.topologicalOrder {
            members[unitOf[node]].append(node)
            work[unitOf[node]] += graph.nodes[node].work
        }
        var successorSets = [Set<Int>](repeating: [], count: unitCount)
        // Precedence edges order the units (in a training graph, not every edge does).
        for (producer, consumer) in graph.precedenceEdges where unitOf[producer] != unitOf[consumer] {
            successorSets[unitOf[producer]].insert(unitOf[consumer])
        }
        let successors = successorSets.map { $0.sorted() }
        var predecessors = [[Int]](repeating: [], count: unitCount)
        for (producer, consumers) in successors.enumerated() { for consumer in consumers { predecessors[consumer].append(producer) } }
        // Units are convex (closed groups; a free node touches only its unit), so the quotient is a DAG.
        var remaining = predecessors.map(\.count)
        var ready = Heap<Int>(remaining.indices.filter { remaining[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(unitCount)
        while let next = ready.popMin() {
            order.append(next)
            for consumer in successors[next] {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { ready.insert(consumer) }
            }
        }
        precondition(order.count == unitCount, "the unit quotient of a DAG with convex units is a DAG")
        self.unitOf = unitOf
        self.members = members
        self.successors = successors
        self.predecessors = predecessors
        self.work = work
        topologicalOrder = order
    }

    /// Whether every unit is a single node (no group and no free node merged): unit orders are node orders
    /// (orders of the graph's precedence edges).
    public var isTrivial: Bool { members.count == unitOf.count }

    /// The node order that lists the units in `unitOrder`, each unit's members together in topological order.
    public func nodeOrder(of unitOrder: [Int]) -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(unitOf.count)
        for unit in unitOrder { order.append(contentsOf: members[unit]) }
        return order
    }
}
