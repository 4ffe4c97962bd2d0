import HeapModule

/// A validated computation DAG with node costs, indexed for the algorithms.
///
/// Nodes are numbered 0..<n in input order. Construction checks everything the algorithms
/// rely on (see ``init(name:nodes:edges:stageMemory:units:)``), so a value of this type is
/// always a DAG with finite, non-negative costs and unique names.
public struct ComputationGraph: Sendable {
    /// The model's name.
    public var name: String
    /// Units of the numbers.
    public var units: GraphUnits
    /// Optional cap M on Σ m(v) per stage.
    public var stageMemory: Double?

    /// The nodes, indexed 0..<n.
    public let nodes: [Node]
    /// Distinct successors of each node, ascending.
    public let successors: [[Int]]
    /// Distinct predecessors of each node, ascending.
    public let predecessors: [[Int]]
    /// Node index by name.
    public let indexByName: [String: Int]
    /// A topological order of the precedence edges (Kahn's algorithm, smallest index first among
    /// ready nodes); without backward nodes the precedence edges are the edges, so it is an order of the DAG.
    public let topologicalOrder: [Int]
    /// Each node's index in ``topologicalOrder``.
    public let topologicalPosition: [Int]
    /// Whether some node is a backward node (docs/graph-format.md, "Training graphs").
    public let isTraining: Bool
    /// Distinct precedence successors of each node, ascending: the edges that order stages (s(u) ≤ s(v)).
    /// Without backward nodes these are ``successors``. In a training graph they are the edges between
    /// forward nodes plus, for each edge u → v between backward nodes that touches a colour class without
    /// forward nodes, the mirrored edge v → u (docs/graph-format.md, "Training graphs"). Costs always use
    /// ``successors``; every ordering rule (validity, units, windows, orders) uses these.
    public let precedenceSuccessors: [[Int]]
    /// Distinct precedence predecessors of each node, ascending (the reverse of ``precedenceSuccessors``).
    public let precedencePredecessors: [[Int]]
    /// Closed colocation group of each node (nil: none), numbered 0..<groupCount in order of first member.
    /// Each group given in the input is closed under paths between its members, and groups that
    /// then overlap are merged (docs/graph-format.md), so every group here is convex.
    public let groupOf: [Int?]
    /// Members of each closed colocation group, ascending.
    public let groupMembers: [[Int]]
    /// The name of each closed group: the input group names it merges, joined by '+'.
    public let groupNames: [String]

    /// The number of nodes.
    public var nodeCount: Int { nodes.count }
    /// The number of distinct edges.
    public var edgeCount: Int { successors.reduce(0) { $0 + $1.count } }
    /// Σ w(v).
    public var totalWork: Double { nodes.reduce(0) { $0 + $1.work } }
    /// The distinct precedence edges (see ``precedenceSuccessors``) as (earlier, later) pairs, grouped by the first.
    public var precedenceEdges: [(Int, Int)] {
        guard isTraining else { return edges }
        var result: [(Int, Int)] = []
        for (first, laters) in precedenceSuccessors.enumerated() {
            for later in laters { result.append((first, later)) }
        }
        return result
    }
    /// The distinct edges as (producer, consumer) index pairs, grouped by producer.
    public var edges: [(Int, Int)] {
        var result: [(Int, Int)] = []
        result.reserveCapacity(edgeCount)
        for (producer, consumers) in successors.enumerated() {
            for consumer in consumers { result.append((producer, consumer)) }
        }
        return result
    }

    /// The largest Σ (work + comm), and the largest Σ memory, a graph may have: far enough below
    /// the largest double that sums in any order, with margins, stay finite. The initialiser
    /// rejects graphs beyond it.
    public static let largestTotal = 1e300

