import ArgumentParser
import PipeGraph
import PipeImport

/// The model file and stage count that `partition`, `bound` and `export-mip` share.
struct ModelStageOptions: ParsableArguments {
    @Argument(help: "The model file (native JSON, ONNX, dnn-partitioning JSON or CostGraphDef text).")
    var model: String

    @Option(name: .long, help: "The number of pipeline stages k (at least 1).")
    var stages: Int

    func validate() throws {
        guard stages >= 1 else { throw ValidationError("--stages must be at least 1, not \(stages)") }
    }

    /// Reads and validates the model; problems become one line naming the file.
    func loadGraph() throws -> ComputationGraph {
        try ModelLoader.load(path: model)
    }
}
