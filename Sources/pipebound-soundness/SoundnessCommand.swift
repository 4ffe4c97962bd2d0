import ArgumentParser
import Foundation
import MIP
import MIPSolvers
import PipeGraph
import PipeTestSupport

/// `pipebound-soundness`: the medium soundness check (``MediumSoundnessCheck``) in a release build,
/// where its exact DP and model building run fast enough for hundreds of graphs. `make test` runs
/// it on 500 graphs through `MediumSoundnessProgramTests`; exit 1 if any bound, probe or partition
/// broke its promise, with one line per failure.
@main
struct SoundnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipebound-soundness",
        abstract: "Check every MIP lower bound against the exact optimum on medium random graphs.",
        discussion: "Block b checks graphs from seed b·100000 on; seeds the exact DP cannot answer within its limits are replaced by the next ones.")

    @Option(name: .long, parsing: .upToNextOption, help: "The blocks to run (0-based).")
    var blocks: [UInt64] = [0, 1, 2, 3, 4]

    @Option(name: .long, help: "Graphs per block.")
    var graphs = 100

    @Option(name: .long, parsing: .upToNextOption, help: "Solver backends (default: every one available).")
    var solver: [String] = []

    @Option(name: .long, help: "MIP node limit per solve.")
    var nodeLimit = 20

    @Option(name: .long, help: "Seconds per method and graph.")
    var timeLimit: Double = 1

    @Flag(name: .long, help: "Print every bound with its time.")
    var verbose = false

    @Option(name: .long, help: ArgumentHelp("Write the graph of this seed as native JSON to --output and stop.", valueName: "seed"))
    var writeSeed: UInt64?

    @Option(name: [.short, .long], help: "The file for --write-seed.")
    var output = "medium.json"

    func validate() throws {
        guard graphs >= 1 else { throw ValidationError("--graphs must be at least 1.") }
        guard nodeLimit >= 1 else { throw ValidationError("--node-limit must be at least 1.") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive.") }
    }

    func run() throws {
        if let seed = writeSeed {
            try GraphFile.encode(MediumGraphs.graph(seed: seed)).write(to: URL(fileURLWithPath: output))
            return
        }
        let names = solver.isEmpty ? SolverCatalog.names : solver
        var check = MediumSoundnessCheck(solvers: try names.map { try SolverCatalog.solver(named: $0) })
        check.nodeLimit = nodeLimit
        check.timeLimit = timeLimit
        if verbose { check.onBound = { print($0) } }
        var failures = 0
        for block in blocks {
            let start = Date()
            let summary = check.run(firstSeed: block * 100_000, graphCount: graphs)
            for failure in summary.failures { print("FAIL \(failure)") }
            failures += summary.failures.count
            print(String(format: "medium soundness block %d (%.1f s): %@", Int(block), Date().timeIntervalSince(start), summary.line))
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
