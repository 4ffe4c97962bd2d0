import ArgumentParser

/// `pipebound report` (not built yet).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'report' is not built yet")
    }
}
