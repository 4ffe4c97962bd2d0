import ArgumentParser

/// `pipebound export-mip` (not built yet).
struct ExportMIPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export-mip", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'export-mip' is not built yet")
    }
}
