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
        discussion: "The format follows the extension (.lp or .mps). Costs in the file are the graph's divided by the scale printed on stdout.")

    @OptionGroup var input: ModelStageOptions

    @Option(name: .long, help: "exact, single-block, guess-block or value-probe.")
    var formulation: String

    @Option(name: .long, help: "The bottleneck value T of a value-probe.")
    var value: Double?

    @Option(name: .long, help: "The guessed stage (1...k) of guess-block.")
    var block: Int?

    @Option(name: .shortAndLong, help: "The output file: FILE.lp or FILE.mps.")
    var output: String

    func run() throws {
        guard let chosen = ExportedFormulation(rawValue: formulation) else {
            throw CommandFailure(message: "unknown formulation '\(formulation)'; available: \(ExportedFormulation.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let fileExtension = (output as NSString).pathExtension.lowercased()
        guard ["lp", "mps"].contains(fileExtension) else {
            throw CommandFailure(message: "\(output): the output must end in .lp or .mps")
        }
        let graph = try input.loadGraph()
        let incumbent = try? Partitioner.partition(graph, stageCount: input.stages, method: .slice)
        let request = BoundRequest(graph: graph, stageCount: input.stages, solver: NoBackend(), incumbent: incumbent?.partition)
        let built: (model: Model, scale: Double)
        let text: String
        do {
            built = try ModelExport.model(chosen, request: request, value: value, block: block)
            text = fileExtension == "lp" ? try LPWriter(model: built.model).text() : try MPSWriter(model: built.model).text()
        } catch let error as ModelError {
            throw CommandFailure(message: "\(input.model): \(error.message)")
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw CommandFailure(message: "\(output): cannot write the file (\((error as NSError).localizedDescription))")
        }
        print("wrote \(output): \(chosen.rawValue), \(built.model.variableCount) columns, \(built.model.constraintCount) rows, scale \(built.scale)")
    }
}

/// Model building needs no backend; this one refuses to solve.
private struct NoBackend: MIPSolver {
    var name: String { "none" }
    func solve(_ model: Model, options: SolveOptions) throws -> SolveResult { throw ModelError("export-mip does not solve") }
}
