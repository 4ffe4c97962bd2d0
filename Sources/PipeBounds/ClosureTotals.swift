import PipeGraph

/// Work and memory of every node's closed ancestor and descendant sets, with colocation groups
/// contracted: the closed ancestor set of v is v's group, plus every ancestor of a group member.
///
/// Any partition puts v's closed ancestor set in stages 1..s(v) and its closed descendant set in
/// stages s(v)..k, which is what the stage windows and the path bound rest on.
public struct ClosureTotals: Sendable {
    /// w(Anc*(v)) for every node, v's group included.
    public let ancestorWork: [Double]
    /// w(Desc*(v)) for every node, v's group included.
    public let descendantWork: [Double]
    /// m(Anc*(v)) for every node.
    public let ancestorMemory: [Double]
    /// m(Desc*(v)) for every node.
    public let descendantMemory: [Double]
    /// The number of source nodes (no predecessors) in Anc*(v).
    public let ancestorSources: [Double]
    /// The number of sink nodes (no successors) in Desc*(v).
    public let descendantSinks: [Double]
    /// A lower bound on c(u) over the strict ancestors u of v's group outside it (+infinity if none):
    /// the least comm of any node with a successor in an ancestor component.
    public let ancestorLeastComm: [Double]
    /// A lower bound on c(u) over the nodes of Desc*(v) that have a successor (+infinity if none).
    public let descendantLeastComm: [Double]
    /// The contracted node of every node: its ``StageUnits`` unit (its group, merged with any group it
    /// must share a stage with, or the node alone).
    public let componentOf: [Int]
    /// The number of contracted nodes.
    public let componentCount: Int

    /// Computes the totals exactly (bitset reachability on the group-contracted DAG).
    public init(graph: ComputationGraph) {
        let nodeCount = graph.nodeCount
        // Groups, and groups that feed each other, contracted (a group's members share a stage).
        let units = StageUnits(graph: graph)
        let componentOf = units.unitOf
        let componentCount = units.count
        var work = [Double](repeating: 0, count: componentCount)
        var memory = [Double](repeating: 0, count: componentCount)
        var sources = [Double](repeating: 0, count: componentCount)
        var sinks = [Double](repeating: 0, count: componentCount)
        var ownLeastComm = [Double](repeating: .infinity, count: componentCount)
        for node in 0..<nodeCount {
            let component = componentOf[node]
            work[component] += graph.nodes[node].work
            memory[component] += graph.nodes[node].memory
            if graph.predecessors[node].isEmpty { sources[component] += 1 }
            if graph.successors[node].isEmpty {
                sinks[component] += 1
            } else {
                ownLeastComm[component] = Swift.min(ownLeastComm[component], graph.nodes[node].comm)
            }
        }
        var successorSets = [Set<Int>](repeating: [], count: componentCount)
        for (producer, consumer) in graph.edges where componentOf[producer] != componentOf[consumer] {
            successorSets[componentOf[producer]].insert(componentOf[consumer])
        }
        let successors = successorSets.map { $0.sorted() }
        var predecessors = [[Int]](repeating: [], count: componentCount)
        for (component, consumers) in successors.enumerated() {
            for consumer in consumers { predecessors[consumer].append(component) }
        }
        // The units are strongly connected components, so the contracted graph is a DAG.
        // The completion below only keeps indices in range; it cannot trigger.
        var order = Self.componentOrder(predecessors: predecessors)
        if order.count < componentCount {
            var placed = [Bool](repeating: false, count: componentCount)
            for component in order { placed[component] = true }
            order.append(contentsOf: (0..<componentCount).filter { !placed[$0] })
        }
        let below = Reachability.reachableTotals(order: order.reversed(), incoming: successors, weights: [work, memory, sources])
        let above = Reachability.reachableTotals(order: order, incoming: predecessors, weights: [work, memory, sinks])
        // Minima need no sets: the least over a union is the least of the parts' least.
        var leastAbove = [Double](repeating: .infinity, count: componentCount)
        for component in order {
            for producer in predecessors[component] {
                leastAbove[component] = Swift.min(leastAbove[component], ownLeastComm[producer], leastAbove[producer])
            }
        }
        var leastBelow = ownLeastComm
        for component in order.reversed() {
            for consumer in successors[component] {
                leastBelow[component] = Swift.min(leastBelow[component], leastBelow[consumer])
            }
        }
        self.componentOf = componentOf
        self.componentCount = componentCount
        ancestorWork = componentOf.map { below[0][$0] + work[$0] }
        ancestorMemory = componentOf.map { below[1][$0] + memory[$0] }
        descendantWork = componentOf.map { above[0][$0] + work[$0] }
        descendantMemory = componentOf.map { above[1][$0] + memory[$0] }
        ancestorSources = componentOf.map { below[2][$0] + sources[$0] }
        descendantSinks = componentOf.map { above[2][$0] + sinks[$0] }
        ancestorLeastComm = componentOf.map { leastAbove[$0] }
        descendantLeastComm = componentOf.map { leastBelow[$0] }
    }

    /// Kahn's algorithm on the contracted graph (the node order alone may interleave a group with its ancestors).
    private static func componentOrder(predecessors: [[Int]]) -> [Int] {
        let componentCount = predecessors.count
        var successors = [[Int]](repeating: [], count: componentCount)
        var remaining = predecessors.map(\.count)
        for (component, producers) in predecessors.enumerated() {
            for producer in producers { successors[producer].append(component) }
        }
        var ready = (0..<componentCount).filter { remaining[$0] == 0 }
        var order: [Int] = []
        order.reserveCapacity(componentCount)
        var cursor = 0
        while cursor < ready.count {
            let component = ready[cursor]
            cursor += 1
            order.append(component)
            for consumer in successors[component] {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { ready.append(consumer) }
            }
        }
        return order
    }
}
