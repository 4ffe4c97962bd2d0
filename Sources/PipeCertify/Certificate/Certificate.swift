import Foundation
import PipeBounds
import PipeGraph

/// The output of `pipebound certify`: a partition (upper bound), the lower bounds proven for
/// it, and their ratio (`pipebound.certificate`, version 1; docs/certificate.md).
///
/// The JSON keys are exactly those of the design (snake case), plus `units`, `throughput`,
/// `latency`, `stage_graph`, `given_partition` (only from `certify --partition`) and per-stage
/// `work`, `comm_in`, `comm_out`, `memory`.
public struct Certificate: Codable, Sendable, Equatable {
    /// The `format` field's value.
    public static let formatName = "pipebound.certificate"
    /// The version this code reads and writes.
    public static let currentVersion = 1

    /// Always ``formatName``.
    public var format: String
    /// Always ``currentVersion`` when written by this build.
    public var version: Int
    /// Which graph was certified.
    public var graph: GraphSummary
    /// The units of every time and memory figure below (those of the graph).
    public var units: GraphUnits
    /// k.
    public var stages: Int
    /// The MIP backend of the plan's lower bounds (`--solver`); the second core's `exact` record names its own in its detail.
    public var solver: String
    /// The best partition found, re-costed.
    public var upperBound: UpperBound
    /// The best lower bound proven.
    public var lowerBound: LowerBound
    /// Every method that ran, upper and lower, in the order they ran.
    public var bounds: [BoundRecord]
    /// lower / upper (1 when the upper bound is 0).
    public var ratio: Double
    /// 1 / bottleneck: inferences per time unit once the pipeline is full.
    public var throughput: Double
    /// k × bottleneck: time one input spends in the pipeline (the paper's convention).
    public var latency: Double
    /// Wall-clock seconds spent on this stage count.
    public var seconds: Double
    /// The upper bound's partition as a DAG of stages, with its graph-pipeline latency (absent in
    /// certificates written before it existed).
    public var stageGraph: StageGraph?
    /// The partition the user gave (`certify --partition`), with its own bottleneck and ratio.
    public var givenPartition: GivenPartition?
    /// `true` when a signal stopped the run while this stage count was being certified: the
    /// bounds are sound but later steps never ran (docs/certificate.md); nil, and left out of
    /// the JSON, for a complete run.
    public var interrupted: Bool?

    enum CodingKeys: String, CodingKey {
        case format, version, graph, units, stages, solver
        case upperBound = "upper_bound"
        case lowerBound = "lower_bound"
        case bounds, ratio, throughput, latency, seconds
        case stageGraph = "stage_graph"
        case givenPartition = "given_partition"
        case interrupted
    }

    /// Name and size of the certified graph.
    public struct GraphSummary: Codable, Sendable, Equatable {
        /// The graph's name.
        public var name: String
        /// The number of nodes.
        public var nodes: Int
        /// The number of distinct edges.
        public var edges: Int

        public init(name: String, nodes: Int, edges: Int) {
            self.name = name
            self.nodes = nodes
            self.edges = edges
        }
    }

    /// The partition half of a certificate.
    public struct UpperBound: Codable, Sendable, Equatable {
        /// The bottleneck max_b f(S_b).
        public var value: Double
        /// The method that found the partition.
        public var method: String
        /// Every stage 0..<k, including empty ones.
        public var stages: [Stage]

        public init(value: Double, method: String, stages: [Stage]) {
            self.value = value
            self.method = method
            self.stages = stages
        }
    }

    /// One stage of the partition and its loads.
    public struct Stage: Codable, Sendable, Equatable {
        /// The stage index, from 0.
        public var index: Int
        /// f(S) = work + comm_in + comm_out.
        public var cost: Double
        /// Σ w over the stage.
        public var work: Double
        /// Σ c over the outside producers feeding the stage.
        public var commIn: Double
        /// Σ c over the inside producers feeding other stages.
        public var commOut: Double
        /// Σ m over the stage.
        public var memory: Double
        /// The names of the stage's nodes, in the graph's input order.
        public var nodes: [String]

        enum CodingKeys: String, CodingKey {
            case index, cost, work
            case commIn = "comm_in"
            case commOut = "comm_out"
            case memory, nodes
        }

        public init(index: Int, cost: Double, work: Double, commIn: Double, commOut: Double, memory: Double, nodes: [String]) {
            self.index = index
            self.cost = cost
            self.work = work
            self.commIn = commIn
            self.commOut = commOut
            self.memory = memory
            self.nodes = nodes
        }
    }

    /// The best proven lower bound and the method that proved it.
    public struct LowerBound: Codable, Sendable, Equatable {
        /// No valid partition has a smaller bottleneck.
        public var value: Double
        /// The method that proved it.
        public var method: String

        public init(value: Double, method: String) {
            self.value = value
            self.method = method
        }
    }

