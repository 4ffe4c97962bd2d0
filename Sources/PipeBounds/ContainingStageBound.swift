import PipeGraph

/// The containing-stage bound: the stage holding node v costs at least the least f(S) over *all* node
/// sets S that hold v and its colocation group (convexity dropped), which is a minimum cut.
///
/// It generalises the neighbourhood bound (one hop) to the whole graph: S may take producers in to
/// save their input comm, but then pays their work and their own inputs. On comm-heavy graphs at
/// large k, where W/k is small, it is the bound that sees the comm of the heaviest node's
/// surroundings. See docs/formulations.md, "Containing-stage cuts".
public struct ContainingStageBound: Sendable {
    private let graph: ComputationGraph
    /// The network without the source arcs that fix v inside; copied per node.
    private let base: MaxFlow
    /// The network vertex of each node (its x: source side = inside S).
    private let vertexOf: [Int]
    /// Capacities are costs divided by this, rounded down.
    private let unit: Double

    /// Builds the network of f for `graph`: per node u, x_u → sink with w(u) (u inside pays its work);
    /// a "some consumer inside" vertex z_u with infinite arcs from each consumer's x and z_u → x_u with
    /// c(u) (u outside pays its output once as input of S); an "every consumer inside" vertex y_u with
    /// x_u → y_u of c(u) and infinite arcs y_u → each consumer's x (u inside with a consumer outside pays
    /// c(u) out).
    public init(graph: ComputationGraph) {
        self.graph = graph
        let largest = graph.nodes.reduce(0.0) { Swift.max($0, $1.work, $1.comm) }
        let scale = largest > 0 ? largest / 1e12 : 1
        unit = scale
        func capacity(_ value: Double) -> Int64 { Int64((value / scale).rounded(.down)) }
        var network = MaxFlow()
        var vertexOf: [Int] = []
        for _ in 0..<graph.nodeCount { vertexOf.append(network.addNode()) }
        for node in 0..<graph.nodeCount {
            network.addArc(from: vertexOf[node], to: MaxFlow.sink, capacity: capacity(graph.nodes[node].work))
            let consumers = graph.successors[node]
            guard !consumers.isEmpty, graph.nodes[node].comm > 0 else { continue }
            let someInside = network.addNode()
            let allInside = network.addNode()
            network.addArc(from: someInside, to: vertexOf[node], capacity: capacity(graph.nodes[node].comm))
            network.addArc(from: vertexOf[node], to: allInside, capacity: capacity(graph.nodes[node].comm))
            for consumer in consumers {
                network.addArc(from: vertexOf[consumer], to: someInside, capacity: MaxFlow.infinite)
                network.addArc(from: allInside, to: vertexOf[consumer], capacity: MaxFlow.infinite)
            }
        }
        base = network
        self.vertexOf = vertexOf
    }

    /// The least f(S) over node sets S holding every node of `members` (rounded down; exact up to
    /// 10⁻¹² of the largest cost per node).
    public func leastCost(holding members: [Int]) -> Double {
        minimumCut(holding: members).cost
    }

    /// ``leastCost(holding:)`` with a node set that costs it (the source side of the minimum cut, sorted).
    func leastCostSet(holding members: [Int]) -> (cost: Double, members: [Int]) {
        let (cost, network) = minimumCut(holding: members)
        let side = network.sourceSide()
        return (cost, (0..<graph.nodeCount).filter { side[vertexOf[$0]] })
    }

    /// The network with `members` fixed inside, after its maximum flow, and the cut's cost.
    private func minimumCut(holding members: [Int]) -> (cost: Double, network: MaxFlow) {
        var network = base
        for member in members { network.addArc(from: MaxFlow.source, to: vertexOf[member], capacity: MaxFlow.infinite) }
        let cost = Double(network.maximumFlow() ?? 0) * unit
        return (cost, network)
    }

    /// Per node u with consumers and comm, the least f(S) over node sets S holding u, every consumer of u,
    /// every node on a path between them and their colocation groups (a lower bound on the cost of any stage that keeps u with all its consumers). Read by ``BoundaryCutBound``: at T below it, u's comm is paid twice (docs/formulations.md,
    /// "Boundary cuts"). Only producers whose set itself costs more than `floor` (a proven lower bound: below
    /// it no T is ever checked) get a cut, the largest comms first, at most `maximumCuts` of them, until
    /// `shouldStop` says stop; the others get 0, which never charges them. All 0 on training graphs, whose
    /// stages need not be convex (the cuts that read these are off there).
    public func leastCostsHoldingConsumers(above floor: Double = 0, maximumCuts: Int = 4_000,
                                           shouldStop: () -> Bool = { false }) -> [Double] {
        var costs = [Double](repeating: 0, count: graph.nodeCount)
        guard !graph.isTraining else { return costs }
        var candidates: [(producer: Int, members: [Int])] = []
        for producer in 0..<graph.nodeCount where !graph.successors[producer].isEmpty && graph.nodes[producer].comm > 0 {
            if shouldStop() { return costs }
            // A stage is convex and keeps groups whole: one holding u and its consumers holds every node on a
            // path between them (skip connections make that more than the consumers) and their groups.
            let sorted = graph.closedStage(of: [producer] + graph.successors[producer])
            // The set itself is one of the sets S: its cost bounds the minimum from above.
            guard graph.stageCost(of: sorted) > floor else { continue }
            candidates.append((producer, sorted))
        }
        candidates.sort { (graph.nodes[$0.producer].comm, $1.producer) > (graph.nodes[$1.producer].comm, $0.producer) }
        for candidate in candidates.prefix(maximumCuts) {
            if shouldStop() { break }
            costs[candidate.producer] = leastCost(holding: candidate.members)
        }
        return costs
    }

    /// The best bound over nodes, starting from `from` (a proven lower bound): nodes (with their groups)
    /// are tried in decreasing order of f(their group alone), an upper bound on their cut, and the search
    /// ends when that falls to the best so far, after `maximumCuts` cuts, or when `shouldStop` says so.
    /// The result is rounded down by the arithmetic margin.
    public func bound(from: Double, maximumCuts: Int = 4_000, shouldStop: () -> Bool = { false }) -> Double {
        var candidates: [(estimate: Double, members: [Int])] = []
        for members in graph.colocationSets {
            if members.count > 1 {
                candidates.append((graph.stageCost(of: members), members))
            } else {
                let node = members[0]
                var estimate = graph.nodes[node].work + (graph.successors[node].isEmpty ? 0 : graph.nodes[node].comm)
                for producer in Set(graph.predecessors[node]) { estimate += graph.nodes[producer].comm }
                candidates.append((estimate, members))
            }
        }
        candidates.sort { $0.estimate > $1.estimate || ($0.estimate == $1.estimate && $0.members[0] < $1.members[0]) }
        var best = from
        for (index, candidate) in candidates.enumerated() {
            guard index < maximumCuts, candidate.estimate > best, !shouldStop() else { break }
            best = Swift.max(best, SafeRounding.roundDown(leastCost(holding: candidate.members), relative: SafeRounding.arithmeticMargin))
        }
        return best
    }
}
