import Foundation
import PipeGraph

/// The loads and bottleneck of a valid partition, as `evaluate` prints them.
public struct PartitionEvaluation: Codable, Sendable {
    /// Which graph.
    public var graph: Certificate.GraphSummary
    /// The units of the figures.
    public var units: GraphUnits
    /// k.
    public var stageCount: Int
    /// max_b f(S_b).
    public var bottleneck: Double
    /// 1 / bottleneck.
    public var throughput: Double
    /// k × bottleneck.
    public var latency: Double
    /// Every stage with its loads.
    public var stages: [Certificate.Stage]
    /// The stages as a DAG, with the graph-pipeline latency.
    public var stageGraph: StageGraph?

    enum CodingKeys: String, CodingKey {
        case graph, units
        case stageCount = "stage_count"
        case bottleneck, throughput, latency, stages
        case stageGraph = "stage_graph"
    }

    /// Re-costs `partition` on `graph` (check it with `graph.violations(of:)` first).
    public init(graph: ComputationGraph, partition: Partition) {
        let certificate = Certificate(graph: graph, partition: partition, upperMethod: "given", solver: "none",
                                      bounds: [], seconds: 0)
        self.graph = certificate.graph
        units = certificate.units
        stageCount = partition.stageCount
        bottleneck = certificate.upperBound.value
        throughput = certificate.throughput
        latency = certificate.latency
        stages = certificate.upperBound.stages
        stageGraph = certificate.stageGraph
    }

    /// Pretty-printed JSON.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// A table of the stages, then the bottleneck.
    public func table() -> String {
        let figure = NumberFormatting.figure
        var table = TextTable(header: ["stage", "nodes", "cost", "work", "comm in", "comm out", "memory"], rightAligned: Set(0...6))
        for stage in stages {
            let marker = stage.cost == bottleneck && stage.cost > 0 ? " *" : ""
            table.add(["\(stage.index)", "\(stage.nodes.count)", figure(stage.cost) + marker, figure(stage.work),
                       figure(stage.commIn), figure(stage.commOut), figure(stage.memory)])
        }
        return "\(graph.name): \(graph.nodes) nodes, \(graph.edges) edges, k = \(stageCount)\n"
            + table.render()
            + "bottleneck  \(figure(bottleneck)) \(units.time)  (* marks it)\n"
            + "throughput  \(figure(throughput)) per \(units.time);  latency \(figure(latency)) \(units.time) (k x bottleneck)\n"
            + (stageGraph.map { $0.lines(timeUnit: units.time).joined(separator: "\n") + "\n" } ?? "")
    }
}
