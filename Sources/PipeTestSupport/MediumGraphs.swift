import Foundation
import PipeGraph

/// The medium random graphs of ``MediumSoundnessCheck``: a topological sequence where each node
/// draws its producers from the few nodes before it (so the ideals stay few enough for the exact
/// DP), with costs drawn on a log scale.
public enum MediumGraphs {
    /// The graph of one seed: 15 to 40 nodes; every fifth seed has a memory cap, every third
    /// colocation groups, every fourth costs spanning 1e-7 to 1e7.
    public static func graph(seed: UInt64) -> ComputationGraph {
        var random = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 17)
        func logUniform(_ low: Double, _ high: Double) -> Double {
            exp(log(low) + (log(high) - log(low)) * random.nextUnit())
        }
        let nodeCount = 15 + Int(random.next() % 26)
        let reach = 3 + Int(random.next() % 3)
        let commRatio = logUniform(1e-3, 1e3)
        let extreme = seed % 4 == 3
        var nodes: [Node] = []
        var edges: [(Int, Int)] = []
        for index in 0..<nodeCount {
            var work = 1 + 9 * random.nextUnit()
            var comm = commRatio * (0.2 + random.nextUnit())
            if extreme {
                work *= logUniform(1e-7, 1e7)
                comm *= logUniform(1e-7, 1e7)
            }
            if random.nextUnit() < 0.08 { comm = 0 }
            nodes.append(Node(name: "n\(index)", op: "Op", work: work, comm: comm, memory: (1 + 9 * random.nextUnit()).rounded()))
            guard index > 0 else { continue }
            let producerCount = 1 + Int(random.next() % 2)
            for _ in 0..<producerCount {
                let producer = index - 1 - Int(random.next() % UInt64(Swift.min(reach, index)))
                edges.append((producer, index))
            }
        }
        var stageMemory: Double? = nil
        if seed % 5 == 1 {
            let total = nodes.reduce(0) { $0 + $1.memory }
            stageMemory = Swift.max(total * 0.45, nodes.map(\.memory).max() ?? 1)
        }
        if seed % 3 == 2 {
            // Pairs of a node and one of its direct consumers with no other path between them.
            var group = 0
            var index = 0
            while index + 1 < nodeCount {
                if random.nextUnit() < 0.25, edges.contains(where: { $0 == (index, index + 1) }),
                   !edges.contains(where: { $0.1 == index + 1 && $0.0 != index && $0.0 > index }) {
                    nodes[index].group = "g\(group)"
                    nodes[index + 1].group = "g\(group)"
                    group += 1
                    index += 2
                } else {
                    index += 1
                }
            }
        }
        if let graph = try? ComputationGraph(name: "medium-\(seed)", nodes: nodes, edges: edges, stageMemory: stageMemory) {
            return graph
        }
        for index in nodes.indices { nodes[index].group = nil }
        return try! ComputationGraph(name: "medium-\(seed)", nodes: nodes, edges: edges, stageMemory: stageMemory)
    }
}
