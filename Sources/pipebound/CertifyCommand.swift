import ArgumentParser

/// `pipebound certify` (not built yet).
struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "certify", abstract: "Not built yet.")

    func run() throws {
        throw CommandFailure(message: "'certify' is not built yet")
    }
}
