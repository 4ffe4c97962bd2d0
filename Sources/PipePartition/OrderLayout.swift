import PipeGraph

/// One order laid out by position, with everything the scans need in flat arrays.
struct OrderLayout {
    let order: [Int]
    let nodeCount: Int
    let work: [Double]
    let comm: [Double]
    let memory: [Double]
    let memoryCap: Double
    /// The largest position of a consumer of the node at each position (−1 when it has none).
    let lastConsumer: [Int]
    /// Predecessor positions of position p are predecessorPositions[predecessorStart[p]..<predecessorStart[p + 1]].
    let predecessorStart: [Int]
    let predecessorPositions: [Int]
    /// Whether a segment may begin or end at boundary p (0...n): no group has members on both sides.
    let boundaryAllowed: [Bool]
    /// The stamp of the scan that last counted each position's node as an outside producer.
    var countedBy: [Int]
    /// Whether some consumer may come before its producer in the order (a training graph, whose
    /// backward nodes follow their colour class): then ``extend(_:)`` counts both directions.
    let consumersMayPrecede: Bool
    /// Successor positions of position p, for ``consumersMayPrecede`` only (empty otherwise).
    let successorStart: [Int]
    let successorPositions: [Int]
    /// For a position inside the scanned segment, how many of its consumers are outside it.
    var outsideConsumers: [Int]
    var scanToken = 0

    init(graph: ComputationGraph, order: [Int]) {
        let n = order.count
        self.order = order
        nodeCount = n
        var position = [Int](repeating: 0, count: n)
        for (index, node) in order.enumerated() { position[node] = index }
        work = order.map { graph.nodes[$0].work }
        comm = order.map { graph.nodes[$0].comm }
        memory = order.map { graph.nodes[$0].memory }
        memoryCap = graph.stageMemory ?? .infinity
        var last = [Int](repeating: -1, count: n)
        var starts = [Int](repeating: 0, count: n + 1)
        var positions: [Int] = []
        positions.reserveCapacity(graph.edgeCount)
        for (index, node) in order.enumerated() {
            starts[index] = positions.count
            for producer in graph.predecessors[node] {
                let producerPosition = position[producer]
                positions.append(producerPosition)
                // Positions grow along the order, so the last visit is the last consumer.
                last[producerPosition] = index
            }
        }
        lastConsumer = last
        starts[n] = positions.count
        predecessorStart = starts
        predecessorPositions = positions
        // A group spanning positions first...last forbids the boundaries first+1...last.
        var forbiddenDelta = [Int](repeating: 0, count: n + 2)
        for members in graph.groupMembers where members.count > 1 {
            let positions = members.map { position[$0] }
            guard let first = positions.min(), let last = positions.max() else { continue }
            forbiddenDelta[first + 1] += 1
            forbiddenDelta[last + 1] -= 1
        }
        var allowed = [Bool](repeating: true, count: n + 1)
        var open = 0
        for boundary in 0...n {
            open += forbiddenDelta[boundary]
            allowed[boundary] = open == 0
        }
        boundaryAllowed = allowed
        countedBy = [Int](repeating: -1, count: n)
        consumersMayPrecede = graph.isTraining
        var successorStart = [Int](repeating: 0, count: graph.isTraining ? n + 1 : 0)
        var successorPositions: [Int] = []
        if graph.isTraining {
            for (index, node) in order.enumerated() {
                successorStart[index] = successorPositions.count
                successorPositions.append(contentsOf: graph.successors[node].map { position[$0] })
            }
            successorStart[n] = successorPositions.count
        }
        self.successorStart = successorStart
        self.successorPositions = successorPositions
        outsideConsumers = [Int](repeating: 0, count: graph.isTraining ? n : 0)
    }

    /// The fewest segments that respect memory and groups (greedy farthest boundary is optimal because
    /// memory only grows with a segment), or nil when some stretch between allowed boundaries is over the cap.
    func fewestSegments() -> Int? {
        var start = 0
        var segments = 0
        while start < nodeCount {
            var used = 0.0
            var farthest = -1
            var end = start
            while end < nodeCount {
                used += memory[end]
                if used > memoryCap { break }
                end += 1
                if boundaryAllowed[end] { farthest = end }
            }
            guard farthest > start else { return nil }
            segments += 1
            start = farthest
        }
        return segments
    }

