import PipeGraph

/// The stages of a partition as a DAG (GraphPipe, Jeon et al. 2024): an edge from stage a to
/// stage b when a node of a feeds a node of b, carrying the comm of those producers. Stages with
/// no path between them can run at the same time, so one input's latency is the longest path
/// through this DAG, each stage weighted by its cost, not k times the bottleneck
/// (docs/certificate.md, "Stage graph"). Throughput (1 / bottleneck) is the same either way.
public struct StageGraph: Codable, Sendable, Equatable {
    /// One stage-to-stage edge.
    public struct Edge: Codable, Sendable, Equatable {
        /// The sending stage.
        public var from: Int
        /// The receiving stage.
        public var to: Int
        /// Σ c(u) over the nodes u of `from` that feed a node of `to` (each once).
        public var comm: Double

        public init(from: Int, to: Int, comm: Double) {
            self.from = from
            self.to = to
            self.comm = comm
        }
    }

    /// Every stage pair with traffic, ordered by (from, to).
    public var edges: [Edge]
    /// The graph-pipeline latency: the most costly path through the stage DAG (Σ f(S) along it).
    public var graphLatency: Double
    /// k × bottleneck: the latency when the stages run as a chain.
    public var sequentialLatency: Double
    /// The stages of one most costly path, in order.
    public var criticalPath: [Int]

    enum CodingKeys: String, CodingKey {
        case edges
        case graphLatency = "graph_latency"
        case sequentialLatency = "sequential_latency"
        case criticalPath = "critical_path"
    }

    public init(edges: [Edge], graphLatency: Double, sequentialLatency: Double, criticalPath: [Int]) {
        self.edges = edges
        self.graphLatency = graphLatency
        self.sequentialLatency = sequentialLatency
        self.criticalPath = criticalPath
    }

    /// The stage graph of a valid `partition` of `graph`.
    public init(graph: ComputationGraph, partition: Partition) {
        let stageCount = partition.stageCount
        let costs = graph.stageLoads(of: partition).map(\.cost)
        var commByPair: [Int: Double] = [:]
        var lastProducer = [Int](repeating: -1, count: stageCount)
        for producer in graph.nodes.indices {
            let from = partition.stageOf[producer]
            guard (0..<stageCount).contains(from) else { continue }
            for consumer in graph.successors[producer] {
                let to = partition.stageOf[consumer]
                // Each producer counts once per receiving stage, as in f.
                guard to != from, (0..<stageCount).contains(to), lastProducer[to] != producer else { continue }
                lastProducer[to] = producer
                commByPair[from * stageCount + to, default: 0] += graph.nodes[producer].comm
            }
        }
        let edges = commByPair.keys.sorted().map { Edge(from: $0 / stageCount, to: $0 % stageCount, comm: commByPair[$0]!) }
        // Longest path: edges of a valid partition go from lower to higher stages, so index order is topological.
        var best = costs
        var previous = [Int](repeating: -1, count: stageCount)
        for edge in edges where edge.from < edge.to {
            if best[edge.from] + costs[edge.to] > best[edge.to] {
                best[edge.to] = best[edge.from] + costs[edge.to]
                previous[edge.to] = edge.from
            }
        }
        var end = best.indices.max { best[$0] < best[$1] } ?? 0
        var path: [Int] = []
        while end >= 0, !best.isEmpty {
            path.append(end)
            end = previous[end]
        }
        self.init(edges: edges, graphLatency: best.max() ?? 0,
                  sequentialLatency: Double(stageCount) * (costs.max() ?? 0), criticalPath: path.reversed())
    }

    /// Lines for the text outputs: the edges with their comm, then both latencies.
    public func lines(timeUnit: String) -> [String] {
        let figure = NumberFormatting.figure
        let shown = edges.map { "\($0.from)->\($0.to) (\(figure($0.comm)))" }
        var lines = ["stage graph  " + (shown.isEmpty ? "no edges between stages" : shown.joined(separator: ", "))]
        lines.append("latency      \(figure(graphLatency)) \(timeUnit) as a stage graph (path \(criticalPath.map(String.init).joined(separator: "-"))); "
                     + "\(figure(sequentialLatency)) \(timeUnit) as a chain (k x bottleneck)")
        return lines
    }
}
