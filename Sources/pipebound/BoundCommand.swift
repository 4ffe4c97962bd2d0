import ArgumentParser

/// `pipebound bound` (not built yet).
struct BoundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bound", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'bound' is not built yet")
    }
}
