import ArgumentParser
import PipeCertify

/// `pipebound summary`: the paper-style table of a suite's results.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print the geometric mean of LB/UB per k per method from suite results.")

    @Argument(help: "A results file written by 'regress --results' or 'merge'.")
    var results: String

    @Option(name: [.customShort("o"), .long], help: "Write the table to this file instead of stdout.")
    var output: String?

    func run() throws {
        let loaded = try SuiteResults.read(path: results)
        let summary = SuiteSummary(loaded)
        var text = "suite '\(loaded.suite)': \(loaded.instances.count) of \(loaded.totalInstances) instances\n"
        text += summary.table()
        let invalid = loaded.instances.filter { !$0.problems.isEmpty }
        if !invalid.isEmpty {
            text += "\(invalid.count) invalid instances left out: " + invalid.map(\.instance.identifier).joined(separator: ", ") + "\n"
        }
        try OutputFile.write(text, to: output)
    }
}
