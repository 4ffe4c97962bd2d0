import ArgumentParser

/// `pipebound merge` (not built yet).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'merge' is not built yet")
    }
}
