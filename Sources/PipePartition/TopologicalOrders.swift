import HeapModule
import PipeGraph

/// Topological orders the slicing DP cuts: the canonical ones and the priority order a BRKGA chromosome encodes.
///
/// All of them are orders of units (``UnitGraph``: each closed colocation group is one unit), listed
/// node by node with a unit's members together, so no group is ever scattered and every boundary
/// between units may be cut (docs/partitioning.md, "Units"). On a graph without groups the units are
/// the nodes and the orders are the node orders.
public enum TopologicalOrders {
    /// The units the orders are made of: the closed groups, no other merging (so that graphs without
    /// groups keep exactly their node orders).
    public static func orderUnits(_ graph: ComputationGraph) -> UnitGraph { UnitGraph(graph, mergingFreeNodes: false) }

    /// Depth-first: among ready units, the one made ready most recently (ties: smaller index), so a
    /// branch is followed to its end before the next one starts.
    public static func depthFirst(_ graph: ComputationGraph) -> [Int] { depthFirst(orderUnits(graph)) }

    /// Breadth-first: ready units in the order they became ready (Kahn's algorithm with a queue).
    public static func breadthFirst(_ graph: ComputationGraph) -> [Int] { breadthFirst(orderUnits(graph)) }

    /// Input order: the smallest index among ready units first (the graph's own topological order when there are no groups).
    public static func inputOrder(_ graph: ComputationGraph) -> [Int] {
        let units = orderUnits(graph)
        return units.isTrivial ? graph.topologicalOrder : units.nodeOrder(of: units.topologicalOrder)
    }

    /// The three canonical orders, duplicates removed, in the order depth-first, breadth-first, input.
    public static func canonical(_ graph: ComputationGraph) -> [[Int]] {
        let units = orderUnits(graph)
        var orders: [[Int]] = []
        let input = units.isTrivial ? graph.topologicalOrder : units.nodeOrder(of: units.topologicalOrder)
        for order in [depthFirst(units), breadthFirst(units), input] where !orders.contains(order) {
            orders.append(order)
        }
        return orders
    }

    static func depthFirst(_ units: UnitGraph) -> [Int] {
        var remaining = units.predecessors.map(\.count)
        var stack = units.members.indices.filter { remaining[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        order.reserveCapacity(units.unitCount)
        while let unit = stack.popLast() {
            order.append(unit)
            for consumer in units.successors[unit].reversed() {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { stack.append(consumer) }
            }
        }
        return units.nodeOrder(of: order)
    }

    static func breadthFirst(_ units: UnitGraph) -> [Int] {
        var remaining = units.predecessors.map(\.count)
        var order = units.members.indices.filter { remaining[$0] == 0 }
        order.reserveCapacity(units.unitCount)
        var next = 0
        while next < order.count {
            let unit = order[next]
            next += 1
            for consumer in units.successors[unit] {
                remaining[consumer] -= 1
                if remaining[consumer] == 0 { order.append(consumer) }
            }
        }
        return units.nodeOrder(of: order)
    }

    /// The priority topological sort of a chromosome: among ready units, the smallest key first
    /// (ties: smaller index), a unit's key being its members' least key. Keys equal to the positions
    /// of an order whose units are contiguous reproduce that order.
    public static func prioritySort(_ graph: ComputationGraph, keys: [Double]) -> [Int] {
        prioritySort(orderUnits(graph), keys: keys)
    }

    /// ``prioritySort(_:keys:)`` over units built once (BRKGA decodes many chromosomes of one graph).
    public static func prioritySort(_ units: UnitGraph, keys: [Double]) -> [Int] {
        let unitKeys = units.members.map { members in members.reduce(Double.infinity) { min($0, keys[$1]) } }
        let order = prioritySort(predecessors: units.predecessors, successors: units.successors, keys: unitKeys)
        return units.isTrivial ? order : units.nodeOrder(of: order)
    }

    /// The priority topological sort of any DAG given by its adjacency lists: among ready vertices,
    /// the smallest key first (ties: smaller index). Shared by the sorts of whole graphs' units and the
    /// orders of a window's units (``WindowSlicer``).
    static func prioritySort(predecessors: [[Int]], successors: [[Int]], keys: [Double]) -> [Int] {
        var remaining = predecessors.map(\.count)
        var ready = Heap<ReadyNode>()
        for vertex in remaining.indices where remaining[vertex] == 0 { ready.insert(ReadyNode(key: keys[vertex], node: vertex)) }
        var order: [Int] = []
        order.reserveCapacity(remaining.count)
        while let next = ready.popMin() {
            order.append(next.node)
            for consumer in successors[next.node] {
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
            graph.precedenceSuccessors[producer].contains(consumer)
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
