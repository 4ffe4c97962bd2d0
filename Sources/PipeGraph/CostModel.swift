extension ComputationGraph {
    /// f(S) for an arbitrary node set given as a membership mask (docs/cost-model.md):
    /// work inside, plus each outside producer feeding S once, plus each inside producer
    /// feeding outside S once.
    public func stageCost(ofMask inStage: [Bool]) -> Double {
        var cost = 0.0
        for node in nodes.indices { addStageTerms(of: node, to: &cost, inStage: inStage) }
        return cost
    }

    /// What `node` adds to f(S): its work and its output once if it is inside and feeds outside, its output
    /// once if it is outside and feeds inside. Both versions of f add these terms in ascending node order.
    private func addStageTerms(of node: Int, to cost: inout Double, inStage: [Bool]) {
        if inStage[node] {
            cost += nodes[node].work
            if successors[node].contains(where: { !inStage[$0] }) { cost += nodes[node].comm }
        } else if successors[node].contains(where: { inStage[$0] }) {
            cost += nodes[node].comm
        }
    }

    /// f(S) for a node set given by indices: two zeroed masks, then time linear in S and its edges, not in the
    /// graph's (callers price single nodes of 20,000-node graphs one by one). The terms are added in the order
    /// ``stageCost(ofMask:)`` adds them, so both give the same number to the last bit.
    public func stageCost(of members: some Sequence<Int>) -> Double {
        var inside = [Bool](repeating: false, count: nodeCount)
        var listed = [Bool](repeating: false, count: nodeCount)
        var involved: [Int] = []
        for member in members where !inside[member] {
            inside[member] = true
            if !listed[member] { listed[member] = true; involved.append(member) }
            for producer in predecessors[member] where !listed[producer] { listed[producer] = true; involved.append(producer) }
        }
        var cost = 0.0
        for node in involved.sorted() { addStageTerms(of: node, to: &cost, inStage: inside) }
        return cost
    }

    /// The load of every stage of a partition, in O(n + E). Stages outside 0..<k are ignored;
    /// check ``violations(of:)`` first when the partition comes from outside.
    public func stageLoads(of partition: Partition) -> [StageLoad] {
        var loads = [StageLoad](repeating: StageLoad(), count: partition.stageCount)
        var lastCountedStage = [Int](repeating: -1, count: partition.stageCount)
        for node in nodes.indices {
            let stage = partition.stageOf[node]
            guard loads.indices.contains(stage) else { continue }
            loads[stage].work += nodes[node].work
            loads[stage].memory += nodes[node].memory
            loads[stage].nodeCount += 1
            var sendsOut = false
            for consumer in successors[node] {
                let consumerStage = partition.stageOf[consumer]
                guard consumerStage != stage, loads.indices.contains(consumerStage) else { continue }
                sendsOut = true
                // Count this producer once per consuming stage.
                if lastCountedStage[consumerStage] != node {
                    lastCountedStage[consumerStage] = node
                    loads[consumerStage].commIn += nodes[node].comm
                }
            }
            if sendsOut { loads[stage].commOut += nodes[node].comm }
        }
        return loads
    }

    /// max_b f(S_b): the partition's bottleneck.
    public func bottleneck(of partition: Partition) -> Double {
        stageLoads(of: partition).map(\.cost).max() ?? 0
    }

    /// Everything that makes `partition` invalid for this graph (empty when it is valid):
    /// every node in exactly one stage 0..<k, no precedence edge going back a stage (see
    /// ``precedenceSuccessors``), groups (with their backward nodes) together, memory cap.
    public func violations(of partition: Partition) -> [PartitionViolation] {
        guard partition.stageOf.count == nodeCount else {
            return [.wrongNodeCount(expected: nodeCount, found: partition.stageOf.count)]
        }
        var found: [PartitionViolation] = []
        for (node, stage) in partition.stageOf.enumerated() where !(0..<partition.stageCount).contains(stage) {
            found.append(.stageOutOfRange(node: nodes[node].name, stage: stage, stageCount: partition.stageCount))
        }
        guard found.isEmpty else { return found }
        // Precedence edges: the edges themselves, or in a training graph its forward and mirrored edges.
        for (first, laters) in precedenceSuccessors.enumerated() {
            for later in laters where partition.stageOf[first] > partition.stageOf[later] {
                if nodes[first].backward {
                    // A mirrored edge: the graph's edge runs later -> first between backward nodes.
                    found.append(.backwardOnlyClassOrder(producer: nodes[later].name, producerStage: partition.stageOf[later],
                                                         consumer: nodes[first].name, consumerStage: partition.stageOf[first]))
                } else {
                    found.append(.backwardEdge(producer: nodes[first].name, producerStage: partition.stageOf[first],
                                               consumer: nodes[later].name, consumerStage: partition.stageOf[later]))
                }
            }
        }
        for (group, members) in groupMembers.enumerated() {
            guard let first = members.first else { continue }
            for member in members.dropFirst() where partition.stageOf[member] != partition.stageOf[first] {
                found.append(.groupSplit(group: groupNames[group], first: nodes[first].name, firstStage: partition.stageOf[first],
                                         second: nodes[member].name, secondStage: partition.stageOf[member]))
                break
            }
        }
        if let cap = stageMemory {
            for (stage, load) in stageLoads(of: partition).enumerated() where load.memory > cap {
                found.append(.memoryExceeded(stage: stage, memory: load.memory, cap: cap))
            }
        }
        return found
    }

    /// Whether `partition` is valid for this graph.
    public func isValid(_ partition: Partition) -> Bool { violations(of: partition).isEmpty }
}