    /// The bottleneck of the greedy slicing that ends each segment at the farthest allowed boundary with
    /// cost ≤ `limit`; nil when it needs more than `stageCount` segments or gets stuck. Not exact
    /// (f is not monotone), only a cheap upper bound.
    mutating func greedyBottleneck(limit: Double, stageCount: Int) -> Double? {
        var start = 0
        var segments = 0
        var bottleneck = 0.0
        while start < nodeCount {
            guard segments < stageCount else { return nil }
            var bestEnd = -1
            var bestCost = 0.0
            var scan = SegmentScan(start: start, token: nextToken())
            while scan.end < nodeCount {
                guard extend(&scan) else { break }
                if scan.work > limit { break }
                if boundaryAllowed[scan.end] && scan.cost <= limit {
                    bestEnd = scan.end
                    bestCost = scan.cost
                }
            }
            guard bestEnd > start else { return nil }
            bottleneck = max(bottleneck, bestCost)
            segments += 1
            start = bestEnd
        }
        return bottleneck
    }

    /// An upper bound on the optimal slicing: the best greedy slicing over a bisection on the limit.
    /// Requires a feasible order (`fewestSegments() ≤ stageCount`), for which the limit ∞ always succeeds.
    mutating func greedyUpperBound(stageCount: Int) -> Double {
        guard var best = greedyBottleneck(limit: .infinity, stageCount: stageCount) else { return .infinity }
        let totalWork = work.reduce(0, +)
        var low = max(work.max() ?? 0, totalWork / Double(stageCount))
        var high = best
        for _ in 0..<60 where high - low > 1e-4 * high {
            let middle = (low + high) / 2
            if let found = greedyBottleneck(limit: middle, stageCount: stageCount) {
                best = min(best, found)
                high = found
            } else {
                low = middle
            }
        }
        return best
    }

    mutating func nextToken() -> Int {
        scanToken += 1
        return scanToken
    }

    /// The exact DP restricted to windows with work and cost ≤ `upperBound` (plus slack).
    mutating func optimalSlicing(stageCount k: Int, upperBound: Double) -> Slicing? {
        let n = nodeCount
        let limit = upperBound.isFinite ? upperBound * (1 + OrderSlicer.upperBoundSlack) + 1e-12 : .infinity
        let width = k + 1
        // best[p * width + s]: least bottleneck covering positions 0..<p with at most s segments.
        var best = [Double](repeating: .infinity, count: (n + 1) * width)
        // from[p * width + s]: start of the last segment, or −1 when s − 1 segments already suffice.
        var from = [Int32](repeating: -1, count: (n + 1) * width)
        // A boundary with remaining work R can follow at most k − ⌈R / limit⌉ segments: every later
        // segment has work ≤ cost ≤ limit. This keeps each start to a narrow band of segment counts.
        var mostUsed = [Int](repeating: k, count: n + 1)
        if limit.isFinite {
            var remaining = 0.0
            for boundary in stride(from: n, through: 0, by: -1) {
                if boundary < n { remaining += work[boundary] }
                let needed = (remaining * (1 - 1e-9) / limit).rounded(.up)
                mostUsed[boundary] = needed > Double(k) ? -1 : k - Int(needed)
            }
        }
        best[0] = 0
        best.withUnsafeMutableBufferPointer { best in
            from.withUnsafeMutableBufferPointer { from in
                for start in 0..<n where boundaryAllowed[start] {
                    let row = start * width
                    Self.allowFewerSegments(best, from, row: row, width: width)
                    let lastUsable = min(k - 1, mostUsed[start])
                    guard lastUsable >= 0, best[row + lastUsable].isFinite, best[row + lastUsable] <= limit else { continue }
                    var firstUsable = 0
                    while !best[row + firstUsable].isFinite { firstUsable += 1 }
                    var scan = SegmentScan(start: start, token: nextToken())
                    while scan.end < n {
                        guard extend(&scan), scan.work <= limit else { break }
                        let cost = scan.cost
                        guard boundaryAllowed[scan.end], cost <= limit else { continue }
                        let target = scan.end * width
                        let lastSegments = min(lastUsable, mostUsed[scan.end] - 1)
                        guard firstUsable <= lastSegments else { continue }
                        for segments in firstUsable...lastSegments {
                            let candidate = max(best[row + segments], cost)
                            if candidate < best[target + segments + 1] {
                                best[target + segments + 1] = candidate
                                from[target + segments + 1] = Int32(start)
                            }
                        }
                    }
                }
                Self.allowFewerSegments(best, from, row: n * width, width: width)
            }
        }
        guard best[n * width + k].isFinite else { return nil }
        // Walk back from (n, k); each real segment gets the next stage index from the end.
        var ends: [Int] = []
        var position = n
        var segments = k
        while position > 0 {
            let start = Int(from[position * width + segments])
            if start < 0 {
                segments -= 1
                continue
            }
            ends.append(position)
            position = start
            segments -= 1
        }
        ends.reverse()
        while ends.count < k { ends.append(n) }
        return Slicing(order: order, segmentEnds: ends, bottleneck: best[n * width + k])
    }

