import ArgumentParser

/// `pipebound evaluate` (not built yet).
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'evaluate' is not built yet")
    }
}
