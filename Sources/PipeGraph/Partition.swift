/// A k-stage partition: the stage of every node, stages numbered 0..<stageCount (may be empty).
public struct Partition: Sendable, Hashable, Codable {
    /// k, the number of stages allowed.
    public var stageCount: Int
    /// s(v) for every node index, in 0..<stageCount.
    public var stageOf: [Int]

    public init(stageCount: Int, stageOf: [Int]) {
        self.stageCount = stageCount
        self.stageOf = stageOf
    }

    /// The partition that cuts a node order into contiguous segments: `segmentEnds[b]` is
    /// the position in `order` one past the last node of stage b (non-decreasing, last = n).
    public init(order: [Int], segmentEnds: [Int], stageCount: Int) {
        var stageOf = [Int](repeating: 0, count: order.count)
        var start = 0
        for (stage, end) in segmentEnds.enumerated() {
            for position in start..<end { stageOf[order[position]] = stage }
            start = end
        }
        self.init(stageCount: stageCount, stageOf: stageOf)
    }

    /// The node indices of each stage, ascending.
    public var stageMembers: [[Int]] {
        var members = [[Int]](repeating: [], count: stageCount)
        for (node, stage) in stageOf.enumerated() where members.indices.contains(stage) { members[stage].append(node) }
        return members
    }
}

/// The loads of one stage under the cost model of docs/cost-model.md.
public struct StageLoad: Sendable, Hashable, Codable {
    /// Σ w(v) over the stage.
    public var work: Double
    /// Σ c(u) over In(S): outside producers feeding the stage, each once.
    public var commIn: Double
    /// Σ c(u) over Out(S): inside producers feeding another stage, each once.
    public var commOut: Double
    /// Σ m(v) over the stage.
    public var memory: Double
    /// The number of nodes in the stage.
    public var nodeCount: Int

    public init(work: Double = 0, commIn: Double = 0, commOut: Double = 0, memory: Double = 0, nodeCount: Int = 0) {
        self.work = work
        self.commIn = commIn
        self.commOut = commOut
        self.memory = memory
        self.nodeCount = nodeCount
    }

    /// f(S) = work + commIn + commOut.
    public var cost: Double { work + commIn + commOut }
}

/// Why a partition is not valid for a graph.
public enum PartitionViolation: Sendable, Hashable, CustomStringConvertible {
    /// The stage map has the wrong number of entries.
    case wrongNodeCount(expected: Int, found: Int)
    /// A node's stage is outside 0..<k.
    case stageOutOfRange(node: String, stage: Int, stageCount: Int)
    /// An edge goes from a later stage to an earlier one.
    case backwardEdge(producer: String, producerStage: Int, consumer: String, consumerStage: Int)
    /// In a training graph, an edge between backward nodes that touches a colour class without forward
    /// nodes runs from an earlier stage to a later one (it must not: such a class is placed as the mirror
    /// of the forward pass, docs/graph-format.md, "Training graphs").
    case backwardOnlyClassOrder(producer: String, producerStage: Int, consumer: String, consumerStage: Int)
    /// Members of one colocation group sit in different stages.
    case groupSplit(group: String, first: String, firstStage: Int, second: String, secondStage: Int)
    /// A stage holds more memory than the cap.
    case memoryExceeded(stage: Int, memory: Double, cap: Double)

    public var description: String {
        switch self {
        case let .wrongNodeCount(expected, found):
            return "the partition assigns \(found) nodes, the graph has \(expected)"
        case let .stageOutOfRange(node, stage, stageCount):
            return "node '\(node)' is in stage \(stage), outside 0..<\(stageCount)"
        case let .backwardEdge(producer, producerStage, consumer, consumerStage):
            return "edge '\(producer)' -> '\(consumer)' goes backwards, from stage \(producerStage) to stage \(consumerStage)"
        case let .backwardOnlyClassOrder(producer, producerStage, consumer, consumerStage):
            return "backward edge '\(producer)' -> '\(consumer)' touches a colour class without forward nodes, so it must not go"
                + " to a later stage, but goes from stage \(producerStage) to stage \(consumerStage)"
        case let .groupSplit(group, first, firstStage, second, secondStage):
            return "colocation group '\(group)' is split: '\(first)' is in stage \(firstStage), '\(second)' in stage \(secondStage)"
        case let .memoryExceeded(stage, memory, cap):
            return "stage \(stage) holds \(memory) memory, above the cap \(cap)"
        }
    }
}
