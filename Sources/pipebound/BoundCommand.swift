import ArgumentParser
import Foundation
import MIP
import MIPSolvers
import PipeBounds
import PipeCertify
import PipeGraph
import PipeImport
import PipePartition

/// `pipebound bound MODEL --stages K --method NAME`: one lower-bound method, with its value, status and time.
struct BoundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bound",
        abstract: "Prove a lower bound on the best bottleneck with one method.",
        discussion: "The upper bound it is compared with comes from the slicing DP (or a better partition the method finds).")

    @OptionGroup var input: ModelStageOptions

    @Option(name: .long, help: "The lower-bound method.")
    var method: LowerBoundMethod

    @Option(name: .long, help: "The MIP backend.")
    var solver: SolverChoice = .standard

    @OptionGroup var limits: SolveLimitOptions

    @Option(name: .long, help: "Output format.")
    var format: EvaluationFormat = .table

    @Option(name: [.customShort("o"), .long], help: "Write the output to this file instead of stdout.")
    var output: String?

    func run() throws {
        let started = Date()
        let backend = try solver.solver()
        let graph = try input.loadGraph()
        let incumbent = try? Partitioner.partition(graph, stageCount: input.stages, method: .slice)
        let request = BoundRequest(graph: graph, stageCount: input.stages, solver: backend,
                                   timeLimit: limits.remainingTime(since: started), nodeLimit: limits.nodeLimit, incumbent: incumbent?.partition)
        let result = try LowerBounds.compute(method, request)
        var upper = incumbent?.bottleneck
        if let partition = result.partition, graph.isValid(partition) {
            upper = Swift.min(upper ?? .infinity, graph.bottleneck(of: partition))
        }
        if format == .json {
            var object: [String: Any] = [
                "graph": graph.name, "stages": input.stages, "solver": backend.name, "method": result.method,
                "kind": "lower", "value": result.value, "status": result.status.rawValue, "seconds": result.seconds,
                "detail": result.detail,
            ]
            if let upper { object["upper_bound"] = upper; object["ratio"] = upper > 0 ? result.value / upper : 1 }
            if !result.probes.isEmpty {
                object["probes"] = result.probes.map { probe -> [String: Any] in
                    var entry: [String: Any] = ["value": probe.value, "verdict": probe.verdict.rawValue, "seconds": probe.seconds]
                    if let cost = probe.partitionCost { entry["partition_cost"] = cost }
                    return entry
                }
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            try OutputFile.write(String(decoding: data, as: UTF8.self) + "\n", to: output)
        } else {
            let unit = graph.units.time
            var lines = [
                "graph         \(graph.name) (\(graph.nodeCount) nodes, \(graph.edgeCount) edges), k = \(input.stages), solver \(backend.name)",
                "method        \(result.method)",
                "lower bound   \(NumberFormatting.figure(result.value)) \(unit)  [\(result.status.rawValue)]",
            ]
            if let upper {
                lines.append("upper bound   \(NumberFormatting.figure(upper)) \(unit)  (LB/UB \(NumberFormatting.ratio(upper > 0 ? result.value / upper : 1)))")
            }
            lines.append("seconds       \(NumberFormatting.seconds(result.seconds))")
            lines.append("detail        \(result.detail)")
            for probe in result.probes {
                let cost = probe.partitionCost.map { " (partition \(NumberFormatting.figure($0)) \(unit))" } ?? ""
                lines.append("  probe \(NumberFormatting.figure(probe.value)) \(unit): \(probe.verdict.rawValue)\(cost) \(NumberFormatting.seconds(probe.seconds)) s")
            }
            try OutputFile.write(lines.joined(separator: "\n") + "\n", to: output)
        }
    }
}
