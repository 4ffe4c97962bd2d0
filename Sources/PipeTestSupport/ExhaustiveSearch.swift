import PipeGraph

/// Ground truth for tests: every valid stage map of a small graph, and the optimum among them.
///
/// Nodes are assigned in topological order, each to a stage no earlier than its
/// predecessors', so only monotone maps are visited; groups and the memory cap are checked
/// on complete maps. Groups are checked as the input gives them (`Node.group`: all members
/// in one stage), not through the graph's closed groups, so that tests compare the closure
/// against its definition. Exponential: meant for n ≤ 10 and k ≤ 4.
///
/// Training graphs (some node has `backward` set) are enumerated over every stage map, each
/// checked against the rules of docs/graph-format.md, "Training graphs", read off the nodes and
/// edges directly (not through the graph's precedence edges or closed groups).
public enum ExhaustiveSearch {
    /// Calls `visit` with every valid partition of `graph` into at most `stageCount` stages.
    public static func forEachPartition(of graph: ComputationGraph, stageCount: Int, _ visit: (Partition) -> Void) {
        if graph.nodes.contains(where: \.backward) {
            forEachTrainingPartition(of: graph, stageCount: stageCount, visit)
            return
        }
        let order = graph.topologicalOrder
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        // The first node of each input group: every member must share its stage.
        var firstOfGroup: [String: Int] = [:]
        var groupLeader = [Int](repeating: -1, count: graph.nodeCount)
        for (index, node) in graph.nodes.enumerated() {
            guard let group = node.group else { continue }
            if let first = firstOfGroup[group] { groupLeader[index] = first } else { firstOfGroup[group] = index }
        }
        let cap = graph.stageMemory ?? .infinity
        func assign(_ position: Int) {
            if position == order.count {
                guard graph.nodes.indices.allSatisfy({ groupLeader[$0] < 0 || stageOf[$0] == stageOf[groupLeader[$0]] }) else { return }
                var memory = [Double](repeating: 0, count: stageCount)
                for (node, stage) in stageOf.enumerated() { memory[stage] += graph.nodes[node].memory }
                guard memory.allSatisfy({ $0 <= cap }) else { return }
                visit(Partition(stageCount: stageCount, stageOf: stageOf))
                return
            }
            let node = order[position]
            let earliest = graph.predecessors[node].map { stageOf[$0] }.max() ?? 0
            for stage in earliest..<stageCount {
                stageOf[node] = stage
                assign(position + 1)
            }
        }
        assign(0)
    }

    /// Every valid partition of `graph` into at most `stageCount` stages.
    public static func allPartitions(of graph: ComputationGraph, stageCount: Int) -> [Partition] {
        var found: [Partition] = []
        forEachPartition(of: graph, stageCount: stageCount) { found.append($0) }
        return found
    }

    /// The least bottleneck over all valid partitions with at most `stageCount` stages and
    /// one partition reaching it; nil when no valid partition exists (memory cap too small).
    public static func optimum(of graph: ComputationGraph, stageCount: Int) -> (bottleneck: Double, partition: Partition)? {
        var best: (bottleneck: Double, partition: Partition)? = nil
        forEachPartition(of: graph, stageCount: stageCount) { partition in
            let value = graph.bottleneck(of: partition)
            if value < best?.bottleneck ?? .infinity { best = (value, partition) }
        }
        return best
    }

    /// Every stage map of a training graph that keeps the rules: each edge between forward nodes
    /// goes forward; each edge u → v between backward nodes where u or v lies in a colour class
    /// without forward nodes (a node without a class is its own class) has s(v) ≤ s(u); every
    /// colour class (given by `Node.group`) in one stage; the memory cap.
    private static func forEachTrainingPartition(of graph: ComputationGraph, stageCount: Int, _ visit: (Partition) -> Void) {
        let nodes = graph.nodes
        var classHasForward: [String: Bool] = [:]
        for node in nodes {
            if let group = node.group { classHasForward[group] = (classHasForward[group] ?? false) || !node.backward }
        }
        let inBackwardOnlyClass = nodes.map { $0.backward && !($0.group.flatMap { classHasForward[$0] } ?? false) }
        // Rules (first, second) meaning s(first) ≤ s(second), each checked once both nodes have a stage.
        var rules: [(Int, Int)] = []
        for (producer, consumer) in graph.edges {
            if !nodes[producer].backward && !nodes[consumer].backward {
                rules.append((producer, consumer))
            } else if nodes[producer].backward && nodes[consumer].backward
                        && (inBackwardOnlyClass[producer] || inBackwardOnlyClass[consumer]) {
                rules.append((consumer, producer))
            }
        }
        var firstOfGroup: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            if let group = node.group, firstOfGroup[group] == nil { firstOfGroup[group] = index }
            if let group = node.group, let first = firstOfGroup[group], first != index {
                rules.append((first, index))
                rules.append((index, first))
            }
        }
        // Nodes are assigned by index: each rule is checked when its later-indexed node is assigned.
        var rulesAt = [[(Int, Int)]](repeating: [], count: nodes.count)
        for rule in rules { rulesAt[max(rule.0, rule.1)].append(rule) }
        let cap = graph.stageMemory ?? .infinity
        var stageOf = [Int](repeating: 0, count: nodes.count)
        func assign(_ node: Int) {
            if node == nodes.count {
                var memory = [Double](repeating: 0, count: stageCount)
                for (index, stage) in stageOf.enumerated() { memory[stage] += nodes[index].memory }
                guard memory.allSatisfy({ $0 <= cap }) else { return }
                visit(Partition(stageCount: stageCount, stageOf: stageOf))
                return
            }
            for stage in 0..<stageCount {
                stageOf[node] = stage
                if rulesAt[node].allSatisfy({ stageOf[$0.0] <= stageOf[$0.1] }) { assign(node + 1) }
            }
        }
        assign(0)
    }
}
