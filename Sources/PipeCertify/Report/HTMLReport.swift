import Foundation
import PipeGraph

/// An HTML page per certificate file: the summary, the stage-load chart, the stage graph and, when
/// the model is given, the graph coloured by stage (Graphviz when installed, else ``LayeredDrawing``).
public enum HTMLReport {
    /// One certificate and, optionally, the graph and partition to draw.
    public struct Section {
        /// The certificate.
        public var certificate: Certificate
        /// The graph and the certificate's partition on it, for the drawing.
        public var drawing: (graph: ComputationGraph, partition: Partition)?

        public init(certificate: Certificate, drawing: (graph: ComputationGraph, partition: Partition)?) {
            self.certificate = certificate
            self.drawing = drawing
        }
    }

    /// The page.
    public static func html(_ sections: [Section]) -> String {
        let title = sections.first.map { "PipeBound certificate: \($0.certificate.graph.name)" } ?? "PipeBound certificate"
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(XMLText.escape(title))</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #222; }
            pre { background: #f6f6f6; padding: 12px; overflow-x: auto; font-size: 12px; }
            .graph { overflow: auto; max-height: 900px; border: 1px solid #ddd; }
            .legend span { display: inline-block; padding: 2px 8px; margin: 2px; border-radius: 3px; font-size: 12px; }
            </style></head><body>
            <h1>\(XMLText.escape(title))</h1>

            """
        for section in sections {
            let certificate = section.certificate
            page += "<h2>k = \(certificate.stages): LB/UB \(NumberFormatting.ratio(certificate.ratio))</h2>\n"
            page += "<pre>\(XMLText.escape(CertificateRendering.table(certificate)))</pre>\n"
            page += StageChart.svg(certificate)
            // Certificates written before the stage graph existed get it from the model, when given.
            if let stageGraph = certificate.stageGraph ?? section.drawing.map({ StageGraph(graph: $0.graph, partition: $0.partition) }) {
                page += "<h3>The stage graph</h3>\n<p>Graph-pipeline latency \(NumberFormatting.figure(stageGraph.graphLatency)) \(certificate.units.time) "
                    + "(the costliest path, stages \(stageGraph.criticalPath.map(String.init).joined(separator: " → "))); "
                    + "as a chain \(NumberFormatting.figure(stageGraph.sequentialLatency)) \(certificate.units.time).</p>\n"
                page += "<div class=\"graph\">\(StageGraphDrawing.svg(certificate, stageGraph: stageGraph))</div>\n"
            }
            guard let drawing = section.drawing else { continue }
            page += "<h3>The graph, coloured by stage</h3>\n<p class=\"legend\">"
            for stage in 0..<certificate.stages {
                page += "<span style=\"background:\(StagePalette.color(forStage: stage))\">stage \(stage)</span>"
            }
            page += "</p>\n"
            if drawing.graph.nodeCount <= StageDot.graphvizMaximumNodeCount,
               let svg = StageDot.renderWithGraphviz(StageDot.dot(graph: drawing.graph, partition: drawing.partition)) {
                page += "<div class=\"graph\">\(svg)</div>\n"
            } else if let svg = LayeredDrawing.svg(graph: drawing.graph, partition: drawing.partition) {
                page += "<div class=\"graph\">\(svg)</div>\n"
            } else {
                page += "<p>The graph has \(drawing.graph.nodeCount) nodes, too many to draw here; use --dot and Graphviz.</p>\n"
            }
        }
        return page + "</body></html>\n"
    }
}
