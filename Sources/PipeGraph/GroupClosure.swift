/// Colocation groups closed under paths (docs/graph-format.md, "Colocation groups").
///
/// Stages are convex (no edge goes back a stage), so when two members of a group share a stage,
/// every node on a path between them is in that stage too; and when a path runs from group A to
/// group B and another from B back to A, both groups are forced into one stage. Both cases are
/// cycles of the graph in which each group is contracted to one node: the strongly connected
/// components of that contracted graph are exactly the sets that must share a stage. Each
/// component is one closed group, so the closed groups are convex, contracting them leaves a DAG,
/// and they allow exactly the partitions that keep every input group in one stage.
struct GroupClosure {
    /// The closed group of each node (nil: none), numbered by first member in input order.
    var groupOf: [Int?]
    /// The members of each closed group, ascending.
    var groupMembers: [[Int]]
    /// Each closed group's name: the input group names it merges, joined by '+'.
    var groupNames: [String]

    /// Closes the groups given by `nodes[…].group` in the DAG (`successors`).
    init(nodes: [Node], successors: [[Int]]) {
        let nodeCount = nodes.count
        // Contract each input group onto its first member.
        var firstOfName: [String: Int] = [:]
        var nameOrder: [String: Int] = [:]
        var representative = Array(0..<nodeCount)
        for (index, node) in nodes.enumerated() {
            guard let name = node.group else { continue }
            if let first = firstOfName[name] { representative[index] = first } else {
                firstOfName[name] = index
                nameOrder[name] = nameOrder.count
            }
        }
        // Successors of each contracted node (a representative stands for its whole group).
        var contracted = [[Int]](repeating: [], count: nodeCount)
        for (producer, consumers) in successors.enumerated() {
            for consumer in consumers where representative[producer] != representative[consumer] {
                contracted[representative[producer]].append(representative[consumer])
            }
        }
        let component = Self.stronglyConnectedComponents(successors: contracted, roots: (0..<nodeCount).filter { representative[$0] == $0 })
        var hasInputGroup = Set<Int>()
        for index in 0..<nodeCount {
            if nodes[index].group != nil { hasInputGroup.insert(component[representative[index]]) }
        }
        // A component is a closed group when it holds an input group (a cycle in a DAG without groups is impossible).
        var closedIndex: [Int: Int] = [:]
        groupOf = [Int?](repeating: nil, count: nodeCount)
        groupMembers = []
        var names: [[String]] = []
        for index in 0..<nodeCount {
            let id = component[representative[index]]
            guard hasInputGroup.contains(id) else { continue }
            if closedIndex[id] == nil {
                closedIndex[id] = groupMembers.count
                groupMembers.append([])
                names.append([])
            }
            let group = closedIndex[id]!
            groupOf[index] = group
            groupMembers[group].append(index)
            if let name = nodes[index].group, !names[group].contains(name) { names[group].append(name) }
        }
        groupNames = names.map { $0.sorted { nameOrder[$0]! < nameOrder[$1]! }.joined(separator: "+") }
    }

    /// Tarjan's algorithm, iterative (deep graphs must not overflow the stack): a component id for
    /// every node reachable from `roots` (other entries are unspecified).
    static func stronglyConnectedComponents(successors: [[Int]], roots: [Int]) -> [Int] {
        let count = successors.count
        var index = [Int](repeating: -1, count: count)
        var lowLink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var component = [Int](repeating: -1, count: count)
        var stack: [Int] = []
        var nextIndex = 0
        var nextComponent = 0
        var frames: [(node: Int, edge: Int)] = []
        for root in roots where index[root] < 0 {
            frames.append((root, 0))
            index[root] = nextIndex; lowLink[root] = nextIndex; nextIndex += 1
            stack.append(root); onStack[root] = true
            while let frame = frames.last {
                let node = frame.node
                if frame.edge < successors[node].count {
                    frames[frames.count - 1].edge += 1
                    let next = successors[node][frame.edge]
                    if index[next] < 0 {
                        index[next] = nextIndex; lowLink[next] = nextIndex; nextIndex += 1
                        stack.append(next); onStack[next] = true
                        frames.append((next, 0))
                    } else if onStack[next] {
                        lowLink[node] = min(lowLink[node], index[next])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last { lowLink[parent.node] = min(lowLink[parent.node], lowLink[node]) }
                if lowLink[node] == index[node] {
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component[member] = nextComponent
                        if member == node { break }
                    }
                    nextComponent += 1
                }
            }
        }
        return component
    }
}
