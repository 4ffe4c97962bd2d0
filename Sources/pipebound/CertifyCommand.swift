import ArgumentParser
import Foundation
import MIPSolvers
import PipeCertify
import PipeGraph
import PipeImport

/// `pipebound certify`: finds a partition, proves lower bounds on the best one, prints the certificate.
struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Partition a model into k stages and prove how close the partition is to the best possible one.",
        discussion: """
            Runs the partition heuristics, then lower bounds from cheapest to strongest, until LB/UB reaches \
            the target ratio or the time budget (per stage count) is spent. Progress goes to stderr; SIGINT or \
            SIGTERM stop the solvers and print the best certificate so far (exit 130). Exit codes: 0 success \
            (whatever the ratio), 1 a failed check, 2 bad input or usage, 130 interrupted.
            """)

    @Argument(help: "The model: native JSON, ONNX, dnn-partitioning JSON or CostGraphDef text.")
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "Stage counts, e.g. 8 or 2,4,8,16 (JSON output is an array for several).")
    var stages: StageCountList

    @Option(name: .long, help: "The MIP backend.")
    var solver: SolverChoice = .standard

    @OptionGroup var limits: SolveLimitOptions

    @OptionGroup var profile: ProfileOptions

    @Option(name: .long, parsing: .unconditional, help: "Stop once LB/UB reaches this ratio.")
    var targetRatio: Double = 0.999

    @Option(name: .long, help: "Seed of the randomised partition heuristics.")
    var seed: UInt64 = 1

    @Option(name: .long, parsing: .unconditional, help: "Threads per MIP solve (CBC only).")
    var threads: Int = 1

    @Option(name: .long, help: "Output format.")
    var format: CertificateFormat = .table

    @Flag(name: .long, help: "No progress on stderr.")
    var quiet = false

    @Option(name: [.customShort("o"), .long], help: "Write the output to this file instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Your partition (a {\"node\": stage} map or a certificate): certified first, its own ratio reported.")
    var partition: String?

    @Flag(name: .long, help: "With --partition: repair an invalid partition (least moves) instead of failing.")
    var repair = false

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Under a time limit, work on a second core beside the other steps: the exact MIP on small problems (with GLPK when --solver is cbc, whose solves take turns), neighbourhood search on larger ones.")
    var secondCore = true

    func validate() throws {
        for stageCount in stages.values { try ArgumentChecks.stages(stageCount) }
        guard targetRatio > 0, targetRatio <= 1 else { throw ValidationError("--target-ratio must be in (0, 1]") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if partition != nil, stages.values.count != 1 { throw ValidationError("--partition needs a single stage count") }
        if repair, partition == nil { throw ValidationError("--repair needs --partition") }
    }

    func run() throws {
        // First, before the graph is read: a signal sent while reading still stops the run
        // (InterruptWatcher).
        let watcher = InterruptWatcher()
        let graph = try profile.loadGraph(path: model)
        var options = CertifyOptions(solver: try solver.solver(), timeLimit: limits.timeLimit, nodeLimit: limits.nodeLimit,
                                     targetRatio: targetRatio, seed: seed, threads: threads)
        if secondCore { options.secondCoreSolver = SolverCatalog.concurrentPartner(of: options.solver) }
        let given = try partition.map { try givenPartition(path: $0, graph: graph) }
        let session = CertifySession(graph: graph, options: options, showsProgress: !quiet, watcher: watcher)
        session.givenPartition = given?.partition
        let outcome = session.run(stageCounts: stages.values)
        var results = outcome.results
        if let given, let path = partition {
            for index in results.indices {
                results[index].certificate.givenPartition = GivenPartition(
                    graph: graph, partition: given.partition, source: path, repaired: given.moves != nil,
                    moves: given.moves ?? 0, lowerBound: results[index].certificate.lowerBound.value)
            }
        }
        if outcome.interrupted, results.isEmpty {
            throw CommandFailure(message: "\(model): interrupted before a partition was found; no certificate printed", exitCode: 130)
        }
        if outcome.interrupted, !results.isEmpty {
            // Stage counts run in ascending order: the last one reached is the one the signal stopped.
            results[results.count - 1].certificate.interrupted = true
        }
        try emit(results, graph: graph)
        if outcome.interrupted { throw ExitCode(130) }
    }

    /// The user's partition for the single stage count: as given when valid; otherwise each reason
    /// on stderr as `evaluate` prints them and exit 1, or, with --repair, the least-moves repair.
    private func givenPartition(path: String, graph: ComputationGraph) throws -> (partition: Partition, moves: Int?) {
        let stageCount = stages.values[0]
        let content = try PartitionFile.read(path: path, stageCount: stageCount)
        let (resolved, problems) = PartitionFile.resolve(content, on: graph)
        if let resolved, problems.isEmpty, resolved.stageCount == stageCount { return (resolved, nil) }
        let reasons = problems.isEmpty ? ["the partition has \(resolved?.stageCount ?? 0) stages, not \(stageCount)"] : problems
        guard repair else {
            for problem in reasons.prefix(20) {
                FileHandle.standardError.write(Data("pipebound: \(path): invalid partition: \(problem)\n".utf8))
            }
            if reasons.count > 20 {
                FileHandle.standardError.write(Data("pipebound: \(path): … and \(reasons.count - 20) more problems\n".utf8))
            }
            throw ExitCode(1)
        }
        guard case let .stageByNode(stageByNode, _, _) = content else { throw ExitCode(1) }
        let candidate = RepairCandidate(stageByNode: stageByNode, graph: graph, stageCount: stageCount)
        do {
            let outcome = try Repairer(graph: graph, stageCount: stageCount, solver: solver.solver())
                .repair(candidate, options: RepairOptions(objective: .moves, timeLimit: limits.timeLimit))
            if !quiet {
                FileHandle.standardError.write(Data("pipebound: \(path): invalid (\(reasons[0])\(reasons.count > 1 ? ", …" : "")); repaired with \(outcome.moves.count) moves\n".utf8))
            }
            return (outcome.partition, outcome.moves.count)
        } catch let error as RepairError {
            throw CommandFailure(message: "\(path): cannot repair the partition: \(error.message)", exitCode: error.isInfeasible ? 2 : 1)
        }
    }

    /// Checks every certificate, then prints them all, or prints nothing and fails.
    private func emit(_ results: [CertifiedPartition], graph: ComputationGraph) throws {
        guard !results.isEmpty else {
            throw CommandFailure(message: "\(model): no valid partition found for k = \(stages.description)", exitCode: 1)
        }
        for result in results {
            if let problem = result.problems(graph: graph).first {
                throw CommandFailure(message: "\(model), k = \(result.certificate.stages): \(problem); no certificate printed", exitCode: 1)
            }
        }
        try OutputFile.write(try CertificateRendering.render(results.map(\.certificate), as: format), to: output)
    }
}

/// `--stages 2,4,8`: one or more stage counts (range-checked in `validate()`, as every command does).
struct StageCountList: ExpressibleByArgument, CustomStringConvertible {
    /// The stage counts, ascending, without repeats.
    var values: [Int]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        var values: [Int] = []
        for part in parts {
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(value)
        }
        guard !values.isEmpty else { return nil }
        self.values = Array(Set(values)).sorted()
    }

    var description: String { values.map(String.init).joined(separator: ",") }
}
