import ArgumentParser
import PipeGraph
import PipeImport

/// `--profile FILE`, shared by every command that reads a model: the cost profile that turns the
/// FLOPs and bytes of ONNX and CostGraphDef models into times (docs/importers.md). Native and
/// dnn-partitioning models carry their own times and ignore it.
struct ProfileOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A JSON cost profile overriding the default device and link figures (ONNX and CostGraphDef models).",
                                            valueName: "profile.json"))
    var profile: String?

    /// The cost profile: the file's, or the defaults.
    func costProfile() throws -> CostProfile {
        try profile.map(ModelLoader.loadProfile(path:)) ?? CostProfile()
    }

    /// Reads and validates the model at `path` under this profile; problems become one line naming the file.
    func loadGraph(path: String) throws -> ComputationGraph {
        try ModelLoader.load(path: path, profile: try costProfile())
    }
}
