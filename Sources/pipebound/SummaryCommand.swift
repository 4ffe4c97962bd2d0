import ArgumentParser

/// `pipebound summary` (not built yet).
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'summary' is not built yet")
    }
}
