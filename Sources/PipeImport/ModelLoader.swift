import Foundation
import PipeGraph

/// A failure to read an input file: one line naming the file, the place and the problem.
public struct InputError: Error, CustomStringConvertible, Sendable {
    /// The file the problem is in.
    public let file: String
    /// The place and the problem, without the file name.
    public let problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}

/// Reads any model file PipeBound understands, detecting the format by content.
public enum ModelLoader {
    /// Reads and validates the model at `path`. Throws ``InputError`` for anything wrong with it.
    public static func load(path: String) throws -> ComputationGraph {
        try load(path: path, profile: CostProfile())
    }

    /// Reads and validates the model at `path`; `profile` turns measured FLOPs and bytes into
    /// times for the formats that carry no times of their own (ONNX, CostGraphDef output sizes).
    public static func load(path: String, profile: CostProfile) throws -> ComputationGraph {
        let data = try read(path)
        do {
            return try ModelFormat.detect(data, path: path).load(data, name: defaultName(for: path), profile: profile)
        } catch let error as GraphError {
            throw InputError(file: path, problem: error.message)
        }
    }

    /// Reads a cost profile file (JSON; fields left out keep their defaults).
    public static func loadProfile(path: String) throws -> CostProfile {
        let data = try read(path)
        do {
            return try CostProfile.decode(data)
        } catch let error as GraphError {
            throw InputError(file: path, problem: error.message)
        }
    }

    /// The file's contents, or an ``InputError`` saying why it cannot be read.
    static func read(_ path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: path, problem: "is a directory, not a file")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, problem: "cannot read the file (\((error as NSError).localizedDescription))")
        }
    }

    /// The graph name for formats without one: the file name without directory and extension.
    static func defaultName(for path: String) -> String {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return base.isEmpty ? "model" : base
    }
}
