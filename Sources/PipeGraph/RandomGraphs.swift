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
}
