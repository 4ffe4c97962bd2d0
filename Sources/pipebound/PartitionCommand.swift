import ArgumentParser
import Foundation
import MIP
import PipeBounds
import PipeCertify
import PipeGraph
import PipeImport
import PipePartition

/// `pipebound partition MODEL --stages K [--method M] [--seed N] [--time-limit T] [--format table|json] [-o FILE]`: finds a
/// partition with one method and prints its stages, their costs and the bottleneck.
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract: "Partition a model into at most K pipeline stages and print the stages and their costs.",
        discussion: """
            --format json writes a certificate (docs/certificate.md) holding the partition and the cheap \
            combinatorial lower bound, which 'evaluate --partition', 'report' and 'certify --partition' read.
            """)

    @OptionGroup var input: ModelStageOptions

    @Option(name: .long, help: "The partition method.")
    var method: PartitionMethod = .brkga100

    @Option(name: .long, help: "The seed for BRKGA.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Output format.")
    var format: EvaluationFormat = .table

    @Option(name: [.customShort("o"), .long], help: "Write the output to this file instead of stdout.")
    var output: String?

    @Option(name: .long, parsing: .unconditional,
            help: "Wall-clock budget in seconds, counted from the start: BRKGA and slice then return their best partition so far; the ideal DP gives up.")
    var timeLimit: Double = ArgumentChecks.defaultTimeLimit

    func validate() throws {
        try ArgumentChecks.timeLimit(timeLimit)
    }

    func run() throws {
        let started = Date()
        let graph = try input.loadGraph()
        // The same reserve as certify and bound keep for writing the answer (`--time-limit` is a promise).
        let deadline = Date().addingTimeInterval(SolveLimitOptions.remainingTime(timeLimit: timeLimit, since: started))
        // Raised the first time the method polls past the deadline: its partition is then the best so far.
        let stopped = StopFlag()
        let result: PartitionResult
        do {
            result = try Partitioner.partition(graph, stageCount: input.stages, method: method, seed: seed, threadCount: nil,
                                               shouldStop: {
                                                   if Date() >= deadline { stopped.stop() }
                                                   return stopped.isStopped
                                               })
        } catch let error as PartitionError {
            let advice = error.message == PartitionError.stopped.message ? "; raise --time-limit or choose another --method" : ""
            throw CommandFailure(message: "\(input.model): \(error.message)\(advice)")
        }
        var certificate = Self.certificate(of: result, on: graph)
        if stopped.isStopped, let index = certificate.bounds.firstIndex(where: { $0.kind == .upper }) {
            certificate.bounds[index].detail = "stopped by --time-limit \(NumberFormatting.figure(timeLimit)) s: the best partition so far"
        }
        if let problem = certificate.problems(graph: graph, partition: result.partition).first {
            throw CommandFailure(message: "\(input.model), k = \(input.stages): \(problem)", exitCode: 1)
        }
        let text = format == .json ? try CertificateRendering.json([certificate]) : Self.table(certificate, method: result)
        try OutputFile.write(text, to: output)
    }

    /// The partition as a certificate: the method's record (kind upper) and the combinatorial
    /// lower bound, which costs no solver and makes the ratio meaningful.
    static func certificate(of result: PartitionResult, on graph: ComputationGraph) -> Certificate {
        let stageCount = result.partition.stageCount
        let combinatorial = CombinatorialBound(graph: graph, stageCount: stageCount)
        let records = [
            BoundRecord(method: result.method, kind: .upper, value: graph.bottleneck(of: result.partition), status: .found,
                        seconds: result.seconds),
            BoundRecord(method: LowerBoundMethod.combinatorial.rawValue, kind: .lower,
                        value: SafeRounding.roundDown(combinatorial.value, relative: SafeRounding.arithmeticMargin),
                        status: .proved, seconds: 0, detail: combinatorial.detail),
        ]
        return Certificate(graph: graph, partition: result.partition, upperMethod: result.method, solver: "none",
                           bounds: records, seconds: result.seconds)
    }

    /// The header, the stage table (aligned, with units, as `certify` prints it) and the stage graph.
    static func table(_ certificate: Certificate, method result: PartitionResult) -> String {
        let figure = NumberFormatting.figure
        let unit = certificate.units.time
        var text = "\(certificate.graph.name): \(certificate.graph.nodes) nodes, \(certificate.graph.edges) edges, "
            + "k = \(certificate.stages), method \(result.method), \(NumberFormatting.seconds(result.seconds)) s"
        if let detail = certificate.bounds.first(where: { $0.kind == .upper })?.detail { text += ", \(detail)" }
        text += "\n"
        text += "bottleneck   \(figure(certificate.upperBound.value)) \(unit)  (combinatorial lower bound "
            + "\(figure(certificate.lowerBound.value)) \(unit), LB/UB \(NumberFormatting.ratio(certificate.ratio)))\n"
        if let stageGraph = certificate.stageGraph {
            text += stageGraph.lines(timeUnit: unit).joined(separator: "\n") + "\n"
        }
        text += "\n" + CertificateRendering.stageTable(certificate, members: true)
        return text
    }
}
