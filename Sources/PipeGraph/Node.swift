/// One operation of a computation graph, with the costs the partitioner sees.
public struct Node: Sendable, Hashable, Codable {
    /// Unique name within the graph.
    public var name: String
    /// Operator type (`Conv`, `MatMul`, …); informational.
    public var op: String
    /// w(v): time to execute the node on one pipeline device.
    public var work: Double
    /// c(v): time to move the node's output once between two devices.
    public var comm: Double
    /// m(v): bytes resident on the device that holds the node (parameters).
    public var memory: Double
    /// Colocation group: all nodes with the same group must share a stage.
    public var group: String?
    /// Whether the node belongs to the backward pass of a training graph (docs/graph-format.md,
    /// "Training graphs"): it shares the stage of its colour class, and its edges do not order stages.
    public var backward: Bool

    public init(name: String, op: String = "", work: Double, comm: Double = 0, memory: Double = 0, group: String? = nil,
                backward: Bool = false) {
        self.name = name
        self.op = op
        self.work = work
        self.comm = comm
        self.memory = memory
        self.group = group
        self.backward = backward
    }

    private enum CodingKeys: String, CodingKey { case name, op, work, comm, memory, group, backward }

    /// Decodes a node; `backward` may be absent (older encodings) and then reads as false.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        op = try container.decode(String.self, forKey: .op)
        work = try container.decode(Double.self, forKey: .work)
        comm = try container.decode(Double.self, forKey: .comm)
        memory = try container.decode(Double.self, forKey: .memory)
        group = try container.decodeIfPresent(String.self, forKey: .group)
        backward = try container.decodeIfPresent(Bool.self, forKey: .backward) ?? false
    }

    /// Encodes a node; `backward` only when true, so forward-only encodings are unchanged.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(op, forKey: .op)
        try container.encode(work, forKey: .work)
        try container.encode(comm, forKey: .comm)
        try container.encode(memory, forKey: .memory)
        try container.encodeIfPresent(group, forKey: .group)
        if backward { try container.encode(true, forKey: .backward) }
    }
}

/// The units a graph's numbers are in.
public struct GraphUnits: Sendable, Hashable, Codable {
    /// Unit of work and comm (for example `us`).
    public var time: String
    /// Unit of memory (for example `bytes`).
    public var memory: String

    public init(time: String = "us", memory: String = "bytes") {
        self.time = time
        self.memory = memory
    }
}
