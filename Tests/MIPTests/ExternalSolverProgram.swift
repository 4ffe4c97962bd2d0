import Foundation

/// The `cbc` and `glpsol` command-line programs, run on a model file to read back its optimum.
enum ExternalSolverProgram: String, CaseIterable {
    case cbc
    case glpsol

    /// The program's path on PATH, or nil when it is not installed.
    var path: String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return directories.map { "\($0)/\(rawValue)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Solves `file` (`.lp` or `.mps`, free format) and returns the optimal objective the program reports.
    func optimum(of file: URL) throws -> Double {
        guard let path else { throw ProgramFailure(message: "\(rawValue) is not installed") }
        let solution = file.deletingPathExtension().appendingPathExtension("\(rawValue).out")
        let arguments: [String]
        switch self {
        case .cbc:
            arguments = [file.path, "-solve", "-solu", solution.path]
        case .glpsol:
            arguments = [file.pathExtension == "lp" ? "--lp" : "--freemps", file.path, "-o", solution.path]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = try String(contentsOf: solution, encoding: .utf8)
        // cbc: "Optimal - objective value 29.00000000"; glpsol: "Objective:  obj = 29 (MAXimum)".
        let pattern = self == .cbc ? "Optimal - objective value ([-0-9.eE+]+)" : "Objective:\\s+\\S+ = ([-0-9.eE+]+)"
        let expression = try NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        guard self == .cbc || text.contains("INTEGER OPTIMAL") || text.contains("OPTIMAL"),
              let match = expression.firstMatch(in: text, range: range),
              let valueRange = Range(match.range(at: 1), in: text), let value = Double(text[valueRange]) else {
            throw ProgramFailure(message: "\(rawValue) did not report an optimum for \(file.lastPathComponent): \(text.prefix(200))")
        }
        return value
    }
}

/// A program run that did not produce what the test needs.
struct ProgramFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
