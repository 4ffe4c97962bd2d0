import ArgumentParser
import Foundation
import PipeCertify
import PipeGraph
import PipeImport
import PipePartition

/// `pipebound partition MODEL --stages K [--method M] [--seed N] [--format table|json]`: finds a
/// partition with one method and prints its stages, their costs and the bottleneck.
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract: "Partition a model into at most K pipeline stages and print the stages and their costs.")

    @OptionGroup var input: ModelStageOptions

    @Option(name: .long, help: "The method: \(PartitionMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: String = PartitionMethod.brkga100.rawValue

    @Option(name: .long, help: "The seed for BRKGA.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output format: table or json.")
    var format: String = "table"

    func validate() throws {
        guard PartitionMethod(rawValue: method) != nil else {
            throw ValidationError("unknown method '\(method)'; methods: \(PartitionMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["table", "json"].contains(format) else { throw ValidationError("unknown format '\(format)'; formats: table, json") }
    }

    func run() throws {
        guard let chosen = PartitionMethod(rawValue: method) else { throw ValidationError("unknown method '\(method)'") }
        let graph = try input.loadGraph()
        let result: PartitionResult
        do {
            result = try Partitioner.partition(graph, stageCount: input.stages, method: chosen, seed: seed)
        } catch let error as PartitionError {
            throw CommandFailure(message: "\(input.model): \(error.message)")
        }
        let report = PartitionReport(graph: graph, result: result)
        print(format == "json" ? try report.json() : report.table())
    }
}

/// What `partition` prints: the stages of a result with their loads (the JSON shape is in docs/partitioning.md).
struct PartitionReport: Encodable {
    /// One stage's loads and members.
    struct Stage: Encodable {
        var index: Int
        var cost: Double
        var work: Double
        var comm_in: Double
        var comm_out: Double
        var memory: Double
        var nodes: [String]
    }

    var graph: String
    var method: String
    var stages: Int
    var bottleneck: Double
    var seconds: Double
    var stages_detail: [Stage]
    /// The stages as a DAG, with the graph-pipeline latency.
    var stage_graph: StageGraph
    /// The unit of every time figure (the graph's).
    var time_unit: String

    init(graph: ComputationGraph, result: PartitionResult) {
        let loads = graph.stageLoads(of: result.partition)
        let members = result.partition.stageMembers
        self.graph = graph.name
        method = result.method
        stages = result.partition.stageCount
        bottleneck = result.bottleneck
        seconds = result.seconds
        stage_graph = StageGraph(graph: graph, partition: result.partition)
        time_unit = graph.units.time
        stages_detail = loads.indices.map { index in
            Stage(index: index, cost: loads[index].cost, work: loads[index].work, comm_in: loads[index].commIn,
                  comm_out: loads[index].commOut, memory: loads[index].memory,
                  nodes: members[index].map { graph.nodes[$0].name })
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table() -> String {
        func number(_ value: Double) -> String { String(format: "%.6g", value) }
        var lines = ["graph \(graph), method \(method), \(stages) stages, bottleneck \(number(bottleneck)) (\(String(format: "%.3f", seconds)) s)"]
        let header = ["stage", "cost", "work", "comm in", "comm out", "memory", "nodes"]
        var rows = [header]
        for stage in stages_detail {
            let shown = stage.nodes.joined(separator: " ")
            rows.append([String(stage.index), number(stage.cost), number(stage.work), number(stage.comm_in),
                         number(stage.comm_out), number(stage.memory), shown])
        }
        let widths = (0..<header.count - 1).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let padded = row.enumerated().map { column, text in
                column < widths.count ? text.padding(toLength: widths[column], withPad: " ", startingAt: 0) : text
            }
            lines.append(padded.joined(separator: "  "))
        }
        lines += stage_graph.lines(timeUnit: time_unit)
        return lines.joined(separator: "\n")
    }
}
