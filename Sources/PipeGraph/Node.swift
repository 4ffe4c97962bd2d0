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

    public init(name: String, op: String = "", work: Double, comm: Double = 0, memory: Double = 0, group: String? = nil) {
        self.name = name
        self.op = op
        self.work = work
        self.comm = comm
        self.memory = memory
        self.group = group
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