    /// best[p][s] ← min(best[p][s], best[p][s−1]): "at most s segments".
    private static func allowFewerSegments(_ best: UnsafeMutableBufferPointer<Double>, _ from: UnsafeMutableBufferPointer<Int32>,
                                           row: Int, width: Int) {
        for segments in 1..<width where best[row + segments - 1] < best[row + segments] {
            best[row + segments] = best[row + segments - 1]
            from[row + segments] = -1
        }
    }
}

/// f(π[start..<end)) of one scan, maintained by ``OrderLayout/extend(_:)`` while `end` grows.
struct SegmentScan {
    let start: Int
    let token: Int
    var end: Int
    var work = 0.0
    var commIn = 0.0
    var commOut = 0.0
    var memory = 0.0

    init(start: Int, token: Int) {
        self.start = start
        self.token = token
        end = start
    }

    var cost: Double { work + commIn + commOut }
}

extension OrderLayout {
    /// Adds position `scan.end` to the segment; false (and the scan must stop) when memory would exceed the cap.
    @inline(__always)
    mutating func extend(_ scan: inout SegmentScan) -> Bool {
        if consumersMayPrecede { return extendInAnyOrder(&scan) }
        let added = scan.end
        scan.memory += memory[added]
        if scan.memory > memoryCap { return false }
        scan.work += work[added]
        for edge in predecessorStart[added]..<predecessorStart[added + 1] {
            let producer = predecessorPositions[edge]
            if producer < scan.start {
                // An outside producer is paid once per segment.
                if countedBy[producer] != scan.token {
                    countedBy[producer] = scan.token
                    scan.commIn += comm[producer]
                }
            } else if lastConsumer[producer] == added {
                // Its last consumer joined the segment: the producer no longer sends anything out.
                scan.commOut -= comm[producer]
            }
        }
        if lastConsumer[added] > added { scan.commOut += comm[added] }
        scan.end += 1
        return true
    }

    /// ``extend(_:)`` for orders in which a consumer may come before its producer (training graphs):
    /// producers are paid in once while outside (before the segment or after its end), and a node
    /// sends out while some consumer is outside the segment.
    mutating func extendInAnyOrder(_ scan: inout SegmentScan) -> Bool {
        let added = scan.end
        scan.memory += memory[added]
        if scan.memory > memoryCap { return false }
        scan.work += work[added]
        for edge in predecessorStart[added]..<predecessorStart[added + 1] {
            let producer = predecessorPositions[edge]
            if producer >= scan.start && producer < added {
                outsideConsumers[producer] -= 1
                if outsideConsumers[producer] == 0 { scan.commOut -= comm[producer] }
            } else if countedBy[producer] != scan.token {
                countedBy[producer] = scan.token
                scan.commIn += comm[producer]
            }
        }
        // A consumer already inside paid this node in; it is no longer outside.
        var outside = 0
        for edge in successorStart[added]..<successorStart[added + 1] {
            let consumer = successorPositions[edge]
            if consumer < scan.start || consumer > added { outside += 1 }
        }
        if countedBy[added] == scan.token { scan.commIn -= comm[added] }
        outsideConsumers[added] = outside
        if outside > 0 { scan.commOut += comm[added] }
        scan.end += 1
        return true
    }
}
