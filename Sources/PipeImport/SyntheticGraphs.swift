import Foundation
import PipeGraph

/// Seeded synthetic computation graphs for fixtures and benchmarks (docs/importers.md).
///
/// Every generator is deterministic for its seed (``SeededGenerator``) and names nodes `v0`, `v1`, …
/// (or by role for transformers). Work and comm are in microseconds, memory in bytes.
public enum SyntheticGraphs {
    /// The families of generated graphs.
    public enum Kind: String, CaseIterable, Sendable {
        /// REGAL-style layered random DAG: layers of random width, each node fed by 1–3 nodes of the previous two layers.
        case layered
        /// A single path.
        case chain
        /// Wide diamonds in sequence: a fork node, parallel branches of short chains, a join node.
        case diamond
        /// A stack of transformer encoder blocks (attention and feed-forward) with costs from FLOPs through a ``CostProfile``.
        case transformer
    }

    /// Parses `KIND:NODES:SEED` and generates the graph.
    public static func generate(specification: String) throws -> ComputationGraph {
        let parts = specification.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let kind = Kind(rawValue: parts[0]), let nodeCount = Int(parts[1]), let seed = UInt64(parts[2]) else {
            throw GraphError("expected KIND:NODES:SEED with KIND one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try generate(kind, nodeCount: nodeCount, seed: seed)
    }

    /// A graph of `kind` with `nodeCount` nodes (transformers: whole blocks, at least `nodeCount` rounded to a block).
    public static func generate(_ kind: Kind, nodeCount: Int, seed: UInt64) throws -> ComputationGraph {
        guard (2...1_000_000).contains(nodeCount) else { throw GraphError("the node count must be between 2 and 1000000, not \(nodeCount)") }
        var random = SeededGenerator(seed: seed)
        let name = "synthetic-\(kind.rawValue)-\(nodeCount)-\(seed)"
        switch kind {
        case .layered: return try layered(nodeCount: nodeCount, name: name, random: &random)
        case .chain: return try chain(nodeCount: nodeCount, name: name, random: &random)
        case .diamond: return try diamonds(nodeCount: nodeCount, name: name, random: &random)
        case .transformer: return try transformer(nodeCount: nodeCount, name: name)
        }
    }

    /// A heavy-tailed positive cost: most nodes cheap, a few expensive, as in real models.
    private static func cost(_ random: inout SeededGenerator, median: Double) -> Double {
        let uniform = max(random.nextUnit(), 1e-12)
        let value = median * exp(1.2 * sqrt(-2 * log(uniform)) * cos(2 * Double.pi * random.nextUnit()))
        return (value * 1000).rounded() / 1000
    }

    private static func randomNode(_ index: Int, op: String, random: inout SeededGenerator) -> Node {
        let memory = random.nextUnit() < 0.5 ? (cost(&random, median: 2e6)).rounded() : 0
        return Node(name: "v\(index)", op: op, work: cost(&random, median: 50), comm: cost(&random, median: 8), memory: memory)
    }

    private static func layered(nodeCount: Int, name: String, random: inout SeededGenerator) throws -> ComputationGraph {
        var layers: [[Int]] = []
        var nodes: [Node] = []
        var edges: [(Int, Int)] = []
        let typicalWidth = max(1, Int(Double(nodeCount).squareRoot() / 2))
        while nodes.count < nodeCount {
            let width = min(nodeCount - nodes.count, 1 + Int(random.nextUnit() * Double(2 * typicalWidth)))
            var layer: [Int] = []
            for _ in 0..<width {
                let index = nodes.count
                nodes.append(randomNode(index, op: "Layer\(layers.count)", random: &random))
                if !layers.isEmpty {
                    let candidates = layers.last! + (layers.count > 1 ? layers[layers.count - 2] : [])
                    let inputs = 1 + Int(random.nextUnit() * 3)
                    for _ in 0..<inputs {
                        edges.append((candidates[Int(random.nextUnit() * Double(candidates.count))], index))
                    }
                }
                layer.append(index)
            }
            layers.append(layer)
        }
        return try ComputationGraph(name: name, nodes: nodes, edges: edges)
    }

    private static func chain(nodeCount: Int, name: String, random: inout SeededGenerator) throws -> ComputationGraph {
        let nodes = (0..<nodeCount).map { randomNode($0, op: "Op", random: &random) }
        return try ComputationGraph(name: name, nodes: nodes, edges: (1..<nodeCount).map { ($0 - 1, $0) })
    }

    private static func diamonds(nodeCount: Int, name: String, random: inout SeededGenerator) throws -> ComputationGraph {
        var nodes: [Node] = [randomNode(0, op: "Input", random: &random)]
        var edges: [(Int, Int)] = []
        var fork = 0
        while nodes.count < nodeCount {
            let remaining = nodeCount - nodes.count
            guard remaining >= 2 else {
                nodes.append(randomNode(nodes.count, op: "Op", random: &random))
                edges.append((fork, nodes.count - 1))
                break
            }
            let branchCount = min(max(2, 2 + Int(random.nextUnit() * 14)), remaining - 1)
            var budget = remaining - 1
            var tails: [Int] = []
            for branch in 0..<branchCount {
                let branchesLeft = branchCount - branch
                let length = min(1 + Int(random.nextUnit() * 4), budget - (branchesLeft - 1))
                var previous = fork
                for _ in 0..<max(length, 1) {
                    nodes.append(randomNode(nodes.count, op: "Branch", random: &random))
                    edges.append((previous, nodes.count - 1))
                    previous = nodes.count - 1
                }
                budget -= max(length, 1)
                tails.append(previous)
            }
            nodes.append(randomNode(nodes.count, op: "Join", random: &random))
            for tail in tails { edges.append((tail, nodes.count - 1)) }
            fork = nodes.count - 1
        }
        return try ComputationGraph(name: name, nodes: nodes, edges: edges)
    }

    /// Encoder blocks of a BERT-base-like model (hidden 768, 12 heads, sequence 128, feed-forward 3072),
    /// costed like an ONNX import with the default ``CostProfile``.
    private static func transformer(nodeCount: Int, name: String) throws -> ComputationGraph {
        let profile = CostProfile()
        let hidden = 768.0, sequence = 128.0, feedForward = 3072.0, heads = 12.0
        let activation = sequence * hidden * profile.bytesPerElement
        var nodes: [Node] = []
        var edges: [(Int, Int)] = []
        @discardableResult
        func add(_ name: String, _ op: String, flops: Double, outputBytes: Double, parameters: Double = 0, inputs: [Int]) -> Int {
            let bytesAccessed = outputBytes + parameters * profile.bytesPerElement + Double(inputs.count) * activation
            nodes.append(Node(name: name, op: op, work: profile.workMicroseconds(flops: flops, bytesAccessed: bytesAccessed),
                              comm: profile.commMicroseconds(bytes: outputBytes), memory: parameters * profile.bytesPerElement))
            for input in inputs { edges.append((input, nodes.count - 1)) }
            return nodes.count - 1
        }
        var current = add("embedding", "Gather", flops: 0, outputBytes: activation, parameters: 30522 * hidden, inputs: [])
        let blockSize = 14
        let blocks = max(1, (nodeCount - 2 + blockSize - 1) / blockSize)
        for block in 0..<blocks {
            let prefix = "block\(block)"
            let projection = 2 * sequence * hidden * hidden
            let norm1 = add("\(prefix)/ln1", "LayerNormalization", flops: 7 * sequence * hidden, outputBytes: activation, parameters: 2 * hidden, inputs: [current])
            let query = add("\(prefix)/q", "MatMul", flops: projection, outputBytes: activation, parameters: hidden * hidden + hidden, inputs: [norm1])
            let key = add("\(prefix)/k", "MatMul", flops: projection, outputBytes: activation, parameters: hidden * hidden + hidden, inputs: [norm1])
            let value = add("\(prefix)/v", "MatMul", flops: projection, outputBytes: activation, parameters: hidden * hidden + hidden, inputs: [norm1])
            let scoresBytes = heads * sequence * sequence * profile.bytesPerElement
            let scores = add("\(prefix)/scores", "MatMul", flops: 2 * sequence * sequence * hidden, outputBytes: scoresBytes, inputs: [query, key])
            let softmax = add("\(prefix)/softmax", "Softmax", flops: 5 * heads * sequence * sequence, outputBytes: scoresBytes, inputs: [scores])
            let context = add("\(prefix)/context", "MatMul", flops: 2 * sequence * sequence * hidden, outputBytes: activation, inputs: [softmax, value])
            let output = add("\(prefix)/attention_out", "MatMul", flops: projection, outputBytes: activation, parameters: hidden * hidden + hidden, inputs: [context])
            let residual1 = add("\(prefix)/residual1", "Add", flops: sequence * hidden, outputBytes: activation, inputs: [output, current])
            let norm2 = add("\(prefix)/ln2", "LayerNormalization", flops: 7 * sequence * hidden, outputBytes: activation, parameters: 2 * hidden, inputs: [residual1])
            let wideBytes = sequence * feedForward * profile.bytesPerElement
            let up = add("\(prefix)/ffn_up", "MatMul", flops: 2 * sequence * hidden * feedForward, outputBytes: wideBytes, parameters: hidden * feedForward + feedForward, inputs: [norm2])
            let gelu = add("\(prefix)/gelu", "Gelu", flops: 8 * sequence * feedForward, outputBytes: wideBytes, inputs: [up])
            let down = add("\(prefix)/ffn_down", "MatMul", flops: 2 * sequence * hidden * feedForward, outputBytes: activation, parameters: hidden * feedForward + hidden, inputs: [gelu])
            current = add("\(prefix)/residual2", "Add", flops: sequence * hidden, outputBytes: activation, inputs: [down, residual1])
        }
        add("pooler", "Gemm", flops: 2 * hidden * hidden, outputBytes: hidden * profile.bytesPerElement, parameters: hidden * hidden + hidden, inputs: [current])
        return try ComputationGraph(name: name, nodes: nodes, edges: edges)
    }
}

extension SyntheticGraphs {
    /// The shape of a wide layered random DAG (``wideLayered(_:)``): the communication-heavy graphs
    /// on which no DP over ideals finishes (docs/benchmarks-wide.md).
    public struct WideLayeredShape: Sendable, Hashable {
        /// Number of nodes.
        public var nodeCount: Int
        /// Largest layer width; each layer has between half of it and all of it.
        public var width: Int
        /// Median comm over median work (0.05 to 5 in the benchmark set).
        public var commRatio: Double
        /// Chance that a node also reads from a layer two to `skipDistance` layers back.
        public var skipProbability: Double = 0.25
        /// How far back a skip connection may reach, in layers.
        public var skipDistance: Int = 4
        /// When set, the stage memory cap is this fraction of the total memory (at least the largest node's).
        public var memoryCapFraction: Double? = nil
        /// Chance that a node is grouped with one of its consumers (a pair kept only when convex).
        public var groupProbability: Double = 0
        /// The generator's seed.
        public var seed: UInt64

        public init(nodeCount: Int, width: Int, commRatio: Double, skipProbability: Double = 0.25, skipDistance: Int = 4,
                    memoryCapFraction: Double? = nil, groupProbability: Double = 0, seed: UInt64) {
            self.nodeCount = nodeCount
            self.width = width
            self.commRatio = commRatio
            self.skipProbability = skipProbability
            self.skipDistance = skipDistance
            self.memoryCapFraction = memoryCapFraction
            self.groupProbability = groupProbability
            self.seed = seed
        }

        /// A name that spells out every parameter.
        public var name: String {
            var name = "wide-n\(nodeCount)-w\(width)-c\(commRatio)-s\(seed)"
            if let memoryCapFraction { name += "-m\(memoryCapFraction)" }
            if groupProbability > 0 { name += "-g\(groupProbability)" }
            return name
        }
    }

    /// A wide layered random DAG: layers of `width / 2 ... width` nodes, each node fed by one to three
    /// nodes of the previous layer and, with `skipProbability`, by one of an earlier layer; heavy-tailed
    /// work (median 50 µs) and comm (median 50·`commRatio` µs), memory on about half the nodes.
    public static func wideLayered(_ shape: WideLayeredShape) throws -> ComputationGraph {
        guard (2...1_000_000).contains(shape.nodeCount), shape.width >= 1, shape.commRatio >= 0 else {
            throw GraphError("wide layered graph: need 2 to 1000000 nodes, a positive width and a non-negative comm ratio")
        }
        var random = SeededGenerator(seed: shape.seed)
        var layers: [[Int]] = []
        var nodes: [Node] = []
        var edges: [(Int, Int)] = []
        while nodes.count < shape.nodeCount {
            let lowest = Swift.max(1, shape.width / 2)
            let width = Swift.min(shape.nodeCount - nodes.count, lowest + Int(random.nextUnit() * Double(shape.width - lowest + 1)))
            var layer: [Int] = []
            for _ in 0..<width {
                let index = nodes.count
                let memory = random.nextUnit() < 0.5 ? cost(&random, median: 2e6).rounded() : 0
                nodes.append(Node(name: "v\(index)", op: "Layer\(layers.count)", work: cost(&random, median: 50),
                                  comm: cost(&random, median: 50 * shape.commRatio), memory: memory))
                if let previous = layers.last {
                    let inputs = 1 + Int(random.nextUnit() * 3)
                    for _ in 0..<inputs { edges.append((previous[Int(random.nextUnit() * Double(previous.count))], index)) }
                    if layers.count >= 2, random.nextUnit() < shape.skipProbability {
                        let back = 2 + Int(random.nextUnit() * Double(Swift.max(1, Swift.min(shape.skipDistance, layers.count) - 1)))
                        let source = layers[layers.count - Swift.min(back, layers.count)]
                        edges.append((source[Int(random.nextUnit() * Double(source.count))], index))
                    }
                }
                layer.append(index)
            }
            layers.append(layer)
        }
        var stageMemory: Double? = nil
        if let fraction = shape.memoryCapFraction {
            let total = nodes.reduce(0) { $0 + $1.memory }
            stageMemory = Swift.max(total * fraction, nodes.map(\.memory).max() ?? 0, 1)
        }
        let base = try ComputationGraph(name: shape.name, nodes: nodes, edges: edges, stageMemory: stageMemory)
        guard shape.groupProbability > 0 else { return base }
        // Pair a node with one consumer; keep the pair only when no other path joins them (convex).
        var grouped = nodes
        var used = [Bool](repeating: false, count: nodes.count)
        for producer in base.topologicalOrder where !used[producer] && random.nextUnit() < shape.groupProbability {
            guard let consumer = base.successors[producer].first(where: { !used[$0] }),
                  base.predecessors[consumer].count == 1 || base.convexHull(of: [producer, consumer]).count == 2 else { continue }
            grouped[producer].group = "g\(producer)"
            grouped[consumer].group = "g\(producer)"
            used[producer] = true
            used[consumer] = true
        }
        return try ComputationGraph(name: shape.name, nodes: grouped, edges: edges, stageMemory: stageMemory)
    }
}
