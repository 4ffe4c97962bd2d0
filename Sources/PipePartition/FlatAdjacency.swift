/// Adjacency lists in two flat arrays (compressed sparse rows), so that hot loops read neighbours
/// without retaining a nested array per node.
struct FlatAdjacency: Sendable {
    /// Neighbours of node v are targets[starts[v]..<starts[v + 1]].
    let starts: [Int]
    let targets: [Int]

    init(_ lists: [[Int]]) {
        var starts = [0]
        starts.reserveCapacity(lists.count + 1)
        var targets: [Int] = []
        for list in lists {
            targets.append(contentsOf: list)
            starts.append(targets.count)
        }
        self.starts = starts
        self.targets = targets
    }

    /// The positions in `targets` of node `node`'s neighbours.
    @inline(__always)
    func range(of node: Int) -> Range<Int> { starts[node]..<starts[node + 1] }
}
