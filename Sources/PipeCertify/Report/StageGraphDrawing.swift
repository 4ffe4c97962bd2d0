import Foundation

/// Draws a certificate's stage graph (``StageGraph``): one box per stage, coloured as in the
/// other drawings, labelled with its cost; one arrow per stage pair, labelled with its comm.
public enum StageGraphDrawing {
    /// Graphviz DOT text of the stage graph; the critical path's arrows are drawn bold.
    public static func dot(_ certificate: Certificate, stageGraph: StageGraph) -> String {
        let figure = NumberFormatting.figure
        let onPath = Set(zip(stageGraph.criticalPath, stageGraph.criticalPath.dropFirst()).map { "\($0)-\($1)" })
        var text = "digraph \"stages\" {\n  rankdir=LR;\n"
        text += "  node [shape=box, style=\"filled,rounded\", fontname=\"Helvetica\", fontsize=11];\n"
        text += "  edge [color=\"#666666\", fontname=\"Helvetica\", fontsize=9];\n"
        for stage in certificate.upperBound.stages {
            text += "  s\(stage.index) [fillcolor=\"\(StagePalette.color(forStage: stage.index))\", "
                + "label=\"stage \(stage.index)\\n\(figure(stage.cost)) \(certificate.units.time), \(stage.nodes.count) nodes\"];\n"
        }
        for edge in stageGraph.edges {
            let bold = onPath.contains("\(edge.from)-\(edge.to)") ? ", penwidth=2.5, color=\"#222222\"" : ""
            text += "  s\(edge.from) -> s\(edge.to) [label=\"\(figure(edge.comm))\"\(bold)];\n"
        }
        return text + "}\n"
    }

    /// A self-contained SVG: stages in columns by their depth in the stage graph (stages in one
    /// column have no path between them and run at the same time), arrows labelled with comm.
    public static func svg(_ certificate: Certificate, stageGraph: StageGraph) -> String {
        let figure = NumberFormatting.figure
        let stageCount = certificate.upperBound.stages.count
        var depth = [Int](repeating: 0, count: stageCount)
        for edge in stageGraph.edges.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) })
            where edge.from < edge.to && edge.to < stageCount {
            depth[edge.to] = max(depth[edge.to], depth[edge.from] + 1)
        }
        var rowOf = [Int](repeating: 0, count: stageCount)
        var used: [Int: Int] = [:]
        for stage in 0..<stageCount {
            rowOf[stage] = used[depth[stage], default: 0]
            used[depth[stage], default: 0] += 1
        }
        let boxWidth = 130.0, boxHeight = 44.0, columnGap = 70.0, rowGap = 24.0, margin = 16.0
        func x(_ stage: Int) -> Double { margin + Double(depth[stage]) * (boxWidth + columnGap) }
        func y(_ stage: Int) -> Double { margin + Double(rowOf[stage]) * (boxHeight + rowGap) }
        let width = margin * 2 + Double((depth.max() ?? 0) + 1) * (boxWidth + columnGap) - columnGap
        let height = margin * 2 + Double(used.values.max() ?? 1) * (boxHeight + rowGap) - rowGap
        var svg = String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n", width, height)
        svg += "<defs><marker id=\"stage-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#666\"/></marker></defs>\n"
        for edge in stageGraph.edges where edge.from < stageCount && edge.to < stageCount {
            let (x1, y1) = (x(edge.from) + boxWidth, y(edge.from) + boxHeight / 2)
            let (x2, y2) = (x(edge.to), y(edge.to) + boxHeight / 2)
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#666\" marker-end=\"url(#stage-arrow)\"/>\n", x1, y1, x2, y2)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444\">", (x1 + x2) / 2, (y1 + y2) / 2 - 3)
                + XMLText.escape(figure(edge.comm)) + "</text>\n"
        }
        for stage in certificate.upperBound.stages where stage.index < stageCount {
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" rx=\"6\" ",
                          x(stage.index), y(stage.index), boxWidth, boxHeight)
                + "fill=\"\(StagePalette.color(forStage: stage.index))\" stroke=\"#555\"/>\n"
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x(stage.index) + boxWidth / 2, y(stage.index) + 18)
                + "stage \(stage.index)</text>\n"
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x(stage.index) + boxWidth / 2, y(stage.index) + 34)
                + XMLText.escape("\(figure(stage.cost)) \(certificate.units.time)") + "</text>\n"
        }
        return svg + "</svg>\n"
    }
}
