import ArgumentParser
import PipeCertify

/// `pipebound summary`: the paper-style table of a suite's results.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print the geometric mean of LB/UB per k per method from suite results.")

    @Argument(help: "A results file written by 'regress --results' or 'merge'.")
    var results: String

    func run() throws {
        let loaded = try SuiteResults.read(path: results)
        let summary = SuiteSummary(loaded)
        print("suite '\(loaded.suite)': \(loaded.instances.count) of \(loaded.totalInstances) instances")
        print(summary.table(), terminator: "")
        let invalid = loaded.instances.filter { !$0.problems.isEmpty }
        if !invalid.isEmpty {
            print("\(invalid.count) invalid instances left out: " + invalid.map(\.instance.identifier).joined(separator: ", "))
        }
    }
}
