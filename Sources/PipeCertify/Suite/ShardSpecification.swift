/// `--shard I/N`: run the instances whose index is I modulo N (I from 0 to N − 1, as Slurm's
/// `SLURM_ARRAY_TASK_ID` with `--array=0-(N-1)`). Dealing round-robin balances large and small models.
public struct ShardSpecification: Sendable, Equatable, CustomStringConvertible {
    /// This shard, 0..<count.
    public var index: Int
    /// The number of shards.
    public var count: Int

    /// Parses `I/N`; nil unless 0 ≤ I < N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (0..<count).contains(index) else { return nil }
        self.index = index
        self.count = count
    }

    /// The instances of this shard.
    public func select(_ instances: [SuiteInstance]) -> [SuiteInstance] {
        instances.filter { $0.index % count == index }
    }

    public var description: String { "\(index)/\(count)" }
}
