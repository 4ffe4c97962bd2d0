import ArgumentParser
import Foundation
import PipeImport

/// Runs the command line with PipeBound's exit codes: 0 success, 1 a regression or failed
/// check, 2 bad input or usage (one line on stderr), 130 interrupted.
@main
enum Entry {
    static func main() {
        do {
            var command = try Pipebound.parseAsRoot()
            try command.run()
        } catch {
            exit(reporting: error)
        }
    }

    /// Prints one line for `error` and ends the process with the matching exit code.
    static func exit(reporting error: Error) -> Never {
        switch error {
        case let code as ExitCode:
            Foundation.exit(code.rawValue)
        case let input as InputError:
            FileHandle.standardError.write(Data("pipebound: \(input.description)\n".utf8))
            Foundation.exit(2)
        case let failure as CommandFailure:
            FileHandle.standardError.write(Data("pipebound: \(failure.message)\n".utf8))
            Foundation.exit(failure.exitCode)
        default:
            let code = Pipebound.exitCode(for: error)
            if code == .success {
                // --help and --version.
                print(Pipebound.fullMessage(for: error))
                Foundation.exit(0)
            }
            // One line: a list of six or more choices comes as "following:" and a bullet per line; join it.
            let lines = Pipebound.message(for: error).split(separator: "\n").map(String.init)
            let choices = lines.dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
            let message = (lines.first ?? "\(error)") + (choices.isEmpty ? "" : " " + choices.joined(separator: ", "))
            FileHandle.standardError.write(Data("pipebound: \(message) (see '\(helpCommand)')\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// `pipebound help SUBCOMMAND` for the subcommand named on the command line, else `pipebound help`:
/// a usage error is best explained by the help of the command it was made in.
private var helpCommand: String {
    let names = Set(Pipebound.configuration.subcommands.map { $0._commandName })
    guard let subcommand = CommandLine.arguments.dropFirst().first(where: { !$0.hasPrefix("-") }),
          names.contains(subcommand) else { return "pipebound help" }
    return "pipebound help \(subcommand)"
}

/// A failure a subcommand reports as one line with a chosen exit code (2 for bad input, 1 for a failed check).
struct CommandFailure: Error {
    /// The line printed after `pipebound: `.
    var message: String
    /// The process exit code.
    var exitCode: Int32 = 2
}
