import PipeGraph

/// Large-neighbourhood search on the bottleneck (docs/partitioning.md, "Large-neighbourhood search"):
/// every stage boundary stays fixed except those inside a window of consecutive stages around a
/// costliest stage, and the window is re-partitioned, exactly by the DP over its ideals
/// (``WindowIdealDP``) while they are few, otherwise by the slicing DP over perturbed orders of its
/// units (``WindowSlicer``). A new split is taken only when its largest stage is below the window's
/// old largest, which was the bottleneck: the sorted vector of stage costs then drops
/// lexicographically (one fewer stage at the bottleneck, or a lower bottleneck), so plateaus of
/// several equal stages are left one stage at a time. Windows grow from 2 stages to
/// ``Settings/widestWindow`` while none helps, and shrink back to 2 after each improvement; when no
/// width helps, the number of orders per window doubles (up to ``Settings/mostOrdersPerWindow``) and
/// the widths are tried again, so a run with time to spare samples each window more densely; the
/// exact window DP's limits grow fourfold at the same time.
public enum BottleneckNeighbourhood {
    /// How far the search goes.
    public struct Settings: Sendable {
        /// The most stages a window spans (a window of all k stages makes the search exact when its ideals fit).
        public var widestWindow = 6
        /// The most ideals the exact window DP lists before the window falls back to orders.
        public var idealLimit = 5_000
        /// The most (J, I) pairs the exact window DP visits before it falls back to orders.
        public var transitionLimit = 200_000
        /// Perturbed orders sliced per window when the exact DP does not fit.
        public var ordersPerWindow = 6
        /// The most orders per window after doubling.
        public var mostOrdersPerWindow = 96
        /// The most ideals and transitions of the exact window DP after growing (×4 each time the orders double).
        public var mostIdeals = 500_000
        public var mostTransitions = 20_000_000
        /// The most improvements taken (each lowers the sorted cost vector, so the search ends anyway; this bounds it without a time limit).
        public var improvementLimit = 10_000

        public init() {}
    }

    /// Improves `partition` (valid for `graph`; returned unchanged otherwise) and returns a valid
    /// partition whose bottleneck is at most the original's. Deterministic for a seed; `shouldStop`
    /// is polled inside every window search, and the best partition so far is returned when it says stop.
    public static func improve(_ partition: Partition, in graph: ComputationGraph, settings: Settings = Settings(),
                               seed: UInt64 = 1, shouldStop: (@Sendable () -> Bool)? = nil) -> Partition {
        let stageCount = partition.stageCount
        guard stageCount >= 2, graph.isValid(partition) else { return partition }
        var current = partition
        var costs = graph.stageLoads(of: current).map(\.cost)
        let stage = GrowingStage(graph: graph)
        var scratch = [Int](repeating: -1, count: graph.nodeCount)
        var random = SeededGenerator(seed: seed ^ 0xB077_1E4E_C4)
        let widest = min(stageCount, max(2, settings.widestWindow))
        var width = 2
        var improvements = 0
        var settings = settings
        do {
            search: while improvements < settings.improvementLimit {
                if width > widest {
                    guard settings.ordersPerWindow < settings.mostOrdersPerWindow else { break }
                    settings.ordersPerWindow = min(2 * settings.ordersPerWindow, settings.mostOrdersPerWindow)
                    // The exact window DP gets more room too: windows it gave up on may now fit.
                    settings.idealLimit = min(4 * settings.idealLimit, max(settings.idealLimit, settings.mostIdeals))
                    settings.transitionLimit = min(4 * settings.transitionLimit, max(settings.transitionLimit, settings.mostTransitions))
                    width = 2
                }
                if shouldStop?() == true { break }
                let top = costs.max() ?? 0
                for bottleneck in costs.indices where costs[bottleneck] >= top {
                    for first in max(0, bottleneck - width + 1)...min(bottleneck, stageCount - width) {
                        let last = first + width - 1
                        let window = StageWindow(graph: graph, stageOf: current.stageOf, first: first, last: last, unitOfNode: &scratch)
                        guard let split = try resplit(window, graph: graph, stage: stage, costs: costs, settings: settings,
                                                      random: &random, shouldStop: shouldStop) else { continue }
                        var next = current
                        for (unit, offset) in split.enumerated() {
                            for node in window.unitMembers[unit] { next.stageOf[node] = first + offset }
                        }
                        let nextCosts = graph.stageLoads(of: next).map(\.cost)
                        // Re-costed from scratch: taken only if the window's largest stage really dropped.
                        guard nextCosts[first...last].max()! < costs[first...last].max()!, graph.isValid(next) else { continue }
                        current = next
                        costs = nextCosts
                        improvements += 1
                        width = 2
                        continue search
                    }
                }
                width += 1
            }
        } catch {
            // Stopped: the current partition is valid and no worse than the one given.
        }
        return current
    }

    /// A better split of `window` (each unit's stage offset), or nil when none was found.
    private static func resplit(_ window: StageWindow, graph: ComputationGraph, stage: GrowingStage, costs: [Double],
                                settings: Settings, random: inout SeededGenerator,
                                shouldStop: (@Sendable () -> Bool)?) throws -> [Int]? {
        let windowMax = costs[window.first...window.last].max() ?? 0
        // A relative margin: an improvement lost in the last bits of the sums is no improvement.
        let limit = windowMax * (1 - 1e-9)
        switch try WindowIdealDP.solve(window, graph: graph, stage: stage, below: limit, idealLimit: settings.idealLimit,
                                       transitionLimit: settings.transitionLimit, shouldStop: shouldStop) {
        case let .better(unitStage, _): return unitStage
        case .noBetter: return nil
        case .tooLarge: break
        }
        let slicer = WindowSlicer(window: window, graph: graph, stage: stage)
        for attempt in 0..<settings.ordersPerWindow {
            let spread = spreads[attempt % spreads.count]
            let order = slicer.order(spread: spread, random: &random)
            if let found = try slicer.slice(order, below: limit, shouldStop: shouldStop) { return found.unitStage }
        }
        return nil
    }

    /// The noise added to the stage keys of successive orders: from a nudge across one boundary to a
    /// shuffle of the whole window.
    static let spreads: [Double] = [0.5, 1.0, 0.25, 2.0, 1.5, 0.75]
}
