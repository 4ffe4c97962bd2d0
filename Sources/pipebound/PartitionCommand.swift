import ArgumentParser

/// `pipebound partition` (not built yet).
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "partition", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'partition' is not built yet")
    }
}
