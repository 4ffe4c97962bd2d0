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

    /// Above this many contracted nodes the totals are estimated in linear time instead of computed
    /// exactly (the exact sums take about n²/64 word operations: 50 s at 100,000 nodes).
    public static let exactComponentLimit = 40_000

    /// Whether the totals are exact set sums (false: the linear-time estimates, see ``init(graph:exactComponentLimit:)``).
    public let isExact: Bool

    /// Computes the totals exactly (bitset reachability on the group-contracted DAG) when the graph has
    /// at most `exactComponentLimit` contracted nodes. Above it, in linear time, estimates that can only
    /// widen the stage windows (docs/formulations.md, "Stage windows"): ancestor and descendant work and
    /// memory as the heaviest path into (out of) the node, a lower bound on the set sums; source and sink
    /// counts as path-counting sums, an upper bound on the set counts.
    /// `shouldStop` (a time limit) is polled while the exact sums run; once it says stop, the
    /// linear-time estimates are used instead (sound, only wider windows).
    public init(graph: ComputationGraph, exactComponentLimit: Int = ClosureTotals.exactComponentLimit,
                shouldStop: () -> Bool = { false }) {
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
            if graph.precedencePredecessors[node].isEmpty { sources[component] += 1 }
            if graph.precedenceSuccessors[node].isEmpty {
                sinks[component] += 1
            } else {
                // In a training graph the stages need not send along the precedence edges: no comm is counted.
                ownLeastComm[component] = Swift.min(ownLeastComm[component], graph.isTraining ? 0 : graph.nodes[node].comm)
            }
        }
        var successorSets = [Set<Int>](repeating: [], count: componentCount)
        for (producer, consumer) in graph.precedenceEdges where componentOf[producer] != componentOf[consumer] {
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
        var exact = false
        var below: [[Double]] = []
        var above: [[Double]] = []
        if componentCount <= exactComponentLimit,
           let exactBelow = Reachability.reachableTotals(order: order.reversed(), incoming: successors,
                                                         weights: [work, memory, sources], shouldStop: shouldStop),
           let exactAbove = Reachability.reachableTotals(order: order, incoming: predecessors,
                                                         weights: [work, memory, sinks], shouldStop: shouldStop) {
            (below, above, exact) = (exactBelow, exactAbove, true)
        } else {
            below = Self.pathEstimates(order: order, incoming: predecessors, weights: [work, memory, sources])
            above = Self.pathEstimates(order: order.reversed(), incoming: successors, weights: [work, memory, sinks])
        }
        isExact = exact
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

    /// For every component, over the strict ancestors along `incoming` (taken in `order`, producers
    /// first): the heaviest path sums of the first two weights (never above the set sums) and the
    /// path-counting sum of the third (never below the set count: a shared ancestor counts once per path).
    private static func pathEstimates(order: [Int], incoming: [[Int]], weights: [[Double]]) -> [[Double]] {
        let count = incoming.count
        var heaviest = [[Double]](repeating: [Double](repeating: 0, count: count), count: 2)
        var counted = [Double](repeating: 0, count: count)
        for component in order {
            for producer in incoming[component] {
                for index in 0..<2 {
                    heaviest[index][component] = Swift.max(heaviest[index][component], heaviest[index][producer] + weights[index][producer])
                }
                // Path counts grow exponentially on stacked diamonds; anything past 1e15 is "many".
                counted[component] = Swift.min(1e15, counted[component] + counted[producer] + weights[2][producer])
            }
        }
        return [heaviest[0], heaviest[1], counted]
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
