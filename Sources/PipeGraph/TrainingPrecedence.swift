/// The precedence edges of a training graph (docs/graph-format.md, "Training graphs").
///
/// Only edges between forward nodes order stages. A colour class with no forward node (a node
/// without a class is its own class) stands for a zero-cost artificial forward unit, placed as
/// dnn-partitioning's throughput DP places it: every edge u → v between backward nodes that touches
/// such a class is mirrored as v → u, so the class of v comes no later than the class of u. Mirrored
/// edges join backward nodes and forward edges join forward nodes, so the result is a DAG; the cycles
/// it makes once classes are contracted are fused into one closed group by ``GroupClosure``.
enum TrainingPrecedence {
    /// Precedence successors and predecessors of each node, distinct and ascending.
    static func edges(nodes: [Node], successors: [[Int]]) -> (successors: [[Int]], predecessors: [[Int]]) {
        // A class (by group name, or the node alone) is backward-only when none of its members is forward.
        var classHasForward: [String: Bool] = [:]
        for node in nodes {
            guard let group = node.group else { continue }
            classHasForward[group] = (classHasForward[group] ?? false) || !node.backward
        }
        let backwardOnly = nodes.map { node in
            node.backward && !(node.group.map { classHasForward[$0] ?? false } ?? false)
        }
        var later = [[Int]](repeating: [], count: nodes.count)
        var earlier = [[Int]](repeating: [], count: nodes.count)
        for (producer, consumers) in successors.enumerated() {
            for consumer in consumers {
                switch (nodes[producer].backward, nodes[consumer].backward) {
                case (false, false):
                    later[producer].append(consumer)
                    earlier[consumer].append(producer)
                case (true, true) where backwardOnly[producer] || backwardOnly[consumer]:
                    later[consumer].append(producer)
                    earlier[producer].append(consumer)
                default:
                    continue
                }
            }
        }
        return (later.map { Array(Set($0)).sorted() }, earlier.map { Array(Set($0)).sorted() })
    }
}
