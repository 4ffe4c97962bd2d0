import PipeGraph
import PipeTestSupport

/// Seeded random-DAG options shared by the tests: communication, memory caps and groups all switched on.
enum TestGraphs {
    /// Options for instance `seed`: comm always, a memory cap on about half, groups on about half.
    static func options(seed: UInt64) -> RandomGraphs.Options {
        var options = RandomGraphs.Options()
        options.edgeProbability = [0.2, 0.35, 0.5][Int(seed % 3)]
        options.commRange = 0...6
        if seed % 2 == 0 {
            options.memoryRange = 0...10
            options.memoryCapFraction = [0.3, 0.45, 0.6][Int(seed / 2 % 3)]
        }
        if seed % 4 >= 2 { options.groupProbability = 0.3 }
        // Every fourth grouped instance has groups that are not convex as given (closed under paths).
        if seed % 8 == 3 { options.allowNonConvexGroups = true }
        return options
    }

    /// The least bottleneck over all cuts of `order` into at most `stageCount` contiguous segments, by enumeration.
    static func bruteForceSlicing(_ graph: ComputationGraph, order: [Int], stageCount: Int) -> Double? {
        var best: Double? = nil
        var ends: [Int] = []
        func choose(from start: Int) {
            if ends.count == stageCount - 1 {
                let partition = Partition(order: order, segmentEnds: ends + [order.count], stageCount: stageCount)
                guard graph.isValid(partition) else { return }
                let value = graph.bottleneck(of: partition)
                if best == nil || value < best! { best = value }
                return
            }
            for end in start...order.count {
                ends.append(end)
                choose(from: end)
                ends.removeLast()
            }
        }
        choose(from: 0)
        return best
    }
}
