import ArgumentParser
import PipeGraph
import PipeImport

/// The model file, its cost profile and the stage count that `partition`, `bound` and `export-mip` share.
struct ModelStageOptions: ParsableArguments {
    @Argument(help: "The model file (native JSON, ONNX, dnn-partitioning JSON or CostGraphDef text).")
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "The number of pipeline stages k (at least 1).")
    var stages: Int

    @OptionGroup var profile: ProfileOptions

    func validate() throws {
        try ArgumentChecks.stages(stages)
    }

    /// Reads and validates the model; problems become one line naming the file.
    func loadGraph() throws -> ComputationGraph {
        try profile.loadGraph(path: model)
    }
}
