/// A maximum-flow network with integer capacities (Dinic's algorithm), used for minimum cuts whose
/// value must be exact: integer arithmetic has no rounding, so the flow value is the minimum cut.
///
/// Node 0 is the source and node 1 the sink; ``addNode()`` adds the others.
package struct MaxFlow {
    /// A capacity no finite cut reaches (the callers' finite capacities sum far below it).
    package static let infinite: Int64 = Int64.max / 4

    private var head: [Int] = [-1, -1]
    private var next: [Int] = []
    private var target: [Int] = []
    private var residual: [Int64] = []

    /// An empty network: the source and the sink.
    package init() {}

    package static let source = 0
    package static let sink = 1

    /// The number of nodes, source and sink included.
    package var nodeCount: Int { head.count }

    /// Adds a node and returns its index.
    package mutating func addNode() -> Int {
        head.append(-1)
        return head.count - 1
    }

    /// Adds the arc `from` → `to` with `capacity` (and its residual reverse arc).
    package mutating func addArc(from: Int, to: Int, capacity: Int64) {
        guard capacity > 0, from != to else { return }
        target.append(to); residual.append(capacity); next.append(head[from]); head[from] = target.count - 1
        target.append(from); residual.append(0); next.append(head[to]); head[to] = target.count - 1
    }

    /// The value of a maximum flow from the source to the sink (equal to the minimum cut), or nil when
    /// `shouldStop` asks to stop first (checked once per phase).
    package mutating func maximumFlow(shouldStop: () -> Bool = { false }) -> Int64? {
        var total: Int64 = 0
        var level = [Int](repeating: -1, count: nodeCount)
        var cursor = [Int](repeating: -1, count: nodeCount)
        var queue = [Int]()
        queue.reserveCapacity(nodeCount)
        while true {
            if shouldStop() { return nil }
            for index in level.indices { level[index] = -1 }
            level[Self.source] = 0
            queue.removeAll(keepingCapacity: true)
            queue.append(Self.source)
            var front = 0
            while front < queue.count {
                let node = queue[front]
                front += 1
                var arc = head[node]
                while arc >= 0 {
                    if residual[arc] > 0, level[target[arc]] < 0 {
                        level[target[arc]] = level[node] + 1
                        queue.append(target[arc])
                    }
                    arc = next[arc]
                }
            }
            guard level[Self.sink] >= 0 else { return total }
            cursor = head
            while true {
                let pushed = augment(level: level, cursor: &cursor)
                if pushed == 0 { break }
                total += pushed
            }
        }
    }

    /// The nodes the source still reaches through arcs with residual capacity: after ``maximumFlow(shouldStop:)``
    /// ran to the end, the source side of a minimum cut.
    package func sourceSide() -> [Bool] {
        var reached = [Bool](repeating: false, count: nodeCount)
        reached[Self.source] = true
        var stack = [Self.source]
        while let node = stack.popLast() {
            var arc = head[node]
            while arc >= 0 {
                if residual[arc] > 0, !reached[target[arc]] {
                    reached[target[arc]] = true
                    stack.append(target[arc])
                }
                arc = next[arc]
            }
        }
        return reached
    }

    /// One augmenting path along the level graph (iterative depth-first search), its bottleneck pushed.
    private mutating func augment(level: [Int], cursor: inout [Int]) -> Int64 {
        var path: [Int] = []  // arcs from the source
        var node = Self.source
        while true {
            if node == Self.sink {
                var amount = Self.infinite
                for arc in path { amount = Swift.min(amount, residual[arc]) }
                for arc in path {
                    residual[arc] -= amount
                    residual[arc ^ 1] += amount
                }
                return amount
            }
            var advanced = false
            while cursor[node] >= 0 {
                let arc = cursor[node]
                if residual[arc] > 0, level[target[arc]] == level[node] + 1 {
                    path.append(arc)
                    node = target[arc]
                    advanced = true
                    break
                }
                cursor[node] = next[arc]
            }
            if advanced { continue }
            // Dead end: retreat and skip the arc that led here.
            guard let last = path.popLast() else { return 0 }
            node = target[last ^ 1]
            cursor[node] = next[cursor[node]]
        }
    }
}
