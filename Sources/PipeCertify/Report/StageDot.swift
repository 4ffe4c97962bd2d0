import Foundation
import PipeGraph

/// A Graphviz DOT file of the graph with every node filled in its stage's colour.
public enum StageDot {
    /// The DOT text; the tooltip of each node gives its stage, work and comm.
    public static func dot(graph: ComputationGraph, partition: Partition) -> String {
        var text = "digraph \(quoted(graph.name)) {\n"
        text += "  rankdir=TB;\n  node [shape=box, style=\"filled,rounded\", fontname=\"Helvetica\", fontsize=10, height=0.3];\n"
        text += "  edge [color=\"#888888\", arrowsize=0.6];\n"
        if graph.nodes.count > boundedLayoutNodeCount {
            // Bounded network-simplex and crossing passes: bert_l-3_training (600 nodes) took over 60 s
            // in `dot` with the defaults and under 10 s with these, at a slightly less tidy layout.
            text += "  nslimit=1; nslimit1=1; mclimit=0.2;\n"
        }
        for (index, node) in graph.nodes.enumerated() {
            let stage = partition.stageOf[index]
            let tooltip = "\(node.name): stage \(stage), work \(NumberFormatting.figure(node.work)), comm \(NumberFormatting.figure(node.comm))"
            text += "  \(quoted(node.name)) [fillcolor=\"\(StagePalette.color(forStage: stage))\", tooltip=\(quoted(tooltip)), label=\(quoted("\(node.name)\n[\(stage)]"))];\n"
        }
        for (producer, consumer) in graph.edges {
            text += "  \(quoted(graph.nodes[producer].name)) -> \(quoted(graph.nodes[consumer].name));\n"
        }
        return text + "}\n"
    }

    /// Graphs above this many nodes get `dot`'s bounded layout passes (in the DOT text, so that a
    /// `--dot` file renders as fast outside PipeBound).
    public static let boundedLayoutNodeCount = 400

    /// Graphs above this many nodes are drawn by ``LayeredDrawing``: `dot` needs about 30 s for
    /// 2,000 nodes on one core and grows faster than linearly.
    public static let graphvizMaximumNodeCount = 2500

    /// How long Graphviz may take before the built-in drawing is used instead.
    public static let graphvizSeconds: Double = 60

    /// Renders DOT to SVG with Graphviz's `dot`, when it is installed; nil otherwise, on failure, or
    /// when `dot` takes more than ``graphvizSeconds``. Graphviz's comments are left out (a third
    /// of the text on large graphs, and the title of each element says the same).
    public static func renderWithGraphviz(_ dot: String) -> String? {
        guard let program = executable(named: "dot") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // Write on another thread so a large graph cannot deadlock both pipes.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(dot.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + graphvizSeconds, execute: watchdog)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0,
              let svg = String(data: data, encoding: .utf8), let start = svg.range(of: "<svg") else { return nil }
        return withoutComments(svg[start.lowerBound...])
    }

    /// `text` without its `<!-- … -->` comments and the blank lines they leave.
    static func withoutComments(_ text: Substring) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = text
        while let open = rest.range(of: "<!--") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return result }
            rest = rest[close.upperBound...]
            if rest.first == "\n" { rest = rest.dropFirst() }
        }
        return result + rest
    }

    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
