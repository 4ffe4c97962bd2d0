import PipeGraph

/// The path-segment cuts: the stages cut any path of the graph into at most k runs of consecutive
/// nodes, and each run lies in one stage, which costs at least the least f(S) over node sets S holding
/// the run, every node on a path between its ends (stages are convex) and their groups: a minimum cut
/// (``ContainingStageBound/leastCost(holding:)``). If no way to cut the path into k runs keeps every
/// run's least cost at most T, no partition has bottleneck ≤ T. See docs/formulations.md, "Path-segment cuts".
///
/// Where the containing-stage cuts see one node's surroundings, this sees how much of a long path one
/// stage can hold at T: on comm-heavy graphs at large k, a run of a few nodes already pays the comm of
/// everything that feeds or reads it.
public struct PathSegmentBound: Sendable {
    private let graph: ComputationGraph
    private let cuts: ContainingStageBound

    /// Prepares the minimum-cut network of f for `graph` (not for training graphs, whose stages need not be convex).
    public init(graph: ComputationGraph) {
        self.graph = graph
        cuts = ContainingStageBound(graph: graph)
    }

    /// The paths tried: the heaviest by node count, by work, and by work plus twice the comm (a stage
    /// pays a producer's comm out and a consumer's in), without repeats. (Eight paths, through the nodes
    /// where the last kind is heaviest, raised no bound of the wide test bed further.)
    public var paths: [[Int]] {
        let weights: [(Int) -> Double] = [
            { _ in 1 },
            { self.graph.nodes[$0].work },
            { self.graph.nodes[$0].work + 2 * self.graph.nodes[$0].comm },
        ]
        var found: [[Int]] = []
        for weight in weights {
            let path = heaviestPath(weight: weight)
            if path.count > 1, !found.contains(path) { found.append(path) }
        }
        return found
    }

    /// The heaviest path by `weight` (ties: the first consumer in the graph's order, the first start in
    /// topological order).
    private func heaviestPath(weight: (Int) -> Double) -> [Int] {
        var best = [Double](repeating: 0, count: graph.nodeCount)
        var next = [Int](repeating: -1, count: graph.nodeCount)
        for node in graph.topologicalOrder.reversed() {
            var tail = 0.0
            for consumer in graph.successors[node] where next[node] < 0 || best[consumer] > tail {
                tail = best[consumer]
                next[node] = consumer
            }
            best[node] = weight(node) + tail
        }
        var start = -1
        for node in graph.topologicalOrder where start < 0 || best[node] > best[start] { start = node }
        guard start >= 0 else { return [] }
        var path = [start]
        while next[path[path.count - 1]] >= 0 { path.append(next[path[path.count - 1]]) }
        return path
    }

    /// The least cost of a stage holding `path[first...last]`, every node on a path between them (its
    /// convex hull) and their groups (a lower bound, rounded down).
    func leastCost(of path: [Int], from first: Int, to last: Int) -> Double {
        var held = Set(graph.convexHull(of: Array(path[first...last])))
        for node in Array(held) {
            if let group = graph.groupOf[node] { held.formUnion(graph.groupMembers[group]) }
        }
        return cuts.leastCost(holding: held.sorted())
    }

    /// Whether `path` needs more than `stageCount` runs of least cost ≤ `bottleneck` (then no partition
    /// has bottleneck ≤ `bottleneck`), and otherwise the largest least cost of the runs taken (the check
    /// gives the same answer at that value); nil when `shouldStop` said so first. Greedy: each run as long
    /// as it may be (the least cost only grows with the run), found by galloping, then bisection.
    public func needsMoreStages(path: [Int], bottleneck: Double, stageCount: Int,
                                shouldStop: () -> Bool) -> (needsMore: Bool, largestRun: Double)? {
        needsMoreStages(path: path, bottleneck: bottleneck, stageCount: stageCount, costs: RunCosts(), shouldStop: shouldStop)
    }

    /// The least costs of the runs of one path found so far, by first × path length + last (the bisection
    /// on T asks for the same runs again).
    final class RunCosts {
        var cost: [Int: Double] = [:]
    }

    private func needsMoreStages(path: [Int], bottleneck: Double, stageCount: Int, costs: RunCosts,
                                 shouldStop: () -> Bool) -> (needsMore: Bool, largestRun: Double)? {
        var first = 0
        var runs = 0
        var largestRun = 0.0
        while first < path.count {
            if shouldStop() { return nil }
            runs += 1
            if runs > stageCount { return (true, largestRun) }
            let cost = { (last: Int) -> Double in
                let key = first * path.count + last
                if let known = costs.cost[key] { return known }
                let value = self.leastCost(of: path, from: first, to: last)
                costs.cost[key] = value
                return value
            }
            var fitting = cost(first)
            guard fitting <= bottleneck else { return (true, largestRun) }
            // The least cost of a run is monotone in its end: the last end that stays within the bottleneck.
            var low = first
            var step = 1
            var high = path.count - 1
            while low < high {
                if shouldStop() { return nil }
                let probe = Swift.min(low + step, high)
                let probeCost = cost(probe)
                if probeCost <= bottleneck {
                    (low, fitting) = (probe, probeCost)
                    step *= 2
                } else {
                    high = probe - 1
                    break
                }
            }
            while low < high {
                if shouldStop() { return nil }
                let middle = (low + high + 1) / 2
                let middleCost = cost(middle)
                if middleCost <= bottleneck { (low, fitting) = (middle, middleCost) } else { high = middle - 1 }
            }
            largestRun = Swift.max(largestRun, fitting)
            first = low + 1
        }
        return (false, largestRun)
    }

    /// The best bound from `from` (a proven lower bound) below `ceiling` (an upper bound): bisection on T
    /// over every path in ``paths``, ending at a relative resolution of `resolution` or when `shouldStop`
    /// says so. The result is rounded down by the arithmetic margin.
    public func bound(from: Double, ceiling: Double, stageCount: Int, resolution: Double = 1e-3,
                      shouldStop: () -> Bool = { false }) -> Double {
        guard !graph.isTraining, ceiling.isFinite, ceiling > from else { return from }
        var best = from
        for path in paths where path.count > stageCount {
            var low = best
            var high = ceiling
            let costs = RunCosts()
            // The bound so far first: a path that cannot rule out even that value rules out nothing higher.
            guard needsMoreStages(path: path, bottleneck: low, stageCount: stageCount, costs: costs,
                                  shouldStop: shouldStop)?.needsMore == true else { continue }
            while high - low > resolution * high {
                let middle = (low + high) / 2
                guard let answer = needsMoreStages(path: path, bottleneck: middle, stageCount: stageCount, costs: costs,
                                                   shouldStop: shouldStop) else { break }
                // Where k runs suffice, they also suffice at their largest cost, which may be well below T.
                if answer.needsMore { low = middle } else { high = Swift.max(low, Swift.min(middle, answer.largestRun)) }
            }
            best = Swift.max(best, SafeRounding.roundDown(low, relative: SafeRounding.arithmeticMargin))
        }
        return best
    }
}