    /// Builds and validates a graph from nodes and edges given by node index.
    ///
    /// Duplicate edges are merged (f counts each producer once anyway). Throws ``GraphError`` for:
    /// an empty graph, duplicate or empty names, negative / NaN / infinite costs, an edge index
    /// out of range, a self-loop, a cycle (naming one), a non-positive or non-finite memory cap,
    /// Colocation groups are closed under paths between their members (see ``groupOf``), never refused.
    public init(name: String, nodes: [Node], edges: [(Int, Int)], stageMemory: Double? = nil,
                units: GraphUnits = GraphUnits()) throws {
        guard !nodes.isEmpty else { throw GraphError("the graph has no nodes") }
        var indexByName: [String: Int] = [:]
        indexByName.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() {
            guard !node.name.isEmpty else { throw GraphError("node \(index) has an empty name") }
            if indexByName.updateValue(index, forKey: node.name) != nil {
                throw GraphError("duplicate node name '\(node.name)'")
            }
            for (field, value) in [("work", node.work), ("comm", node.comm), ("memory", node.memory)] {
                guard value.isFinite else { throw GraphError("node '\(node.name)': \(field) is \(value), not a finite number") }
                guard value >= 0 else { throw GraphError("node '\(node.name)': \(field) is negative (\(value))") }
            }
        }
        // Every stage cost and bound is a partial sum of these, added in many orders and with
        // margins: a total far below the largest double keeps all of them finite.
        let costTotal = nodes.reduce(0.0) { $0 + $1.work + $1.comm }
        guard costTotal <= Self.largestTotal else {
            throw GraphError("the total of work and comm (\(costTotal)) exceeds \(Self.largestTotal); scale the costs down")
        }
        let memoryTotal = nodes.reduce(0.0) { $0 + $1.memory }
        guard memoryTotal <= Self.largestTotal else {
            throw GraphError("the total memory (\(memoryTotal)) exceeds \(Self.largestTotal); scale the memory down")
        }
        if let stageMemory {
            guard stageMemory.isFinite, stageMemory > 0 else {
                throw GraphError("stage_memory must be a positive finite number, not \(stageMemory)")
            }
        }
        var successorSets = [[Int]](repeating: [], count: nodes.count)
        var predecessorSets = [[Int]](repeating: [], count: nodes.count)
        for (producer, consumer) in edges {
            guard nodes.indices.contains(producer), nodes.indices.contains(consumer) else {
                throw GraphError("edge (\(producer), \(consumer)) refers to a node index outside 0..<\(nodes.count)")
            }
            guard producer != consumer else { throw GraphError("self-loop on node '\(nodes[producer].name)'") }
            successorSets[producer].append(consumer)
            predecessorSets[consumer].append(producer)
        }
        for index in nodes.indices {
            successorSets[index] = Array(Set(successorSets[index])).sorted()
            predecessorSets[index] = Array(Set(predecessorSets[index])).sorted()
        }
        var order = try Self.kahnOrder(nodes: nodes, successors: successorSets, predecessors: predecessorSets)
        let isTraining = nodes.contains { $0.backward }
        var precedenceSuccessors = successorSets
        var precedencePredecessors = predecessorSets
        if isTraining {
            (precedenceSuccessors, precedencePredecessors) = TrainingPrecedence.edges(nodes: nodes, successors: successorSets)
            // Forward edges and mirrored backward edges join disjoint node sets, each acyclic: a DAG.
            order = try Self.kahnOrder(nodes: nodes, successors: precedenceSuccessors, predecessors: precedencePredecessors)
        }

        let closure = GroupClosure(nodes: nodes, successors: precedenceSuccessors)

        self.name = name
        self.units = units
        self.stageMemory = stageMemory
        self.nodes = nodes
        self.successors = successorSets
        self.predecessors = predecessorSets
        self.indexByName = indexByName
        self.topologicalOrder = order
        var position = [Int](repeating: 0, count: nodes.count)
        for (index, node) in order.enumerated() { position[node] = index }
        self.topologicalPosition = position
        self.isTraining = isTraining
        self.precedenceSuccessors = precedenceSuccessors
        self.precedencePredecessors = precedencePredecessors
        self.groupOf = closure.groupOf
        self.groupMembers = closure.groupMembers
        self.groupNames = closure.groupNames
    }

    /// Builds a graph from edges given by node name.
    public init(name: String, nodes: [Node], namedEdges: [(String, String)], stageMemory: Double? = nil,
                units: GraphUnits = GraphUnits()) throws {
        var indexByName: [String: Int] = [:]
        for (index, node) in nodes.enumerated() where indexByName[node.name] == nil { indexByName[node.name] = index }
        var edges: [(Int, Int)] = []
        edges.reserveCapacity(namedEdges.count)
        for (producer, consumer) in namedEdges {
            guard let from = indexByName[producer] else { throw GraphError("edge [\"\(producer)\", \"\(consumer)\"]: unknown node '\(producer)'") }
            guard let to = indexByName[consumer] else { throw GraphError("edge [\"\(producer)\", \"\(consumer)\"]: unknown node '\(consumer)'") }
            edges.append((from, to))
        }
        try self.init(name: name, nodes: nodes, edges: edges, stageMemory: stageMemory, units: units)
    }

    private static func kahnOrder(nodes: [Node], successors: [[Int]], predecessors: [[Int]]) throws -> [Int] {
        var remaining = predecessors.map(\.count)
        var ready = Heap<Int>()
        for index in nodes.indices where remaining[index] == 0 { ready.insert(index) }
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        while let next = ready.popMin() {
            order.append(next)
            for consumer in successors[next] {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { ready.insert(consumer) }
            }
        }
        guard order.count == nodes.count else {
            throw GraphError("the graph has a cycle: " + findCycle(nodes: nodes, successors: successors, remaining: remaining))
        }
        return order
    }

