import PipeBounds
import PipeGraph

/// Stage windows the repair MIPs may use: consistent with every edge and equal across each
/// colocation group, as ``PipeBounds/PrefixFormulation`` expects.
enum RepairWindows {
    /// `windows` narrowed until s(u) ≤ s(v) on every edge and groups share one window; nil when
    /// some node is left without a stage (then no valid partition fits the windows).
    static func consistent(_ windows: StageWindows, graph: ComputationGraph) -> StageWindows? {
        var earliest = windows.earliest
        var latest = windows.latest
        var changed = true
        while changed {
            changed = false
            for producer in graph.topologicalOrder {
                for consumer in graph.precedenceSuccessors[producer] where earliest[consumer] < earliest[producer] {
                    earliest[consumer] = earliest[producer]
                    changed = true
                }
            }
            for producer in graph.topologicalOrder.reversed() {
                for consumer in graph.precedenceSuccessors[producer] where latest[producer] > latest[consumer] {
                    latest[producer] = latest[consumer]
                    changed = true
                }
            }
            for members in graph.groupMembers {
                let low = members.map { earliest[$0] }.max() ?? 0
                let high = members.map { latest[$0] }.min() ?? 0
                for member in members where earliest[member] != low || latest[member] != high {
                    earliest[member] = low
                    latest[member] = high
                    changed = true
                }
            }
            if zip(earliest, latest).contains(where: { $0.0 > $0.1 }) { return nil }
        }
        return StageWindows.given(earliest: earliest, latest: latest)
    }

    /// The windows every valid partition lies in (from the memory cap alone; all stages without
    /// one); nil when the cap alone leaves some node without a stage.
    static func valid(graph: ComputationGraph, stageCount: Int, calculator: StageWindowCalculator) -> StageWindows? {
        guard graph.stageMemory != nil else { return StageWindows.unrestricted(nodeCount: graph.nodeCount, stageCount: stageCount) }
        guard let windows = calculator.windows(bottleneck: .infinity) else { return nil }
        return consistent(windows, graph: graph)
    }

    /// The windows of every valid partition with bottleneck at most `bottleneck`.
    static func atBottleneck(_ bottleneck: Double, graph: ComputationGraph, calculator: StageWindowCalculator) -> StageWindows? {
        guard let windows = calculator.windows(bottleneck: bottleneck) else { return nil }
        return consistent(windows, graph: graph)
    }

    /// The pointwise intersection of two windows.
    static func intersection(_ first: StageWindows, _ second: StageWindows) -> StageWindows {
        StageWindows.given(earliest: zip(first.earliest, second.earliest).map { max($0, $1) },
                     latest: zip(first.latest, second.latest).map { min($0, $1) })
    }
}
