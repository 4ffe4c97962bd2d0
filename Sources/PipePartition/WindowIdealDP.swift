import PipeGraph

/// The exact re-partition of a ``StageWindow``: the DP over ideals (as in ``IdealDP``), restricted to
/// the ideals of the window's units, with every stage costed by f over the whole graph. It finds the
/// least possible largest window stage below a limit, or proves that none is below it; the
/// neighbourhood search uses it while the window's ideals are few (docs/partitioning.md,
/// "Large-neighbourhood search").
struct WindowIdealDP: IdealWalkVisitor {
    /// What one call found.
    enum Outcome {
        /// The window has more ideals or transitions than allowed: nothing is known.
        case tooLarge
        /// No split of the window has every stage below the limit (exact).
        case noBetter
        /// The best split: each unit's stage offset in the window (0..<stageCount), and its largest stage.
        case better(unitStage: [Int], value: Double)
    }

    private let window: StageWindow
    private let stage: GrowingStage
    private let memoryCap: Double
    private let transitionLimit: Int
    private let shouldStop: (@Sendable () -> Bool)?
    private let table: IdealTable
    private let width: Int
    /// Largest stage cost of interest: below the caller's limit, then below the best full split found.
    private var limit: Double
    /// The caller's limit: a split is an answer only below it.
    private let ceiling: Double
    /// best[I * width + s]: least largest stage covering ideal I with at most s stages; from: the ideal before the last one (−1: fewer stages).
    private var best: [Double]
    private var from: [Int32]
    private var full = -1
    private var source = 0
    private var sourceValues: [Double] = []
    private var current: [UInt64]
    private var currentHash: UInt64 = 0
    private var transitions = 0

    /// Solves `window` for a split whose largest stage is below `limit`; throws ``PartitionError/stopped``
    /// when `shouldStop` says so.
    static func solve(_ window: StageWindow, graph: ComputationGraph, stage: GrowingStage, below limit: Double,
                      idealLimit: Int, transitionLimit: Int, shouldStop: (@Sendable () -> Bool)?) throws -> Outcome {
        var limits = IdealDP.Limits()
        limits.idealCount = idealLimit
        // About 160 MB of bitsets at most: a window of thousands of units gives up long before its ideal count.
        limits.storedWords = 20_000_000
        var collector = IdealCollector(graphName: graph.name, unitCount: window.unitCount, limits: limits, shouldStop: shouldStop)
        var members = [Bool](repeating: false, count: window.unitCount)
        var walk = IdealWalk(predecessors: window.unitPredecessors, successors: window.unitSuccessors)
        do {
            try walk.walk(from: &members, visitor: &collector)
        } catch let error as PartitionError where error.message != PartitionError.stopped.message {
            return .tooLarge
        }
        var search = WindowIdealDP(window: window, graph: graph, stage: stage, table: collector.table, limit: limit,
                                   transitionLimit: transitionLimit, shouldStop: shouldStop)
        do {
            return try search.run()
        } catch let error as PartitionError where error.message != PartitionError.stopped.message {
            stage.removeAll()
            return .tooLarge
        } catch {
            stage.removeAll()
            throw error
        }
    }

    private init(window: StageWindow, graph: ComputationGraph, stage: GrowingStage, table: IdealTable, limit: Double,
                 transitionLimit: Int, shouldStop: (@Sendable () -> Bool)?) {
        self.window = window
        self.stage = stage
        memoryCap = graph.stageMemory ?? .infinity
        self.transitionLimit = transitionLimit
        self.shouldStop = shouldStop
        self.table = table
        width = window.stageCount + 1
        self.limit = limit
        ceiling = limit
        best = [Double](repeating: .infinity, count: table.count * width)
        from = [Int32](repeating: -1, count: table.count * width)
        current = [UInt64](repeating: 0, count: table.wordCount)
    }

    private mutating func run() throws -> Outcome {
        let stageCount = window.stageCount
        var bySize = [[Int]](repeating: [], count: window.unitCount + 1)
        for index in 0..<table.count { bySize[table.size(of: index)].append(index) }
        guard let full = bySize[window.unitCount].first else { return .noBetter }
        self.full = full
        best[0] = 0
        var walk = IdealWalk(predecessors: window.unitPredecessors, successors: window.unitSuccessors)
        var members = [Bool](repeating: false, count: window.unitCount)
        // Smaller ideals first: every J ⊂ I is final before I pushes anything.
        for ideal in bySize.joined() {
            let row = ideal * width
            for stages in 1..<width where best[row + stages - 1] < best[row + stages] {
                best[row + stages] = best[row + stages - 1]
                from[row + stages] = -1
            }
            guard ideal != full else { continue }
            sourceValues = (0..<stageCount).map { best[row + $0] }
            guard sourceValues.contains(where: { $0 < limit }) else { continue }
            if shouldStop?() == true { throw PartitionError.stopped }
            source = ideal
            for unit in 0..<window.unitCount { members[unit] = table.contains(ideal, node: unit) }
            let base = ideal * table.wordCount
            for word in 0..<table.wordCount { current[word] = table.words[base + word] }
            currentHash = table.hashes[ideal]
            try walk.walk(from: &members, visitor: &self)
        }
        let value = best[full * width + stageCount]
        guard value < ceiling else { return .noBetter }
        return .better(unitStage: unitStages(), value: value)
    }

    mutating func enter(_ unit: Int) throws -> Bool {
        // Memory and work only grow along a branch, and f ≥ work: past the cap or the limit no larger ideal helps.
        guard stage.memory + window.unitMemory[unit] <= memoryCap, stage.work + window.unitWork[unit] < limit else { return false }
        transitions += 1
        if transitions > transitionLimit { throw PartitionError("window needs more than \(transitionLimit) transitions") }
        if transitions & 0xFFF == 0, shouldStop?() == true { throw PartitionError.stopped }
        for node in window.unitMembers[unit] { stage.add(node) }
        current[unit >> 6] |= 1 << UInt64(unit & 63)
        currentHash ^= table.codes[unit]
        let cost = stage.cost
        if cost < limit, let target = current.withUnsafeBufferPointer({ table.find($0, hash: currentHash) }) {
            relax(target, cost: cost)
        }
        return true
    }

    mutating func leave(_ unit: Int) {
        for _ in window.unitMembers[unit] { stage.removeLast() }
        current[unit >> 6] &= ~(1 << UInt64(unit & 63))
        currentHash ^= table.codes[unit]
    }

    private mutating func relax(_ target: Int, cost: Double) {
        let row = target * width
        for (stages, value) in sourceValues.enumerated() where value < limit {
            let candidate = max(value, cost)
            if candidate < best[row + stages + 1] {
                best[row + stages + 1] = candidate
                from[row + stages + 1] = Int32(source)
                // A full split: only better ones matter from here on.
                if target == full { limit = min(limit, candidate) }
            }
        }
    }

    /// Follows the `from` links back from the full ideal: each unit's stage offset, empty stages last.
    private func unitStages() -> [Int] {
        table.unitStages(tracingBack: from, width: width, full: full, stageLimit: window.stageCount, unitCount: window.unitCount)
    }
}
