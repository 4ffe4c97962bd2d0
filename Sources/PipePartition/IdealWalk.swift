import PipeGraph

/// What an ``IdealWalk`` reports: a node joining the current ideal and leaving it again.
protocol IdealWalkVisitor {
    /// `node` (all of whose predecessors are in the current ideal) is about to join it. Return false
    /// to skip it, and with it every larger ideal of this branch; return true after recording it.
    mutating func enter(_ node: Int) throws -> Bool
    /// `node`, accepted by ``enter(_:)``, leaves the current ideal (in reverse order of entering).
    mutating func leave(_ node: Int)
}

/// Lists every ideal containing a base ideal exactly once, by include/exclude branching over ready
/// nodes: taking candidate i excludes the candidates before it in that branch. Iterative (explicit
/// frames), so depth is not limited by a thread's stack.
struct IdealWalk {
    private let predecessors: FlatAdjacency
    private let successors: FlatAdjacency
    private var candidates: [Int] = []
    private var frames: [Frame] = []

    private struct Frame {
        /// This frame's candidates are candidates[start..<end]; `next` is the next to try.
        var start: Int
        var end: Int
        var next: Int
        /// The node this frame's ideal added (−1 for the base).
        var node: Int
    }

    init(graph: ComputationGraph) {
        self.init(predecessors: graph.predecessors, successors: graph.successors)
    }

    /// A walk over the DAG given by its adjacency lists (the unit quotient's, for the ideal DP).
    init(predecessors: [[Int]], successors: [[Int]]) {
        self.predecessors = FlatAdjacency(predecessors)
        self.successors = FlatAdjacency(successors)
    }

    /// Whether every predecessor of `node` is in `members`.
    @inline(__always)
    private func isReady(_ node: Int, _ members: [Bool]) -> Bool {
        for edge in predecessors.range(of: node) where !members[predecessors.targets[edge]] { return false }
        return true
    }

    /// Walks every ideal ⊋ `members` (a membership mask of an ideal). `members` tracks the current
    /// ideal and is restored on return; after a thrown error its contents are unspecified.
    mutating func walk<Visitor: IdealWalkVisitor>(from members: inout [Bool], visitor: inout Visitor) throws {
        candidates.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        for node in members.indices where !members[node] && isReady(node, members) {
            candidates.append(node)
        }
        frames.append(Frame(start: 0, end: candidates.count, next: 0, node: -1))
        while let top = frames.last {
            if top.next == top.end {
                frames.removeLast()
                candidates.removeLast(candidates.count - top.start)
                if top.node >= 0 {
                    members[top.node] = false
                    visitor.leave(top.node)
                }
                continue
            }
            frames[frames.count - 1].next += 1
            let node = candidates[top.next]
            guard try visitor.enter(node) else { continue }
            members[node] = true
            let childStart = candidates.count
            for later in (top.next + 1)..<top.end { candidates.append(candidates[later]) }
            for edge in successors.range(of: node) where isReady(successors.targets[edge], members) {
                candidates.append(successors.targets[edge])
            }
            frames.append(Frame(start: childStart, end: candidates.count, next: childStart, node: node))
        }
    }
}
