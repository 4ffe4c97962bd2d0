import PipeGraph

/// A set of node sets (bitsets) with dense indices, for the ideal DP: open addressing on a Zobrist
/// hash, with the full bitsets compared on every hit, so lookups are exact.
struct IdealTable {
    /// 64-bit words per set.
    let wordCount: Int
    /// The sets, `wordCount` words each, in insertion order.
    private(set) var words: [UInt64] = []
    /// The Zobrist hash of each set.
    private(set) var hashes: [UInt64] = []
    /// Random 64-bit code of each node; a set's hash is the XOR of its members' codes.
    let codes: [UInt64]
    private var slots: [Int32]
    private var mask: Int

    init(nodeCount: Int) {
        wordCount = max(1, (nodeCount + 63) / 64)
        var random = SeededGenerator(seed: 0x5EED_1DEA)
        codes = (0..<nodeCount).map { _ in random.next() }
        slots = [Int32](repeating: -1, count: 1024)
        mask = 1023
    }

    /// The number of sets stored.
    var count: Int { hashes.count }

    /// The index of `set` (with hash `hash`), or nil.
    func find(_ set: UnsafeBufferPointer<UInt64>, hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if hashes[index] == hash && matches(index, set) { return index }
            slot = (slot + 1) & mask
        }
    }

    /// Inserts `set` unless present; returns its index and whether it was new.
    mutating func insert(_ set: UnsafeBufferPointer<UInt64>, hash: UInt64) -> (index: Int, inserted: Bool) {
        if let index = find(set, hash: hash) { return (index, false) }
        let index = count
        words.append(contentsOf: set)
        hashes.append(hash)
        if 2 * count > slots.count { grow() } else { place(index) }
        return (index, true)
    }

    /// Whether node `node` is in set `index`.
    func contains(_ index: Int, node: Int) -> Bool {
        words[index * wordCount + (node >> 6)] & (1 << UInt64(node & 63)) != 0
    }

    /// The stage of each of the first `unitCount` units in the best partition a DP over this table
    /// found: `from[ideal * width + s]` is the ideal before the last stage of the best cover of
    /// `ideal` with at most s stages (−1: it needs fewer), traced back from `full` with `stageLimit`
    /// stages. Empty stages come last. Shared by the DP over all ideals and the one over a window's.
    func unitStages(tracingBack from: [Int32], width: Int, full: Int, stageLimit: Int, unitCount: Int) -> [Int] {
        var unitStage = [Int](repeating: 0, count: unitCount)
        var ideal = full
        var stages = stageLimit
        var cuts: [(ideal: Int, previous: Int)] = []
        while ideal != 0 {
            let previous = Int(from[ideal * width + stages])
            stages -= 1
            if previous < 0 { continue }
            cuts.append((ideal, previous))
            ideal = previous
        }
        for (stage, cut) in cuts.reversed().enumerated() {
            for unit in 0..<unitCount where contains(cut.ideal, node: unit) && !contains(cut.previous, node: unit) {
                unitStage[unit] = stage
            }
        }
        return unitStage
    }

    /// The number of nodes in set `index`.
    func size(of index: Int) -> Int {
        (0..<wordCount).reduce(0) { $0 + words[index * wordCount + $1].nonzeroBitCount }
    }

    private func matches(_ index: Int, _ set: UnsafeBufferPointer<UInt64>) -> Bool {
        let base = index * wordCount
        for word in 0..<wordCount where words[base + word] != set[word] { return false }
        return true
    }

    private mutating func place(_ index: Int) {
        var slot = Int(truncatingIfNeeded: hashes[index]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for index in 0..<count { place(index) }
    }
}
