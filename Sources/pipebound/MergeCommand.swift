import ArgumentParser
import Foundation
import PipeCertify

/// `pipebound merge`: combines the results of suite shards into one results file.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine the results files of suite shards (regress --shard I/N --results R) into one.")

    @Argument(help: "Results files written by 'regress --results'.")
    var inputs: [String]

    @Option(name: [.customShort("o"), .long], help: "The merged results file (default: stdout).")
    var output: String?

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give one or more results files") }
    }

    func run() throws {
        let parts = try inputs.map { try SuiteResults.read(path: $0) }
        let merged: SuiteResults
        do {
            merged = try SuiteResults.merge(parts)
        } catch let error as SuiteError {
            throw CommandFailure(message: error.message)
        }
        try OutputFile.write(try merged.json(), to: output)
        if merged.instances.count < merged.totalInstances {
            FileHandle.standardError.write(Data("pipebound: merged \(merged.instances.count) of \(merged.totalInstances) instances of suite '\(merged.suite)'; some shards are missing\n".utf8))
        }
    }
}
