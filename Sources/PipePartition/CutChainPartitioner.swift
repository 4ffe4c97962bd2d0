import PipeGraph

/// Partitions a graph by choosing its stage boundaries among cheap cuts (docs/partitioning.md, "Cut chain").
///
/// On communication-heavy graphs a stage pays the comm of both boundaries it touches, so where the
/// boundaries run matters as much as how the work is balanced; the slicing DP cuts one order at a time
/// and the local moves shift a few nodes. This method lays the units out in breadth-first order and, for
/// bands of that order (a window of work around each point of a grid), finds by a minimum cut the ideal
/// whose boundary costs least: everything before the band inside, everything after it outside, the band's
/// nodes on either side, groups whole. A DP then picks a nested chain of at most k of these ideals that
/// minimises the bottleneck, each stage costed with f and checked against the memory cap.
public enum CutChainPartitioner {
    /// The band half-widths, as fractions of W/k: each gives one family of nested candidate ideals.
    static let bandFractions: [Double] = [0.25, 0.5, 1.0]

    /// The best partition of `graph` into at most `stageCount` stages whose boundaries are candidate
    /// ideals; nil when no chain of them respects the memory cap. The boundaries of the slicing DP's
    /// partition of the same breadth-first order are candidates too, and so are those of `incumbent`
    /// when given, so the result is never worse than either: the DP keeps the boundaries of theirs that
    /// it cannot better and replaces the others by cheaper cuts. `shouldStop` is asked before every
    /// minimum cut (the DP then runs on the candidates found so far). Training graphs are not handled.
    public static func partition(_ graph: ComputationGraph, stageCount: Int, around incumbent: Partition? = nil,
                                 shouldStop: (@Sendable () -> Bool)? = nil) -> Partition? {
        guard !graph.isTraining, stageCount >= 1, graph.nodeCount > 0 else { return nil }
        let slicing = OrderSlicer(graph: graph, stageCount: stageCount).slice(TopologicalOrders.breadthFirst(graph))?.partition
        let known = [slicing, incumbent].compactMap { $0 }
        let candidates = candidateIdeals(graph, stageCount: stageCount, including: known, shouldStop: shouldStop ?? { false })
        return bestChain(graph, stageCount: stageCount, candidates: candidates,
                         ceiling: known.map { graph.bottleneck(of: $0) }.min() ?? .infinity)
    }

    /// ``partition(_:stageCount:around:shouldStop:)`` polished by boundary moves (``BoundaryMoves``): the
    /// `cut-chain` method's partition.
    public static func polishedPartition(_ graph: ComputationGraph, stageCount: Int, around incumbent: Partition? = nil,
                                         shouldStop: (@Sendable () -> Bool)? = nil) -> Partition? {
        partition(graph, stageCount: stageCount, around: incumbent, shouldStop: shouldStop).map { BoundaryMoves.improve($0, in: graph) }
    }

    /// `partition`, or better: the polished chain around it, which keeps the boundaries it cannot better and
    /// replaces the others, so a search stalled at one costly stage can move on. Both are costed with f, so the
    /// result never costs more than `partition`.
    public static func improve(_ partition: Partition, in graph: ComputationGraph,
                               shouldStop: (@Sendable () -> Bool)? = nil) -> Partition {
        guard let chain = polishedPartition(graph, stageCount: partition.stageCount, around: partition, shouldStop: shouldStop),
              graph.bottleneck(of: chain) < graph.bottleneck(of: partition) else { return partition }
        return chain
    }

    /// The nodes laid out for the bands: each node's position is the work up to the end of its unit in
    /// breadth-first order. Positions never fall along an edge and are equal inside a unit, so
    /// {position ≤ x} is an ideal that holds groups whole, and {position > x} the rest. Zero-work graphs
    /// count nodes instead.
    struct Layout {
        /// The position of each node.
        var position: [Double]
        /// The nodes by ascending position (ties: breadth-first order).
        var byPosition: [Int]
        /// The largest position: W, or n on a zero-work graph.
        var total: Double

