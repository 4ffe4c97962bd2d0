import PipeGraph

/// The heuristic re-partition of a ``StageWindow`` whose ideals are too many to list: the slicing DP
/// (as in ``OrderSlicer``) over one topological order of the window's units, cutting it into at most
/// the window's stage count of contiguous pieces, each costed by f over the whole graph. The orders
/// come from the current stages with random keys added (docs/partitioning.md, "Large-neighbourhood
/// search"): with no noise the current split is one of the slicings, so it is never missed; noise
/// lets units near a boundary change sides.
struct WindowSlicer {
    private let window: StageWindow
    private let stage: GrowingStage
    private let memoryCap: Double

    init(window: StageWindow, graph: ComputationGraph, stage: GrowingStage) {
        self.window = window
        self.stage = stage
        memoryCap = graph.stageMemory ?? .infinity
    }

    /// A topological order of the units by key: the unit's current stage plus uniform noise in
    /// [0, `spread`), ties broken by the unit's index (its first member's topological position).
    func order(spread: Double, random: inout SeededGenerator) -> [Int] {
        let keys = window.unitStage.map { Double($0) + (spread > 0 ? spread * random.nextUnit() : 0) }
        return TopologicalOrders.prioritySort(predecessors: window.unitPredecessors, successors: window.unitSuccessors, keys: keys)
    }

    /// The best slicing of `order` (every unit once, topological) whose largest stage is below
    /// `limit`: each unit's stage offset and that largest stage, or nil when none is below it.
    /// Throws ``PartitionError/stopped`` when `shouldStop` says so.
    func slice(_ order: [Int], below limit: Double, shouldStop: (@Sendable () -> Bool)?) throws -> (unitStage: [Int], value: Double)? {
        let count = order.count
        let stageCount = window.stageCount
        let row = count + 1
        // best[s * row + p]: least largest stage of the first p units in at most s pieces; from: where the last piece starts (−2: fewer pieces).
        var best = [Double](repeating: .infinity, count: (stageCount + 1) * row)
        var from = [Int32](repeating: -1, count: (stageCount + 1) * row)
        best[0] = 0
        for start in 0...count {
            for stages in 1...stageCount where best[(stages - 1) * row + start] < best[stages * row + start] {
                best[stages * row + start] = best[(stages - 1) * row + start]
                from[stages * row + start] = -2
            }
            guard start < count, (0..<stageCount).contains(where: { best[$0 * row + start] < limit }) else { continue }
            if start & 63 == 0, shouldStop?() == true { throw PartitionError.stopped }
            defer { stage.removeAll() }
            for end in start..<count {
                let unit = order[end]
                // Memory and work only grow with the piece, and f ≥ work.
                guard stage.memory + window.unitMemory[unit] <= memoryCap, stage.work + window.unitWork[unit] < limit else { break }
                for node in window.unitMembers[unit] { stage.add(node) }
                let cost = stage.cost
                guard cost < limit else { continue }
                for stages in 0..<stageCount {
                    let candidate = max(best[stages * row + start], cost)
                    if candidate < best[(stages + 1) * row + end + 1] {
                        best[(stages + 1) * row + end + 1] = candidate
                        from[(stages + 1) * row + end + 1] = Int32(start)
                    }
                }
            }
        }
        let value = best[stageCount * row + count]
        guard value < limit else { return nil }
        var unitStage = [Int](repeating: 0, count: window.unitCount)
        var end = count
        var stages = stageCount
        while end > 0 {
            let start = Int(from[stages * row + end])
            stages -= 1
            if start == -2 { continue }
            for position in start..<end { unitStage[order[position]] = stages }
            end = start
        }
        return (unitStage, value)
    }
}
