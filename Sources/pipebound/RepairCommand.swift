import ArgumentParser
import Foundation
import MIPSolvers
import PipeCertify
import PipeGraph
import PipeImport

/// `pipebound repair`: the valid partition nearest to a possibly invalid candidate.
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Turn a possibly invalid candidate partition into the nearest valid one (exact, by min-cut or MIP).",
        discussion: """
            The candidate is a {"node": stage} JSON object or a certificate; nodes it leaves out are free, \
            names the graph lacks and stages outside 0..k-1 are reported. Objectives: moves (nodes whose \
            stage changes, ties broken by the smaller bottleneck), distance (sum of |s(v) - c(v)|), \
            bottleneck (the least bottleneck changing at most --max-moves nodes). -o writes the repaired \
            partition as a certificate that evaluate, report and certify --partition read. --batch reads \
            one candidate per line on stdin and writes one JSON result per line. --time-limit (default 60 s, \
            per candidate) and --node-limit stop the search early: the best valid partition found so far is \
            returned, marked not optimal. Exit codes: 0 repaired, 1 nothing valid found within the limits \
            (only under a memory cap), 2 bad input or no valid partition at all.
            """)

    @Argument(help: "The model the candidate is for.")
    var model: String

    @Option(name: .long, help: "The candidate: a {\"node\": stage} JSON object or a certificate (not with --batch).")
    var partition: String?

    @Option(name: .long, parsing: .unconditional, help: "The number of pipeline stages k.")
    var stages: Int

    @Option(name: .long, help: "What to minimise: moves, distance or bottleneck.")
    var objective: RepairObjective = .moves

    @Option(name: .long, help: "Price of a moved node under 'moves': unit or work.")
    var weight: RepairWeight = .unit

    @Option(name: .long, help: "With --objective bottleneck: change at most this many nodes.")
    var maxMoves: Int?

    @Option(name: .long, help: "The MIP backend.")
    var solver: SolverChoice = .standard

    /// `--time-limit` (per candidate; the best valid partition found so far is returned) and `--node-limit` (per MIP).
    @OptionGroup var limits: SolveLimitOptions

    @Option(name: .long, help: "Output format: table or json (--batch always writes JSON lines).")
    var format: EvaluationFormat = .table

    @Option(name: [.customShort("o"), .long], help: "Write the repaired partition as a certificate to this file.")
    var output: String?

    @Flag(name: .long, help: "Read candidates as JSON lines on stdin; write one JSON result per line.")
    var batch = false

    func validate() throws {
        try ArgumentChecks.stages(stages)
        if let maxMoves, maxMoves < 0 { throw ValidationError("--max-moves must not be negative") }
        if maxMoves != nil, objective != .bottleneck { throw ValidationError("--max-moves applies to --objective bottleneck only") }
        if batch {
            if partition != nil { throw ValidationError("--batch reads candidates on stdin; drop --partition") }
            if output != nil { throw ValidationError("--batch writes results on stdout; drop -o") }
        } else if partition == nil {
            throw ValidationError("give the candidate with --partition FILE (or use --batch)")
        }
    }

    func run() throws {
        let graph = try ModelLoader.load(path: model)
        let repairer = Repairer(graph: graph, stageCount: stages, solver: try solver.solver())
        let options = RepairOptions(objective: objective, weight: weight, maxMoves: maxMoves, timeLimit: limits.timeLimit,
                                    nodeLimit: limits.nodeLimit)
        if batch { return try runBatch(repairer: repairer, graph: graph, options: options) }
        guard let partition else { return }
        let candidate = try readCandidate(try PartitionFile.read(path: partition, stageCount: stages), graph: graph, file: partition)
        let outcome: RepairOutcome
        do {
            outcome = try repairer.repair(candidate, options: options)
        } catch let error as RepairError {
            throw CommandFailure(message: "\(model), k = \(stages): \(error.message)", exitCode: error.isInfeasible ? 2 : 1)
        }
        let report = RepairReport(outcome: outcome, graph: graph, options: options)
        if let output {
            let certificate = Certificate(graph: graph, partition: outcome.partition, upperMethod: "repair-\(objective.rawValue)",
                                          solver: solver.name, bounds: [], seconds: outcome.seconds)
            try OutputFile.write(try CertificateRendering.json([certificate]), to: output)
        }
        try OutputFile.write(format == .json ? try report.json() : report.table(), to: nil)
    }

    /// The candidate of a partition file's content; a stage count in a certificate must be k.
    private func readCandidate(_ content: PartitionFile.Content, graph: ComputationGraph, file: String) throws -> RepairCandidate {
        switch content {
        case let .stageByNode(stageByNode, _, _):
            return RepairCandidate(stageByNode: stageByNode, graph: graph, stageCount: stages)
        }
    }

    /// One JSON result per stdin line; a bad line gets {"line": N, "error": "..."} and the loop goes on.
    private func runBatch(repairer: Repairer, graph: ComputationGraph, options: RepairOptions) throws {
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let text: String
            do {
                let content = try PartitionFile.parse(Data(line.utf8), file: "stdin line \(lineNumber)", stageCount: stages)
                let candidate = try readCandidate(content, graph: graph, file: "stdin")
                let outcome = try repairer.repair(candidate, options: options)
                text = try RepairReport(outcome: outcome, graph: graph, options: options).json(compact: true)
            } catch {
                text = Self.errorLine(lineNumber, "\(error)")
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    private static func errorLine(_ line: Int, _ message: String) -> String {
        let encoded = (try? JSONEncoder().encode(["error": message])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "{\"line\":\(line)," + encoded.dropFirst()  + "\n"
    }
}

extension RepairObjective: ExpressibleByArgument {}
extension RepairWeight: ExpressibleByArgument {}
