import ArgumentParser

/// `pipebound regress` (not built yet).
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "regress", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'regress' is not built yet")
    }
}