    public init(format: String = Certificate.formatName, version: Int = Certificate.currentVersion, graph: GraphSummary,
                units: GraphUnits, stages: Int, solver: String, upperBound: UpperBound, lowerBound: LowerBound,
                bounds: [BoundRecord], ratio: Double, throughput: Double, latency: Double, seconds: Double,
                stageGraph: StageGraph? = nil, givenPartition: GivenPartition? = nil) {
        self.format = format
        self.version = version
        self.graph = graph
        self.units = units
        self.stages = stages
        self.solver = solver
        self.upperBound = upperBound
        self.lowerBound = lowerBound
        self.bounds = bounds
        self.ratio = ratio
        self.throughput = throughput
        self.latency = latency
        self.seconds = seconds
        self.stageGraph = stageGraph
        self.givenPartition = givenPartition
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Int.self, forKey: .version)
        graph = try container.decode(GraphSummary.self, forKey: .graph)
        // Units, throughput and latency are extras beyond the first certificate fields (docs/certificate.md); certificates written by
        // other tools may omit them.
        units = try container.decodeIfPresent(GraphUnits.self, forKey: .units) ?? GraphUnits()
        stages = try container.decode(Int.self, forKey: .stages)
        solver = try container.decode(String.self, forKey: .solver)
        upperBound = try container.decode(UpperBound.self, forKey: .upperBound)
        lowerBound = try container.decode(LowerBound.self, forKey: .lowerBound)
        bounds = try container.decodeIfPresent([BoundRecord].self, forKey: .bounds) ?? []
        ratio = try container.decode(Double.self, forKey: .ratio)
        throughput = try container.decodeIfPresent(Double.self, forKey: .throughput)
            ?? (upperBound.value > 0 ? 1 / upperBound.value : .infinity)
        latency = try container.decodeIfPresent(Double.self, forKey: .latency) ?? Double(stages) * upperBound.value
        seconds = try container.decodeIfPresent(Double.self, forKey: .seconds) ?? 0
        stageGraph = try container.decodeIfPresent(StageGraph.self, forKey: .stageGraph)
        givenPartition = try container.decodeIfPresent(GivenPartition.self, forKey: .givenPartition)
        interrupted = try container.decodeIfPresent(Bool.self, forKey: .interrupted)
    }
}

/// The partition given to `certify --partition`: the answer to "is my partition good enough?".
public struct GivenPartition: Codable, Sendable, Equatable {
    /// The file it was read from.
    public var source: String
    /// Whether it was valid as given, or repaired first (`--repair`, least moves).
    public var repaired: Bool
    /// Nodes `--repair` moved (0 when given valid).
    public var moves: Int
    /// Its bottleneck.
    public var value: Double
    /// The certificate's proven lower bound divided by ``value`` (1 when the value is 0).
    public var ratio: Double
    /// Its stages, in the shape of `upper_bound.stages`.
    public var stages: [Certificate.Stage]
    /// Its stages as a DAG, with its graph-pipeline latency (absent in certificates written
    /// before it was recorded).
    public var stageGraph: StageGraph?

    enum CodingKeys: String, CodingKey {
        case source, repaired, moves, value, ratio, stages
        case stageGraph = "stage_graph"
    }

    /// The record of `partition` (valid on `graph`) against the proven `lowerBound`.
    public init(graph: ComputationGraph, partition: Partition, source: String, repaired: Bool, moves: Int, lowerBound: Double) {
        let probe = Certificate(graph: graph, partition: partition, upperMethod: "given", solver: "none", bounds: [], seconds: 0)
        self.source = source
        self.repaired = repaired
        self.moves = moves
        value = probe.upperBound.value
        ratio = value > 0 ? lowerBound / value : 1
        stages = probe.upperBound.stages
        stageGraph = probe.stageGraph
    }
}

/// One method's result inside a certificate: a partition method (`kind` "upper") or a
/// lower-bound method (`kind` "lower").
public struct BoundRecord: Codable, Sendable, Equatable {
    /// Which side of the optimum the value is on.
    public enum Kind: String, Codable, Sendable {
        /// A partition's bottleneck: OPT ≤ value.
        case upper
        /// A proven bound: value ≤ OPT.
        case lower
    }

    /// The method's name (`slice`, `brkga-100`, `combinatorial`, `value-search`, …).
    public var method: String
    /// Upper or lower.
    public var kind: Kind
    /// The bottleneck found (upper) or the bound proven (lower); 0 when skipped or failed.
    public var value: Double
    /// Upper: `found`, `skipped` or `failed`. Lower: `proved`, `limit`, `skipped` or `failed`.
    public var status: Status
    /// Wall-clock seconds.
    public var seconds: Double
    /// Why skipped or failed, or what the method reported; omitted when empty.
    public var detail: String?

    /// How a method ended; encoded as its raw value (`"proved"`, …), as in certificate version 1.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// An upper-bound method found a partition.
        case found
        /// A lower-bound method ran to completion: the value is its full bound.
        case proved
        /// A time or node limit stopped a lower-bound method; the value is still a proven bound, just weaker.
        case limit
        /// The method did not run (too large, not needed, or the run was stopped first); the value is 0.
        case skipped
        /// The method failed (solver error, no valid partition); the value is 0.
        case failed

        /// The status of a lower-bound method's result.
        public init(_ status: BoundStatus) {
            switch status {
            case .proved: self = .proved
            case .limit: self = .limit
            case .skipped: self = .skipped
            case .failed: self = .failed
            }
        }
    }

    public init(method: String, kind: Kind, value: Double, status: Status, seconds: Double, detail: String? = nil) {
        self.method = method
        self.kind = kind
        self.value = value
        self.status = status
        self.seconds = seconds
        self.detail = detail
    }

    /// Whether the value is a real result (not a placeholder 0 for a skipped or failed method).
    public var counts: Bool { status != .skipped && status != .failed }
}
