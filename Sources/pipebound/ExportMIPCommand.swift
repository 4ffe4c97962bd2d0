import ArgumentParser
import Foundation
import MIP
import PipeBounds
import PipeGraph
import PipeImport
import PipePartition

/// `pipebound export-mip MODEL --stages K --formulation NAME -o FILE`: writes a bound's MIP as LP or MPS.
struct ExportMIPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-mip",
        abstract: "Write the MIP of a lower-bound formulation to an LP or MPS file.",
        discussion: """
            The format follows the extension (.lp or .mps). The model is in the graph's own units, so an \
            external solver's optimal objective is the bound itself (value-search: a feasibility probe \
            of bottleneck ≤ T, feasible or not); --scaled writes the costs divided by the scale the bound \
            methods solve with instead. Columns and rows are named after nodes and stages (y_conv1_3, \
            stage_3_cost), and a comment at the top names the graph, k, formulation and scale.
            """)

    @OptionGroup var input: ModelStageOptions

    @Option(name: .long, help: "The formulation (value-search: one probe of bound --method value-search).")
    var formulation: ExportedFormulation

    @Option(name: .long, parsing: .unconditional, help: "The bottleneck value T of a value-search probe, in the graph's time unit.")
    var value: Double?

    @Option(name: .long, parsing: .unconditional, help: "The guessed stage of guess-block, numbered from 0 like every stage.")
    var block: Int?

    @Flag(name: .long, help: "Divide costs by the scale the bound methods solve with (near 1), as before.")
    var scaled = false

    @Option(name: .shortAndLong, help: "The output file: FILE.lp or FILE.mps.")
    var output: String

    func validate() throws {
        guard ["lp", "mps"].contains((output as NSString).pathExtension.lowercased()) else {
            throw ValidationError("-o must name an .lp or .mps file, not '\(output)'")
        }
        if value != nil, formulation != .valueProbe { throw ValidationError("--value applies to --formulation value-search only") }
        if block != nil, formulation != .guessBlock { throw ValidationError("--block applies to --formulation guess-block only") }
        if formulation == .valueProbe {
            guard let value else { throw ValidationError("--formulation value-search needs --value T") }
            guard value > 0, value.isFinite else { throw ValidationError("--value must be a positive number, not \(value)") }
        }
        if formulation == .guessBlock {
            guard let block else { throw ValidationError("--formulation guess-block needs --block B (a stage, from 0)") }
            guard (0..<input.stages).contains(block) else {
                throw ValidationError("--block must be a stage in 0...\(input.stages - 1), not \(block)")
            }
        }
    }

    func run() throws {
        let graph = try input.loadGraph()
        let incumbent = try? Partitioner.partition(graph, stageCount: input.stages, method: .slice)
        let problem = BoundProblem(graph: graph, stageCount: input.stages, incumbent: incumbent?.partition)
        let text: String
        let built: (model: Model, scale: Double)
        do {
            built = try ModelExport.model(formulation, problem: problem, value: value, block: block, scaled: scaled)
            var model = built.model
            ModelExport.nameAfterNodes(&model, graph: graph)
            let comments = header(graph: graph, scale: built.scale)
            text = (output as NSString).pathExtension.lowercased() == "lp"
                ? try LPWriter(model: model, comments: comments).text() : try MPSWriter(model: model, comments: comments).text()
        } catch let error as ModelError {
            throw CommandFailure(message: "\(input.model): \(error.message)")
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandFailure(message: "\(output): cannot write the file (\((error as NSError).localizedDescription))")
        }
        let units = scaled ? "scale \(built.scale) (costs are \(graph.units.time) / scale)" : "in \(graph.units.time)"
        print("wrote \(output): \(formulation.rawValue), \(built.model.variableCount) columns, \(built.model.constraintCount) rows, \(units)")
    }

    /// The file's header: what the model is and which units its numbers are in.
    private func header(graph: ComputationGraph, scale: Double) -> [String] {
        var lines = ["pipebound export-mip: graph \(graph.name) (\(graph.nodeCount) nodes, \(graph.edgeCount) edges), k = \(input.stages), formulation \(formulation.rawValue)"]
        if let value { lines.append("probe: bottleneck <= T = \(value) \(graph.units.time)") }
        if let block { lines.append("guessed stage: \(block) (stages numbered from 0)") }
        if scaled {
            lines.append("scaled: costs are \(graph.units.time) divided by \(scale); multiply the objective by \(scale) for the bound")
        } else {
            lines.append("units: \(graph.units.time) (scale 1); the optimal objective is the bound")
        }
        return lines
    }
}
