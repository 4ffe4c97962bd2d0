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
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, problem: "cannot read the file (\((error as NSError).localizedDescription))")
        }
        do {
            if GraphFile.looksNative(data) { return try GraphFile.decode(data) }
            throw GraphError("unrecognised format: expected native pipebound.graph JSON, ONNX, dnn-partitioning JSON or CostGraphDef text")
        } catch let error as GraphError {
            throw InputError(file: path, problem: error.message)
        }
    }
}
