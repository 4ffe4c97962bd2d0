import ArgumentParser
import Foundation
import PipeCertify

/// `pipebound regress`: runs a regression suite and compares it with its goldens.
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress",
        abstract: "Run a regression suite and compare every (model, k, method) with its golden.",
        discussion: """
            Fails (exit 1, with a table of what changed) when a partition gets worse, a proven bound \
            weaker, a certificate invalid, or LB > UB. Improvements are reported and suggest --update, \
            which rewrites the goldens. Goldens use node limits and fixed seeds, never time limits. \
            --shard I/N runs instances I, I+N, I+2N, … (I from 0); combine shard results with 'pipebound merge'.
            """)

    @Argument(help: "The suite file.")
    var suite: String = "Fixtures/suite.json"

    @Flag(name: .long, help: "Rewrite the goldens of the instances run.")
    var update = false

    @Option(name: .long, help: "Instances run in parallel.")
    var jobs: Int = 1

    @Option(name: .long, help: "Run one slice: I/N with 0 ≤ I < N.")
    var shard: ShardArgument?

    @Option(name: .long, help: "Write the results (for 'merge' and 'summary') to this file.")
    var results: String?

    @Flag(name: .long, help: "No per-instance progress on stderr.")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let suite = try Suite.load(path: self.suite)
        let all = suite.allInstances
        let instances = shard.map { $0.specification.select(all) } ?? all
        let counter = ProgressCounter(total: instances.count)
        let quiet = self.quiet
        let outcome = SuiteRunner.run(suite, instances: instances, jobs: jobs, shard: shard?.specification,
                                      solvers: { try SolverChoice.solver(named: $0) }) { result, seconds in
            guard !quiet else { return }
            let position = counter.next()
            let summary: String
            if let certificate = result.certificate {
                summary = "UB \(NumberFormatting.figure(certificate.upperBound.value))  LB \(NumberFormatting.figure(certificate.lowerBound.value))  LB/UB \(NumberFormatting.ratio(certificate.ratio))"
            } else {
                summary = result.problems.first ?? "no result"
            }
            let line = "[\(position)/\(instances.count)] \(result.instance.identifier)  \(summary)  \(NumberFormatting.seconds(seconds)) s\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        if let results { try OutputFile.write(try outcome.json(), to: results) }

        let expected = suite.resolve(suite.expected)
        var goldens: [Int: Golden] = [:]
        for instance in instances {
            if let golden = try Golden.read(for: instance, in: expected) { goldens[instance.index] = golden }
        }
        let comparison = GoldenComparison(results: outcome.instances, goldens: goldens, tolerance: suite.tolerance)
        let invalid = outcome.instances.filter { !$0.problems.isEmpty }

        if update {
            var written = 0
            for result in outcome.instances where result.problems.isEmpty {
                guard let certificate = result.certificate else { continue }
                try Golden(instance: result.instance, certificate: certificate).write(for: result.instance, in: expected)
                written += 1
            }
            print("updated \(written) goldens in \(expected)")
            guard invalid.isEmpty else {
                print(comparison.table(), terminator: "")
                throw CommandFailure(message: "\(invalid.count) instances are invalid; their goldens were not written", exitCode: 1)
            }
            return
        }

        print(comparison.table(), terminator: "")
        print(SuiteSummary(outcome).table(), terminator: "")
        let regressions = comparison.changes.filter { $0.verdict == .regression }.count
        let better = comparison.changes.filter { $0.verdict == .improvement }.count
        let new = comparison.changes.filter { $0.verdict == .new }.count
        print("\(instances.count) instances: \(regressions) regressions, \(better) improvements, \(new) new")
        if better + new > 0 {
            print("to record the improvements: pipebound regress \(self.suite)\(shard.map { " --shard \($0.specification)" } ?? "") --update")
        }
        if regressions > 0 { throw ExitCode(1) }
    }
}

/// `--shard I/N`.
struct ShardArgument: ExpressibleByArgument {
    var specification: ShardSpecification

    init?(argument: String) {
        guard let specification = ShardSpecification(argument) else { return nil }
        self.specification = specification
    }
}

/// Numbers finished instances for the progress lines (workers finish in any order).
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    let total: Int

    init(total: Int) { self.total = total }

    func next() -> Int {
        lock.lock(); defer { lock.unlock() }
        done += 1
        return done
    }
}
