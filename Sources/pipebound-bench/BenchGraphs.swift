import PipeGraph

/// Seeded synthetic graphs for the partition benchmarks when no fixtures are present (the
/// benchmarks' own shapes, kept apart from `PipeImport.SyntheticGraphs` so that figures stay comparable).
enum BenchGraphs {
    /// A REGAL-style layered DAG: `nodeCount` nodes in layers of about `width`, each node fed by one to
    /// three nodes of the previous two layers; work 1–10, comm 0–4 (reals), no memory.
    static func layered(nodeCount: Int, width: Int, seed: UInt64) throws -> ComputationGraph {
        var random = SeededGenerator(seed: seed)
        var nodes: [Node] = []
        var edges: [(Int, Int)] = []
        nodes.reserveCapacity(nodeCount)
        for index in 0..<nodeCount {
            nodes.append(Node(name: "v\(index)", op: "Op", work: 1 + 9 * random.nextUnit(), comm: 4 * random.nextUnit()))
            let layer = index / width
            guard layer > 0 else { continue }
            let firstCandidate = max(0, (layer - 2) * width)
            let lastCandidate = layer * width - 1
            let inputs = 1 + Int(random.next() % 3)
            for _ in 0..<inputs {
                let producer = firstCandidate + Int(random.next() % UInt64(lastCandidate - firstCandidate + 1))
                edges.append((producer, index))
            }
        }
        return try ComputationGraph(name: "layered-\(nodeCount)-w\(width)-s\(seed)", nodes: nodes, edges: edges)
    }

    /// A chain of `nodeCount` nodes with random work and comm.
    static func chain(nodeCount: Int, seed: UInt64) throws -> ComputationGraph {
        var random = SeededGenerator(seed: seed)
        let nodes = (0..<nodeCount).map { Node(name: "c\($0)", op: "Op", work: 1 + 9 * random.nextUnit(), comm: 4 * random.nextUnit()) }
        let edges = (0..<max(nodeCount - 1, 0)).map { ($0, $0 + 1) }
        return try ComputationGraph(name: "chain-\(nodeCount)-s\(seed)", nodes: nodes, edges: edges)
    }
}