    /// Walks predecessors among the nodes Kahn's algorithm could not order until a node repeats.
    private static func findCycle(nodes: [Node], successors: [[Int]], remaining: [Int]) -> String {
        let stuck = Set(nodes.indices.filter { remaining[$0] > 0 })
        guard var current = stuck.min() else { return "(unknown)" }
        var predecessorsInStuck = [Int: Int]()
        for producer in stuck {
            for consumer in successors[producer] where stuck.contains(consumer) { predecessorsInStuck[consumer] = producer }
        }
        var seenAt: [Int: Int] = [:]
        var path: [Int] = []
        while seenAt[current] == nil {
            seenAt[current] = path.count
            path.append(current)
            guard let previous = predecessorsInStuck[current] else { break }
            current = previous
        }
        let cycle = path[(seenAt[current] ?? 0)...].reversed()
        return (cycle + [cycle.first!]).map { nodes[$0].name }.joined(separator: " -> ")
    }

    /// Why no partition exists when a closed group cannot fit in one stage: its memory is above the
    /// cap (nil when every group fits). Partitioners add it to their "no valid partition" message.
    public func groupAboveMemoryCap() -> String? {
        guard let cap = stageMemory else { return nil }
        for (group, members) in groupMembers.enumerated() {
            let memory = members.reduce(0.0) { $0 + nodes[$1].memory }
            guard memory > cap else { continue }
            let added = members.filter { nodes[$0].group == nil }.map { "'\(nodes[$0].name)'" }
            let pulled = added.isEmpty ? "" : " (with \(added.prefix(3).joined(separator: ", "))\(added.count > 3 ? ", …" : ""), on paths between its members)"
            return "colocation group '\(groupNames[group])'\(pulled) must share one stage but holds \(memory) memory, above the memory cap \(cap)"
        }
        return nil
    }

    /// Nodes on some precedence path between two members of `members` (including them), ascending: the least
    /// convex superset. Such a node lies between two members in ``topologicalOrder``, so both searches (forward
    /// from the members, backward to them) stay within the members' span of that order: callers ask for many
    /// small hulls on large graphs (one per producer in the boundary cuts, 20,000 on the largest fixture).
    public func convexHull(of members: [Int]) -> [Int] {
        let positions = members.map { topologicalPosition[$0] }
        guard let low = positions.min(), let high = positions.max() else { return [] }
        var fromMembers = [Bool](repeating: false, count: nodeCount)
        var toMembers = [Bool](repeating: false, count: nodeCount)
        var stack = members
        for member in members { fromMembers[member] = true }
        while let node = stack.popLast() {
            for next in precedenceSuccessors[node] where !fromMembers[next] && topologicalPosition[next] <= high {
                fromMembers[next] = true
                stack.append(next)
            }
        }
        var hull: [Int] = []
        stack = members
        for member in members where !toMembers[member] {
            toMembers[member] = true
            hull.append(member)
        }
        while let node = stack.popLast() {
            for previous in precedencePredecessors[node] where !toMembers[previous] && topologicalPosition[previous] >= low {
                toMembers[previous] = true
                if fromMembers[previous] { hull.append(previous) }
                stack.append(previous)
            }
        }
        return hull.sorted()
    }

    /// The least convex set holding `members` and the colocation group of each node in it, sorted: the
    /// smallest node set a stage holding `members` can be.
    public func closedStage(of members: [Int]) -> [Int] {
        var current = convexHull(of: members)
        while true {
            var withGroups = Set(current)
            for node in current { if let group = groupOf[node] { withGroups.formUnion(groupMembers[group]) } }
            guard withGroups.count > current.count else { return current }
            current = convexHull(of: Array(withGroups))
        }
    }

    /// Whether `members` (sorted, distinct) can be one stage: convex, every group whole, within the memory cap.
    public func isStage(_ members: [Int]) -> Bool {
        closedStage(of: members) == members && fitsMemoryCap(members)
    }

    /// Whether `members` hold at most the memory cap (true without one).
    public func fitsMemoryCap(_ members: [Int]) -> Bool {
        guard let cap = stageMemory else { return true }
        return members.reduce(0.0) { $0 + nodes[$1].memory } <= cap
    }

    /// The node sets no stage splits: each colocation group, and each node outside any group, in order of
    /// their first node.
    public var colocationSets: [[Int]] {
        var sets: [[Int]] = []
        var seenGroups = Set<Int>()
        for node in 0..<nodeCount {
            if let group = groupOf[node] {
                if seenGroups.insert(group).inserted { sets.append(groupMembers[group]) }
            } else {
                sets.append([node])
            }
        }
        return sets
    }
}
