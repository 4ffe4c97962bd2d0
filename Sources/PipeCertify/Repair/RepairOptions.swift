import MIP

/// What `repair` minimises and may spend (docs/repair.md).
public struct RepairOptions: Sendable {
    /// The objective.
    public var objective: RepairObjective
    /// The price of a moved node under `moves`.
    public var weight: RepairWeight
    /// With `bottleneck`: at most this many nodes may change stage (nil: any number).
    public var maxMoves: Int?
    /// Wall-clock limit in seconds for the whole repair (nil: none); the best valid partition
    /// found so far is returned when it ends the search.
    public var timeLimit: Double?
    /// Branch-and-bound node limit per MIP (deterministic; nil: none).
    public var nodeLimit: Int?
    /// Set it to stop the solvers early.
    public var stopFlag: StopFlag?
    /// Whether the exact shortcuts may be taken (a valid candidate, the minimum cut); tests turn
    /// them off to check the MIP on its own.
    public var usesFastPaths: Bool

    public init(objective: RepairObjective = .moves, weight: RepairWeight = .unit, maxMoves: Int? = nil,
                timeLimit: Double? = nil, nodeLimit: Int? = nil, stopFlag: StopFlag? = nil, usesFastPaths: Bool = true) {
        self.objective = objective
        self.weight = weight
        self.maxMoves = maxMoves
        self.timeLimit = timeLimit
        self.nodeLimit = nodeLimit
        self.stopFlag = stopFlag
        self.usesFastPaths = usesFastPaths
    }
}

/// Why `repair` has no answer.
public struct RepairError: Error, CustomStringConvertible, Sendable {
    /// One line saying why.
    public let message: String
    /// Whether no valid partition exists at all (bad input: exit 2) rather than none was found in time.
    public let isInfeasible: Bool

    public init(_ message: String, isInfeasible: Bool) {
        self.message = message
        self.isInfeasible = isInfeasible
    }

    public var description: String { message }
}