        init(_ graph: ComputationGraph) {
            let units = TopologicalOrders.orderUnits(graph)
            let order = TopologicalOrders.breadthFirst(units)
            let countsNodes = graph.totalWork <= 0
            var unitEnd = [Double](repeating: 0, count: units.unitCount)
            var total = 0.0
            for node in order {
                total += countsNodes ? 1 : graph.nodes[node].work
                unitEnd[units.unitOf[node]] = total
            }
            position = graph.nodes.indices.map { unitEnd[units.unitOf[$0]] }
            // The breadth-first order lists a unit's members together and the units in order of their ends.
            byPosition = order
            self.total = total
        }

        /// The index in ``byPosition`` of the first node with position above `value`.
        func firstAbove(_ value: Double) -> Int {
            var (low, high) = (0, byPosition.count)
            while low < high {
                let middle = (low + high) / 2
                if position[byPosition[middle]] > value { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }

    /// A candidate boundary: an ideal as a bit set, with its work and size for sorting.
    struct Ideal {
        var bits: [UInt64]
        var work: Double
        var size: Int

        init(nodeCount: Int) {
            bits = [UInt64](repeating: 0, count: (nodeCount + 63) / 64)
            work = 0
            size = 0
        }

        /// The nodes of `graph` for which `inside` holds.
        init(_ graph: ComputationGraph, where inside: (Int) -> Bool) {
            self.init(nodeCount: graph.nodeCount)
            for node in 0..<graph.nodeCount where inside(node) { insert(node, work: graph.nodes[node].work) }
        }

        mutating func insert(_ node: Int, work nodeWork: Double) {
            bits[node >> 6] |= 1 << UInt64(node & 63)
            work += nodeWork
            size += 1
        }

        func contains(_ other: Ideal) -> Bool {
            zip(bits, other.bits).allSatisfy { $0 & $1 == $1 }
        }
    }

    /// ∅, V, the unions of the first stages of each of `partitions`, and per band family and grid point
    /// the least-comm ideal of the band; duplicates removed, sorted by work.
    static func candidateIdeals(_ graph: ComputationGraph, stageCount: Int, including partitions: [Partition],
                                shouldStop: () -> Bool) -> [Ideal] {
        let nodeCount = graph.nodeCount
        let layout = Layout(graph)
        var found = [Ideal(graph) { _ in false }, Ideal(graph) { _ in true }]
        for partition in partitions {
            found += (0..<partition.stageCount - 1).map { stage in Ideal(graph) { partition.stageOf[$0] <= stage } }
        }
        var seen = Set<[UInt64]>()
        found = found.filter { seen.insert($0.bits).inserted }
        // A grid of 16k points (128 to 1,024); the first pass takes every fourth, so that a stop leaves
        // a coarse grid rather than a fine one over part of the graph.
        let fineCount = min(1_024, max(128, 16 * stageCount))
        // Bands wider than a quarter of the graph find the same few cheapest cuts from every point (k ≤ 4).
        let halfWidths = Set(bandFractions.map { min($0 * layout.total / Double(stageCount), layout.total / 8) }).sorted()
        let largestComm = graph.nodes.reduce(0.0) { max($0, $1.comm) }
        let scale = largestComm > 0 ? 1e12 / largestComm : 0
        var scratch = BandScratch(nodeCount: nodeCount)
        search: for coarse in [true, false] {
            for halfWidth in halfWidths {
                // The forced-in prefix grows with the grid point: one sweep per pass and band width.
                var prefix = Ideal(nodeCount: nodeCount)
                var swept = 0
                for point in 1..<fineCount where (point % 4 == 0) == coarse {
                    if shouldStop() { break search }
                    let centre = layout.total * Double(point) / Double(fineCount)
                    let first = layout.firstAbove(centre - halfWidth)
                    while swept < first {
                        prefix.insert(layout.byPosition[swept], work: graph.nodes[layout.byPosition[swept]].work)
                        swept += 1
                    }
                    guard let inside = leastCommIdeal(graph, layout: layout, free: first..<layout.firstAbove(centre + halfWidth),
                                                      scale: scale, scratch: &scratch, shouldStop: shouldStop)
                    else { break search }
                    var candidate = prefix
                    for node in inside { candidate.insert(node, work: graph.nodes[node].work) }
                    if seen.insert(candidate.bits).inserted { found.append(candidate) }
                }
            }
        }
        return found.sorted { ($0.work, $0.size) < ($1.work, $1.size) }
    }

    /// Per-node scratch space of ``leastCommIdeal``, reused across bands.
    struct BandScratch {
        /// The flow node of each free node; -1 for the others.
        var flowNode: [Int]
        /// The band that last handled each node as a producer.
        var producerMark: [Int]
        var band = 0

        init(nodeCount: Int) {
            flowNode = [Int](repeating: -1, count: nodeCount)
            producerMark = [Int](repeating: -1, count: nodeCount)
        }
    }

    /// The free nodes of the least-comm ideal J of a band: J holds every node before the band
    /// (``Layout/byPosition`` below `free`), none after it, groups whole, and its producers with a consumer
    /// outside J have the least comm. A minimum cut (source side = J) on the band's nodes and the producers
    /// that feed them, the smallest such J. Nil when `shouldStop` asks to stop.
    static func leastCommIdeal(_ graph: ComputationGraph, layout: Layout, free: Range<Int>, scale: Double,
                               scratch: inout BandScratch, shouldStop: () -> Bool) -> [Int]? {
        guard !free.isEmpty else { return [] }
        scratch.band += 1
        var network = MaxFlow()
        for index in free { scratch.flowNode[layout.byPosition[index]] = network.addNode() }
        defer { for index in free { scratch.flowNode[layout.byPosition[index]] = -1 } }
        let flowNode = scratch.flowNode
        let bandStart = layout.position[layout.byPosition[free.lowerBound]]
        // A node outside the band lies before it (the source: inside J) or after it (the sink).
        func side(_ node: Int) -> Int {
            flowNode[node] >= 0 ? flowNode[node] : layout.position[node] < bandStart ? MaxFlow.source : MaxFlow.sink
        }
        func addProducer(_ producer: Int) {
            guard scratch.producerMark[producer] != scratch.band else { return }
            scratch.producerMark[producer] = scratch.band
            let from = side(producer)
            let consumers = graph.successors[producer]
            let capacity = Int64((graph.nodes[producer].comm * scale).rounded(.down))
            // Inside, with every consumer forced inside: never pays. With one forced outside: pays when inside.
            if consumers.allSatisfy({ side($0) == MaxFlow.source }) { return }
            if consumers.contains(where: { side($0) == MaxFlow.sink }) {
                if from != MaxFlow.source { network.addArc(from: from, to: MaxFlow.sink, capacity: capacity) }
                return
            }
            // Pays when inside and some free consumer is outside: the arc into `pays` is cut then.
            let pays = network.addNode()
            network.addArc(from: from, to: pays, capacity: capacity)
            for consumer in consumers where flowNode[consumer] >= 0 {
                network.addArc(from: pays, to: flowNode[consumer], capacity: MaxFlow.infinite)
            }
        }
        for index in free {
            let node = layout.byPosition[index]
            addProducer(node)
            for producer in graph.predecessors[node] {
                // An ideal: a node inside holds its producers (none of them lies after the band).
                if flowNode[producer] >= 0 {
                    network.addArc(from: flowNode[node], to: flowNode[producer], capacity: MaxFlow.infinite)
                } else {
                    addProducer(producer)
                }
            }
            if let group = graph.groupOf[node], graph.groupMembers[group][0] != node {
                // A unit lies wholly inside or outside the band: tie every member to the first.
                let first = flowNode[graph.groupMembers[group][0]]
                network.addArc(from: flowNode[node], to: first, capacity: MaxFlow.infinite)
                network.addArc(from: first, to: flowNode[node], capacity: MaxFlow.infinite)
            }
        }
        guard network.maximumFlow(shouldStop: shouldStop) != nil else { return nil }
        let reached = network.sourceSide()
        return free.map { layout.byPosition[$0] }.filter { reached[flowNode[$0]] }
    }

    /// The least-bottleneck chain ∅ = J₀ ⊂ J₁ ⊂ … ⊂ J_m = V of candidates with m ≤ k, stage b = J_{b+1} ∖ J_b;
    /// nil when none respects the memory cap. Pairs whose work difference passes `ceiling` (a known
    /// partition's bottleneck) are not costed: such a stage cannot beat it.
    static func bestChain(_ graph: ComputationGraph, stageCount: Int, candidates: [Ideal], ceiling: Double) -> Partition? {
        let count = candidates.count
        guard count >= 2 else { return nil }
        // stages[j]: (i, f(J_j ∖ J_i)) for every candidate J_i ⊂ J_j that makes a valid stage.
        var stages = [[(from: Int, cost: Double)]](repeating: [], count: count)
        var stageCost = NestedStageCost(graph)
        for later in 1..<count {
            var earlier = later - 1
            while earlier >= 0, candidates[later].work - candidates[earlier].work <= ceiling {
                defer { earlier -= 1 }
                guard candidates[later].size > candidates[earlier].size, candidates[later].contains(candidates[earlier]),
                      let cost = stageCost.cost(of: candidates[later], minus: candidates[earlier]) else { continue }
                stages[later].append((earlier, cost))
            }
        }
        // best[s][j]: the least bottleneck of a chain from ∅ to J_j in s stages; through[s][j] its previous candidate.
        var best = [[Double]](repeating: [Double](repeating: .infinity, count: count), count: stageCount + 1)
        var through = [[Int]](repeating: [Int](repeating: -1, count: count), count: stageCount + 1)
        best[0][0] = 0
        for stage in 1...stageCount {
            for later in 1..<count {
                for (earlier, cost) in stages[later] where best[stage - 1][earlier] < .infinity {
                    let value = max(best[stage - 1][earlier], cost)
                    if value < best[stage][later] {
                        best[stage][later] = value
                        through[stage][later] = earlier
                    }
                }
            }
        }
        let last = count - 1
        guard let used = (1...stageCount).min(by: { best[$0][last] < best[$1][last] }), best[used][last] < .infinity else { return nil }
        var chain = [last]
        var stage = used
        while stage > 0 {
            chain.append(through[stage][chain.last!])
            stage -= 1
        }
        chain.reverse()
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        for step in 1..<chain.count {
            for node in members(of: candidates[chain[step]], minus: candidates[chain[step - 1]]) { stageOf[node] = step - 1 }
        }
        return Partition(stageCount: stageCount, stageOf: stageOf)
    }

    /// f of the stage between two nested candidate ideals, without allocating: the DP costs up to a few
    /// hundred thousand of them. Inside S = outer ∖ inner a producer pays out when a consumer lies outside
    /// `outer` (none lies in `inner`, an ideal); the producers S reads lie in `inner` (`outer` is an ideal).
    /// The same terms as `ComputationGraph.stageCost(of:)`, summed in another order; the chosen chain is
    /// re-costed with that one.
    struct NestedStageCost {
        let graph: ComputationGraph
        /// The last call that counted each producer as an input.
        var counted: [Int]
        var call = 0

        init(_ graph: ComputationGraph) {
            self.graph = graph
            counted = [Int](repeating: -1, count: graph.nodeCount)
        }

        /// f(outer ∖ inner), or nil when its memory passes the cap.
        mutating func cost(of outer: Ideal, minus inner: Ideal) -> Double? {
            call += 1
            func holds(_ ideal: Ideal, _ node: Int) -> Bool { ideal.bits[node >> 6] >> UInt64(node & 63) & 1 == 1 }
            var total = 0.0
            var memory = 0.0
            for word in outer.bits.indices {
                var bits = outer.bits[word] & ~inner.bits[word]
                while bits != 0 {
                    let node = word * 64 + bits.trailingZeroBitCount
                    bits &= bits - 1
                    total += graph.nodes[node].work
                    memory += graph.nodes[node].memory
                    if graph.successors[node].contains(where: { !holds(outer, $0) }) { total += graph.nodes[node].comm }
                    for producer in graph.predecessors[node] where counted[producer] != call && holds(inner, producer) {
                        counted[producer] = call
                        total += graph.nodes[producer].comm
                    }
                }
            }
            if let cap = graph.stageMemory, memory > cap { return nil }
            return total
        }
    }

    /// The nodes of `outer` not in `inner`, ascending.
    static func members(of outer: Ideal, minus inner: Ideal) -> [Int] {
        var result = [Int]()
        for word in outer.bits.indices {
            var bits = outer.bits[word] & ~inner.bits[word]
            while bits != 0 {
                result.append(word * 64 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }
}
