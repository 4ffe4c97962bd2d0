import ArgumentParser
import Foundation
import PipeCertify
import PipeGraph
import PipeImport

/// `pipebound evaluate`: re-costs a given partition and says what is wrong with an invalid one.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Re-cost a partition: stage loads and bottleneck, or why the partition is invalid.",
        discussion: """
            The partition is a certificate (its upper_bound.stages) or a JSON object mapping every node \
            name to its stage, numbered from 0: {"conv1": 0, "relu1": 0, "fc": 1}. k is --stages, the \
            certificate's k, or one more than the largest stage used. Exit codes: 0 valid, 1 invalid \
            (each reason on stderr), 2 unreadable input.
            """)

    @Argument(help: "The model the partition is for.")
    var model: String

    @Option(name: .long, help: "The partition: a certificate or a {\"node\": stage} JSON object.")
    var partition: String

    @Option(name: .long, parsing: .unconditional, help: "k (for a plain map: allow this many stages; for an array of certificates: pick this one).")
    var stages: Int?

    @OptionGroup var profile: ProfileOptions

    @Option(name: .long, help: "Output format.")
    var format: EvaluationFormat = .table

    @Option(name: [.customShort("o"), .long], help: "Write the output to this file instead of stdout.")
    var output: String?

    func validate() throws {
        if let stages { try ArgumentChecks.stages(stages) }
    }

    func run() throws {
        let graph = try profile.loadGraph(path: model)
        let content = try PartitionFile.read(path: partition, stageCount: stages)
        let (resolved, problems) = PartitionFile.resolve(content, on: graph)
        guard let resolved, problems.isEmpty else {
            for problem in problems.prefix(20) {
                FileHandle.standardError.write(Data("pipebound: \(partition): invalid partition: \(problem)\n".utf8))
            }
            if problems.count > 20 {
                FileHandle.standardError.write(Data("pipebound: \(partition): … and \(problems.count - 20) more problems\n".utf8))
            }
            throw ExitCode(1)
        }
        let evaluation = PartitionEvaluation(graph: graph, partition: resolved)
        try OutputFile.write(format == .json ? try evaluation.json() : evaluation.table(), to: output)
    }
}

/// Output formats of `evaluate`.
enum EvaluationFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
