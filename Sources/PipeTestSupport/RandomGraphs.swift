import PipeGraph

/// Seeded random DAGs for tests and soundness checks (small graphs whose optimum brute force can find).
public enum RandomGraphs {
    /// Options for ``smallDAG(nodeCount:seed:options:)``.
    public struct Options: Sendable {
        /// Probability of each forward edge i -> j (i < j in a random labelling).
        public var edgeProbability: Double = 0.3
        /// Work is drawn uniformly from this range.
        public var workRange: ClosedRange<Double> = 1...10
        /// Comm is drawn uniformly from this range (0...0 for none).
        public var commRange: ClosedRange<Double> = 0...4
        /// Memory is drawn uniformly from this range.
        public var memoryRange: ClosedRange<Double> = 0...0
        /// When set, the stage memory cap is this fraction of the total memory.
        public var memoryCapFraction: Double? = nil
        /// The chance that a node joins a random colocation group with a direct successor
        /// (only kept when the group stays convex).
        public var groupProbability: Double = 0
        /// Keep groups that are not convex as given (a path between two members leaves the group):
        /// the graph closes them under paths, so tests exercise the closure.
        public var allowNonConvexGroups: Bool = false
        /// Round costs to integers (exact arithmetic in brute-force comparisons).
        public var integerCosts: Bool = true

        public init() {}
    }

    /// A random DAG on `nodeCount` nodes named n0, n1, …, nodes listed in a shuffled order so
    /// that input order is not always topological.
    public static func smallDAG(nodeCount: Int, seed: UInt64, options: Options = Options()) -> ComputationGraph {
        var random = SeededGenerator(seed: seed)
        func draw(_ range: ClosedRange<Double>) -> Double {
            let value = range.lowerBound + (range.upperBound - range.lowerBound) * random.nextUnit()
            return options.integerCosts ? value.rounded() : value
        }
        // Rank r is the hidden topological position; node index is a random permutation of ranks.
        let indexOfRank = Array(0..<nodeCount).shuffled(using: &random)
        var nodes = (0..<nodeCount).map { Node(name: "n\($0)", op: "Op", work: 0) }
        for index in 0..<nodeCount {
            nodes[index].work = draw(options.workRange)
            nodes[index].comm = draw(options.commRange)
            nodes[index].memory = draw(options.memoryRange)
        }
        var edges: [(Int, Int)] = []
        for producerRank in 0..<nodeCount {
            for consumerRank in (producerRank + 1)..<max(producerRank + 1, nodeCount) where random.nextUnit() < options.edgeProbability {
                edges.append((indexOfRank[producerRank], indexOfRank[consumerRank]))
            }
        }
        var stageMemory: Double? = nil
        if let fraction = options.memoryCapFraction {
            let total = nodes.reduce(0) { $0 + $1.memory }
            let largest = nodes.map(\.memory).max() ?? 0
            stageMemory = max(total * fraction, largest, 1)
        }
        let base = try! ComputationGraph(name: "random-\(seed)", nodes: nodes, edges: edges, stageMemory: stageMemory)
        guard options.groupProbability > 0 else { return base }
        // Pair nodes with a successor into groups, keeping only pairs that are convex (no other path).
        var grouped = nodes
        var used = Set<Int>()
        var groupNumber = 0
        for producer in base.topologicalOrder where !used.contains(producer) && random.nextUnit() < options.groupProbability {
            let partner: Int?
            if options.allowNonConvexGroups {
                // Any later node in topological order: often a pair with other nodes between them.
                let later = base.topologicalOrder.drop(while: { $0 != producer }).dropFirst().filter { !used.contains($0) }
                partner = later.isEmpty ? nil : later[Int(random.nextUnit() * Double(later.count)) % later.count]
            } else {
                partner = base.successors[producer].first(where: { !used.contains($0) })
            }
            guard let consumer = partner else { continue }
            if !options.allowNonConvexGroups {
                guard base.convexHull(of: [producer, consumer]).count == 2 else { continue }
            }
            grouped[producer].group = "g\(groupNumber)"
            grouped[consumer].group = "g\(groupNumber)"
            used.formUnion([producer, consumer])
            groupNumber += 1
        }
        return (try? ComputationGraph(name: base.name, nodes: grouped, edges: edges, stageMemory: stageMemory)) ?? base
    }

    /// A random small training graph (docs/graph-format.md, "Training graphs"): the forward DAG of
    /// ``smallDAG(nodeCount:seed:options:)`` on `forwardCount` nodes, and for about `backwardFraction`
    /// of its nodes a backward node b<i> fed by its forward twin n<i>, with the backward edges mirroring
    /// the forward edges between twins. A backward node mostly shares its twin's colour class; now and
    /// then it has no class, or a class of backward nodes only (so some classes have no forward node).
    /// The last forward node in topological order gets a twin when no other did, so the graph is always a
    /// training graph.
    public static func smallTrainingDAG(forwardCount: Int, seed: UInt64, backwardFraction: Double = 0.6,
                                        options: Options = Options()) -> ComputationGraph {
        let forward = smallDAG(nodeCount: forwardCount, seed: seed, options: options)
        var random = SeededGenerator(seed: seed ^ 0x7261_696E)
        func draw(_ range: ClosedRange<Double>) -> Double {
            let value = range.lowerBound + (range.upperBound - range.lowerBound) * random.nextUnit()
            return options.integerCosts ? value.rounded() : value
        }
        var nodes = forward.nodes
        var edges = forward.edges
        var twin = [Int?](repeating: nil, count: forwardCount)
        var sharedBackwardClass: String? = nil
        for index in forward.topologicalOrder {
            let drawn = random.nextUnit() < backwardFraction
            guard drawn || (index == forward.topologicalOrder.last && twin.allSatisfy({ $0 == nil })) else { continue }
            let kind = random.nextUnit()
            var node = Node(name: "b\(index)", op: "Grad", work: draw(options.workRange), comm: draw(options.commRange),
                            memory: draw(options.memoryRange), backward: true)
            if kind < 0.6 {
                // Its twin's class (the twin gets one if it has none).
                if nodes[index].group == nil { nodes[index].group = "c\(index)" }
                node.group = nodes[index].group
            } else if kind < 0.8, let shared = sharedBackwardClass {
                node.group = shared
            } else if kind < 0.9 {
                sharedBackwardClass = "backward\(index)"
                node.group = sharedBackwardClass
            }
            twin[index] = nodes.count
            edges.append((index, nodes.count))
            nodes.append(node)
        }
        for (producer, consumer) in forward.edges {
            if let from = twin[consumer], let to = twin[producer] { edges.append((from, to)) }
        }
        var stageMemory = forward.stageMemory
        if let fraction = options.memoryCapFraction {
            let total = nodes.reduce(0) { $0 + $1.memory }
            stageMemory = max(total * fraction, nodes.map(\.memory).max() ?? 0, 1)
        }
        return try! ComputationGraph(name: "training-\(seed)", nodes: nodes, edges: edges, stageMemory: stageMemory)
    }
}
