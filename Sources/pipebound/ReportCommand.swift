import ArgumentParser
import Foundation
import PipeCertify
import PipeGraph
import PipeImport

/// `pipebound report`: an SVG chart or an HTML page of a certificate, and optionally a DOT file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw a certificate: stage loads as SVG, or an HTML page with the chart and the graph coloured by stage.",
        discussion: """
            The output type follows the extension of -o (.svg or .html). With --model, the HTML page also \
            draws the graph coloured by stage (Graphviz 'dot' when installed, else a built-in layered \
            layout), and --dot writes a Graphviz DOT file coloured by stage. The HTML page also draws \
            the stage graph (stages as boxes, the comm between them on the arrows); --stage-dot writes it as DOT.
            """)

    @Argument(help: "A certificate JSON file (one certificate or an array of them).")
    var certificate: String

    @Option(name: [.customShort("o"), .long], help: "The output file: OUT.svg or OUT.html.")
    var output: String

    @Option(name: .long, help: "The model the certificate is for (draws the graph).")
    var model: String?

    @Option(name: .long, help: "Also write a Graphviz DOT file of the graph coloured by stage (needs --model).")
    var dot: String?

    @Option(name: .long, help: "Also write a Graphviz DOT file of the stage graph (stages and the comm between them).")
    var stageDot: String?

    @OptionGroup var profile: ProfileOptions

    @Option(name: .long, parsing: .unconditional, help: "Pick the certificate with this k from an array.")
    var stages: Int?

    func validate() throws {
        guard output.lowercased().hasSuffix(".svg") || output.lowercased().hasSuffix(".html") || output.lowercased().hasSuffix(".htm") else {
            throw ValidationError("-o must name an .svg or .html file, not '\(output)'")
        }
        if let stages { try ArgumentChecks.stages(stages) }
        if dot != nil, model == nil { throw ValidationError("--dot needs --model (the certificate has no edges)") }
    }

    func run() throws {
        let certificates = try CertificateFile.read(path: certificate)
        let graph = try model.map { try profile.loadGraph(path: $0) }
        func partition(of chosen: Certificate, on graph: ComputationGraph) throws -> Partition {
            do {
                return try chosen.partition(on: graph)
            } catch let error as CertificateError {
                throw InputError(file: certificate, problem: "does not fit model '\(model ?? "")': \(error.message)")
            }
        }
        if output.lowercased().hasSuffix(".svg") {
            let chosen = try CertificateFile.select(certificates, stageCount: stages, file: certificate)
            try OutputFile.write(StageChart.svg(chosen), to: output)
        } else {
            let chosen = stages == nil ? certificates : [try CertificateFile.select(certificates, stageCount: stages, file: certificate)]
            let sections = try chosen.map { certificate -> HTMLReport.Section in
                guard let graph else { return HTMLReport.Section(certificate: certificate, drawing: nil) }
                return HTMLReport.Section(certificate: certificate, drawing: (graph, try partition(of: certificate, on: graph)))
            }
            try OutputFile.write(HTMLReport.html(sections), to: output)
        }
        if let stageDot {
            let chosen = try CertificateFile.select(certificates, stageCount: stages ?? (certificates.count == 1 ? nil : certificates.last?.stages), file: certificate)
            guard let stageGraph = try chosen.stageGraph ?? graph.map({ StageGraph(graph: $0, partition: try partition(of: chosen, on: $0)) }) else {
                throw InputError(file: certificate, problem: "has no stage_graph (written by an older version); pass --model to compute it")
            }
            try OutputFile.write(StageGraphDrawing.dot(chosen, stageGraph: stageGraph), to: stageDot)
        }
        if let dot, let graph {
            let chosen = try CertificateFile.select(certificates, stageCount: stages ?? (certificates.count == 1 ? nil : certificates.last?.stages), file: certificate)
            try OutputFile.write(StageDot.dot(graph: graph, partition: try partition(of: chosen, on: graph)), to: dot)
        }
    }
}
