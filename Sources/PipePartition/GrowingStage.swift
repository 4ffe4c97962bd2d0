import PipeGraph

/// The exact cost f of a node set that grows and shrinks one node at a time (last in, first out),
/// for the window searches of ``BottleneckNeighbourhood``. f is over the whole graph
/// (docs/cost-model.md): producers outside the set that feed it, and members that feed something
/// outside, each pay their comm once, wherever the other end lies, so a stage of a window is costed
/// exactly while the stages around the window stay as they are. A class: the window searches share
/// one instance (its arrays have the graph's size) instead of copying it per window.
final class GrowingStage {
    private let predecessors: FlatAdjacency
    private let successorCount: [Int]
    private let nodeWork: [Double]
    private let nodeComm: [Double]
    private let nodeMemory: [Double]
    /// Whether each node is in the set.
    private(set) var inStage: [Bool]
    /// For a node outside the set: how many of its consumers are in it. For a member: how many are not.
    private var consumerCount: [Int]
    /// The totals before each node still in the set was added, restored exactly when it leaves
    /// (so that no rounding builds up over millions of additions and removals).
    private var saved: [(work: Double, cost: Double, memory: Double)] = []
    /// The nodes in the set, in the order they were added.
    private(set) var added: [Int] = []

    /// Σ w over the set.
    private(set) var work = 0.0
    /// f of the set.
    private(set) var cost = 0.0
    /// Σ memory over the set.
    private(set) var memory = 0.0

    init(graph: ComputationGraph) {
        predecessors = FlatAdjacency(graph.predecessors)
        successorCount = graph.successors.map(\.count)
        nodeWork = graph.nodes.map(\.work)
        nodeComm = graph.nodes.map(\.comm)
        nodeMemory = graph.nodes.map(\.memory)
        inStage = [Bool](repeating: false, count: graph.nodeCount)
        consumerCount = [Int](repeating: 0, count: graph.nodeCount)
    }

    /// Adds `node` (not in the set) and updates f: its work, its producers' terms, its own term.
    func add(_ node: Int) {
        saved.append((work, cost, memory))
        added.append(node)
        work += nodeWork[node]
        memory += nodeMemory[node]
        var cost = self.cost + nodeWork[node]
        for edge in predecessors.range(of: node) {
            let producer = predecessors.targets[edge]
            if inStage[producer] {
                consumerCount[producer] -= 1
                if consumerCount[producer] == 0 { cost -= nodeComm[producer] }
            } else {
                consumerCount[producer] += 1
                if consumerCount[producer] == 1 { cost += nodeComm[producer] }
            }
        }
        // In a training graph a consumer can join before its producer: then the producer stops feeding the set from outside.
        let consumersInside = consumerCount[node]
        if consumersInside > 0 { cost -= nodeComm[node] }
        inStage[node] = true
        consumerCount[node] = successorCount[node] - consumersInside
        if consumerCount[node] > 0 { cost += nodeComm[node] }
        self.cost = cost
    }

    /// Removes the node added last.
    func removeLast() {
        guard let node = added.popLast(), let totals = saved.popLast() else { return }
        inStage[node] = false
        consumerCount[node] = successorCount[node] - consumerCount[node]
        for edge in predecessors.range(of: node) {
            let producer = predecessors.targets[edge]
            consumerCount[producer] += inStage[producer] ? 1 : -1
        }
        (work, cost, memory) = totals
    }

    /// Empties the set.
    func removeAll() {
        while !added.isEmpty { removeLast() }
    }
}
