import HeapModule
import PipeGraph

/// Topological orders the slicing DP cuts: the canonical ones and the priority order a BRKGA chromosome encodes.
public enum TopologicalOrders {
    /// Depth-first: among ready nodes, the one made ready most recently (ties: smaller index), so a
    /// branch is followed to its end before the next one starts.
    public static func depthFirst(_ graph: ComputationGraph) -> [Int] {
        var remaining = graph.predecessors.map(\.count)
        var stack = graph.nodes.indices.filter { remaining[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        order.reserveCapacity(graph.nodeCount)
        while let node = stack.popLast() {
            order.append(node)
            for consumer in graph.successors[node].reversed() {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { stack.append(consumer) }
            }
        }
        return order
    }

    /// Breadth-first: ready nodes in the order they became ready (Kahn's algorithm with a queue).
    public static func breadthFirst(_ graph: ComputationGraph) -> [Int] {
        var remaining = graph.predecessors.map(\.count)
        var order = graph.nodes.indices.filter { remaining[$0] == 0 }
        order.reserveCapacity(graph.nodeCount)
        var next = 0
        while next < order.count {
            let node = order[next]
            next += 1
            for consumer in graph.successors[node] {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { order.append(consumer) }
            }
        }
        return order
    }

    /// Input order: the smallest index among ready nodes first (the graph's own topological order).
    public static func inputOrder(_ graph: ComputationGraph) -> [Int] { graph.topologicalOrder }

    /// The three canonical orders, duplicates removed, in the order depth-first, breadth-first, input.
    public static func canonical(_ graph: ComputationGraph) -> [[Int]] {
        var orders: [[Int]] = []
        for order in [depthFirst(graph), breadthFirst(graph), inputOrder(graph)] where !orders.contains(order) {
            orders.append(order)
        }
        return orders
    }

    /// The priority topological sort of a chromosome: among ready nodes, the smallest key first
    /// (ties: smaller index). Keys equal to the positions of a topological order reproduce that order.
    public static func prioritySort(_ graph: ComputationGraph, keys: [Double]) -> [Int] {
        var remaining = graph.predecessors.map(\.count)
        var ready = Heap<ReadyNode>()
        for node in graph.nodes.indices where remaining[node] == 0 { ready.insert(ReadyNode(key: keys[node], node: node)) }
        var order: [Int] = []
        order.reserveCapacity(graph.nodeCount)
        while let next = ready.popMin() {
            order.append(next.node)
            for consumer in graph.successors[next.node] {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { ready.insert(ReadyNode(key: keys[consumer], node: consumer)) }
            }
        }
        return order
    }

    /// Keys whose priority sort is `order`: each node's position in it, scaled into [0, 1).
    public static func keys(reproducing order: [Int]) -> [Double] {
        var keys = [Double](repeating: 0, count: order.count)
        for (position, node) in order.enumerated() { keys[node] = Double(position) / Double(order.count) }
        return keys
    }

    /// Whether the graph has exactly one topological order (it is a chain: consecutive nodes of the
    /// order are joined by an edge), in which case slicing that order is exact.
    public static func isChain(_ graph: ComputationGraph) -> Bool {
        let order = graph.topologicalOrder
        return zip(order, order.dropFirst()).allSatisfy { producer, consumer in
            graph.successors[producer].contains(consumer)
        }
    }
}

/// A ready node in the priority sort, ordered by key then index.
struct ReadyNode: Comparable {
    var key: Double
    var node: Int

    static func < (left: ReadyNode, right: ReadyNode) -> Bool {
        left.key != right.key ? left.key < right.key : left.node < right.node
    }
}
