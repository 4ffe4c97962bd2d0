import PipeGraph

/// A possibly invalid stage assignment to repair: a wished stage per node (nil: free), and what
/// is wrong with it (docs/repair.md, "Candidates").
public struct RepairCandidate: Sendable {
    /// k.
    public let stageCount: Int
    /// The candidate stage c(v) of each node, as given (it may lie outside 0..<k); nil when the candidate leaves v out.
    public let target: [Int?]
    /// Names in the candidate that are not nodes of the graph (ignored).
    public let unknownNodes: [String]

    /// The candidate `stageByNode` (node name → stage) for `graph` with `stageCount` stages.
    public init(stageByNode: [String: Int], graph: ComputationGraph, stageCount: Int) {
        self.stageCount = stageCount
        target = graph.nodes.map { stageByNode[$0.name] }
        unknownNodes = stageByNode.keys.filter { graph.indexByName[$0] == nil }.sorted()
    }

    /// A candidate given as a stage per node index (nil: free).
    public init(target: [Int?], stageCount: Int) {
        self.stageCount = stageCount
        self.target = target
        unknownNodes = []
    }

    /// The candidate as a partition, when it assigns every node a stage in 0..<k.
    public var completePartition: Partition? {
        var stageOf: [Int] = []
        stageOf.reserveCapacity(target.count)
        for stage in target {
            guard let stage, (0..<stageCount).contains(stage) else { return nil }
            stageOf.append(stage)
        }
        return Partition(stageCount: stageCount, stageOf: stageOf)
    }

    /// Everything that keeps the candidate from being a valid partition, as `evaluate` words it:
    /// unknown and missing nodes, stages outside 0..<k, backward edges, split groups and stages
    /// over the memory cap (the last three among the nodes it places in 0..<k).
    public func violations(on graph: ComputationGraph) -> [String] {
        var found = unknownNodes.map { "node '\($0)' is not in graph '\(graph.name)'" }
        for (node, stage) in target.enumerated() {
            guard let stage else {
                found.append("node '\(graph.nodes[node].name)' has no stage (free to place)")
                continue
            }
            if !(0..<stageCount).contains(stage) {
                found.append(PartitionViolation.stageOutOfRange(node: graph.nodes[node].name, stage: stage, stageCount: stageCount).description)
            }
        }
        func placed(_ node: Int) -> Int? { target[node].flatMap { (0..<stageCount).contains($0) ? $0 : nil } }
        for (producer, consumers) in graph.precedenceSuccessors.enumerated() {
            guard let from = placed(producer) else { continue }
            for consumer in consumers {
                guard let to = placed(consumer), from > to else { continue }
                found.append(PartitionViolation.backwardEdge(producer: graph.nodes[producer].name, producerStage: from,
                                                             consumer: graph.nodes[consumer].name, consumerStage: to).description)
            }
        }
        for members in graph.groupMembers {
            let placedMembers = members.filter { placed($0) != nil }
            guard let first = placedMembers.first,
                  let other = placedMembers.dropFirst().first(where: { placed($0) != placed(first) }) else { continue }
            found.append(PartitionViolation.groupSplit(group: graph.nodes[first].group ?? "", first: graph.nodes[first].name,
                                                       firstStage: placed(first)!, second: graph.nodes[other].name,
                                                       secondStage: placed(other)!).description)
        }
        if let cap = graph.stageMemory {
            var memory = [Double](repeating: 0, count: stageCount)
            for node in target.indices { if let stage = placed(node) { memory[stage] += graph.nodes[node].memory } }
            for (stage, held) in memory.enumerated() where held > cap {
                found.append(PartitionViolation.memoryExceeded(stage: stage, memory: held, cap: cap).description)
            }
        }
        return found
    }
}
