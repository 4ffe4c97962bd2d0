import PipeGraph

/// The node sets every valid partition keeps in one stage: the strongly connected components of the
/// graph with each colocation group joined both ways. Two groups that are each convex may still feed
/// each other (a → d and c → b for groups {a, b} and {c, d}); then both must share a stage, and
/// contracting groups alone would leave a cycle. Units are numbered in a topological order of the
/// contracted DAG (docs/formulations.md, "Notation").
struct StageUnits {
    /// The unit of every node.
    let unitOf: [Int]
    /// The number of units.
    let count: Int

    init(graph: ComputationGraph) {
        let nodeCount = graph.nodeCount
        // Both directions of every edge, plus a cycle through each group's members.
        // Precedence edges: in a training graph only they order stages.
        var forward = graph.precedenceSuccessors
        var backward = graph.precedencePredecessors
        for members in graph.groupMembers where members.count > 1 {
            for (index, member) in members.enumerated() {
                let next = members[(index + 1) % members.count]
                forward[member].append(next)
                backward[next].append(member)
            }
        }
        // Kosaraju: finishing order on the forward graph, then components on the backward graph in
        // reverse finishing order, which yields them in a topological order of the condensation.
        var finished: [Int] = []
        finished.reserveCapacity(nodeCount)
        var visited = [Bool](repeating: false, count: nodeCount)
        var stack: [(node: Int, next: Int)] = []
        for root in 0..<nodeCount where !visited[root] {
            visited[root] = true
            stack.append((root, 0))
            while let top = stack.last {
                if top.next < forward[top.node].count {
                    stack[stack.count - 1].next += 1
                    let neighbour = forward[top.node][top.next]
                    if !visited[neighbour] {
                        visited[neighbour] = true
                        stack.append((neighbour, 0))
                    }
                } else {
                    finished.append(top.node)
                    stack.removeLast()
                }
            }
        }
        var unitOf = [Int](repeating: -1, count: nodeCount)
        var count = 0
        var pending: [Int] = []
        for root in finished.reversed() where unitOf[root] < 0 {
            unitOf[root] = count
            pending.append(root)
            while let node = pending.popLast() {
                for neighbour in backward[node] where unitOf[neighbour] < 0 {
                    unitOf[neighbour] = count
                    pending.append(neighbour)
                }
            }
            count += 1
        }
        self.unitOf = unitOf
        self.count = count
    }
}
