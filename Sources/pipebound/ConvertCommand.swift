import ArgumentParser
import Foundation
import PipeGraph
import PipeImport

/// `pipebound convert`: reads any supported model (or generates a synthetic one) and writes the native graph format.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a model (ONNX, dnn-partitioning JSON, CostGraphDef text, native JSON) to native pipebound.graph JSON.",
        discussion: """
            Times come from the cost profile (defaults: a V100-class GPU over PCIe 3.0 x16; see docs/importers.md).
            With --synthetic KIND:NODES:SEED (KIND is layered, chain, diamond or transformer) no MODEL is read:
            a seeded synthetic graph is written instead.
            """)

    @Argument(help: "The model file to convert.")
    var model: String?

    @Option(name: .shortAndLong, help: "Where to write the native JSON (- for standard output).")
    var output: String

    @OptionGroup var profile: ProfileOptions

    @Option(help: "The graph's name (default: the model file's name without extension).")
    var name: String?

    @Option(help: ArgumentHelp("Generate a synthetic graph, KIND:NODES:SEED, instead of reading MODEL.", valueName: "kind:nodes:seed"))
    var synthetic: String?

    @Option(help: ArgumentHelp("Add or replace this model's entry (node and edge counts, ONNX FLOPs and MACs) in a JSON manifest.", valueName: "manifest.json"))
    var manifest: String?

    func run() throws {
        var imported: ImportedModel
        if let synthetic {
            guard model == nil else { throw CommandFailure(message: "give either MODEL or --synthetic, not both") }
            let graph: ComputationGraph
            do {
                graph = try SyntheticGraphs.generate(specification: synthetic)
            } catch let error as GraphError {
                throw CommandFailure(message: "--synthetic \(synthetic): \(error.message)")
            }
            imported = ImportedModel(graph: graph, format: .native)
        } else {
            guard let model else { throw CommandFailure(message: "missing MODEL (or --synthetic KIND:NODES:SEED)") }
            imported = try ModelLoader.importModel(path: model, profile: try profile.costProfile())
        }
        if let name { imported.graph.name = name }
        let data = try GraphFile.encode(imported.graph)
        try write(data + Data("\n".utf8), to: output)
        if let manifest { try updateManifest(manifest, with: imported) }
    }

    /// Writes `data` to `path` ("-" is standard output); regular files are replaced atomically,
    /// anything else (a pipe, /dev/stdout) is written in place.
    private func write(_ data: Data, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        let isRegularOrMissing = ((try? FileManager.default.attributesOfItem(atPath: path)[.type]) as? FileAttributeType).map { $0 == .typeRegular } ?? true
        do {
            try data.write(to: URL(fileURLWithPath: path), options: isRegularOrMissing ? .atomic : [])
        } catch {
            throw CommandFailure(message: "\(path): cannot write the file (\((error as NSError).localizedDescription))")
        }
    }

    /// Manifest: {"models": {name: {field: number}}}, sorted keys so regenerating gives stable diffs.
    private func updateManifest(_ path: String, with imported: ImportedModel) throws {
        var models: [String: [String: Double]] = [:]
        if FileManager.default.fileExists(atPath: path) {
            struct Manifest: Decodable { var models: [String: [String: Double]] }
            guard let existing = try? JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path))) else {
                throw CommandFailure(message: "\(path): not a manifest written by 'pipebound convert --manifest'")
            }
            models = existing.models
        }
        models[imported.graph.name] = imported.summary
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try write(try encoder.encode(["models": models]) + Data("\n".utf8), to: path)
    }
}
