import Foundation
import PipeGraph

/// A simple layered drawing of the graph in SVG, nodes coloured by stage, edges as arrows, for
/// when Graphviz is not installed. Layers are longest-path depths from the sources; within a layer nodes
/// are ordered by the mean position of their predecessors, which keeps chains straight.
public enum LayeredDrawing {
    /// Graphs larger than this are not drawn (the drawing would be unreadable and huge).
    public static let maximumNodeCount = 4000

    /// The SVG, or nil when the graph has more than ``maximumNodeCount`` nodes.
    public static func svg(graph: ComputationGraph, partition: Partition) -> String? {
        guard graph.nodeCount <= maximumNodeCount else { return nil }
        var depth = [Int](repeating: 0, count: graph.nodeCount)
        for node in graph.topologicalOrder {
            for consumer in graph.successors[node] { depth[consumer] = max(depth[consumer], depth[node] + 1) }
        }
        let layerCount = (depth.max() ?? 0) + 1
        var layers = [[Int]](repeating: [], count: layerCount)
        for node in graph.topologicalOrder { layers[depth[node]].append(node) }
        var position = [Double](repeating: 0, count: graph.nodeCount)
        for (layerIndex, layer) in layers.enumerated() {
            var ordered = layer
            if layerIndex > 0 {
                let key = Dictionary(uniqueKeysWithValues: layer.map { node -> (Int, Double) in
                    let predecessors = graph.predecessors[node]
                    let mean = predecessors.isEmpty ? 0 : predecessors.map { position[$0] }.reduce(0, +) / Double(predecessors.count)
                    return (node, mean)
                })
                ordered.sort { (key[$0]!, $0) < (key[$1]!, $1) }
            }
            layers[layerIndex] = ordered
            for (slot, node) in ordered.enumerated() { position[node] = Double(slot) - Double(ordered.count - 1) / 2 }
        }
        let boxWidth = 120.0, boxHeight = 22.0, columnGap = 16.0, rowGap = 34.0, margin = 20.0
        let widest = layers.map(\.count).max() ?? 1
        let width = margin * 2 + Double(widest) * (boxWidth + columnGap)
        let height = margin * 2 + Double(layerCount) * (boxHeight + rowGap)
        func centre(_ node: Int) -> (Double, Double) {
            (width / 2 + position[node] * (boxWidth + columnGap), margin + Double(depth[node]) * (boxHeight + rowGap) + boxHeight / 2)
        }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"10\">\n"
        // One arrowhead marker, inherited by every edge of the group (an edge points at its consumer).
        svg += "<defs><marker id=\"layered-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#888\"/></marker></defs>\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<g stroke=\"#999\" stroke-width=\"0.8\" fill=\"none\" marker-end=\"url(#layered-arrow)\">\n"
        for (producer, consumer) in graph.edges {
            let (x1, y1) = centre(producer), (x2, y2) = centre(consumer)
            svg += "<line x1=\"\(f(x1))\" y1=\"\(f(y1 + boxHeight / 2))\" x2=\"\(f(x2))\" y2=\"\(f(y2 - boxHeight / 2))\"/>\n"
        }
        svg += "</g>\n"
        for (index, node) in graph.nodes.enumerated() {
            let (x, y) = centre(index)
            let stage = partition.stageOf[index]
            let label = node.name.count > 18 ? String(node.name.prefix(17)) + "…" : node.name
            svg += "<g><title>\(XMLText.escape(node.name)) (\(XMLText.escape(node.op))): stage \(stage), work \(NumberFormatting.figure(node.work)), comm \(NumberFormatting.figure(node.comm))</title>"
            svg += "<rect x=\"\(f(x - boxWidth / 2))\" y=\"\(f(y - boxHeight / 2))\" width=\"\(boxWidth)\" height=\"\(boxHeight)\" rx=\"4\" fill=\"\(StagePalette.color(forStage: stage))\" stroke=\"#555\" stroke-width=\"0.6\"/>"
            svg += "<text x=\"\(f(x))\" y=\"\(f(y + 3.5))\" text-anchor=\"middle\">\(XMLText.escape(label)) [\(stage)]</text></g>\n"
        }
        return svg + "</svg>\n"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
