import ArgumentParser

/// `pipebound convert` (not built yet).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'convert' is not built yet")
    }
}
