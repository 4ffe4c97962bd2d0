import ArgumentParser
import Foundation
import MIP
import MIPSolvers
import PipeBounds
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

    @Option(name: .long, help: "combinatorial, exact, single-block, guess-block or value-search.")
    var method: String

    @Option(name: .long, help: "The MIP backend: cbc or glpk.")
    var solver: String = "cbc"

    @Option(name: .long, help: "Wall-clock budget in seconds for the method.")
    var timeLimit: Double?

    @Option(name: .long, help: "Branch-and-bound node limit per MIP (deterministic).")
    var nodeLimit: Int?

    @Option(name: .long, help: "Output format: table or json.")
    var format: String = "table"

    func run() throws {
        guard let chosen = LowerBoundMethod(rawValue: method) else {
            throw CommandFailure(message: "unknown method '\(method)'; available: \(LowerBoundMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["table", "json"].contains(format) else { throw CommandFailure(message: "unknown format '\(format)'; available: table, json") }
        if let timeLimit, !(timeLimit > 0) { throw CommandFailure(message: "--time-limit must be a positive number of seconds") }
        if let nodeLimit, nodeLimit < 0 { throw CommandFailure(message: "--node-limit must not be negative") }
        let backend: any MIPSolver
        do { backend = try SolverCatalog.solver(named: solver) } catch { throw CommandFailure(message: "\(error)") }
        let graph = try input.loadGraph()
        let incumbent = try? Partitioner.partition(graph, stageCount: input.stages, method: .slice)
        let request = BoundRequest(graph: graph, stageCount: input.stages, solver: backend, timeLimit: timeLimit,
                                   nodeLimit: nodeLimit, incumbent: incumbent?.partition)
        let result = try LowerBounds.compute(chosen, request)
        var upper = incumbent?.bottleneck
        if let partition = result.partition, graph.isValid(partition) {
            upper = Swift.min(upper ?? .infinity, graph.bottleneck(of: partition))
        }
        if format == "json" {
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
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("graph         \(graph.name) (\(graph.nodeCount) nodes, \(graph.edgeCount) edges), k = \(input.stages), solver \(backend.name)")
            print("method        \(result.method)")
            print("lower bound   \(result.value)  [\(result.status.rawValue)]")
            if let upper { print("upper bound   \(upper)  (ratio \(String(format: "%.4f", upper > 0 ? result.value / upper : 1)))") }
            print("seconds       \(String(format: "%.2f", result.seconds))")
            print("detail        \(result.detail)")
            for probe in result.probes {
                let cost = probe.partitionCost.map { String(format: " (partition %.6g)", $0) } ?? ""
                print(String(format: "  probe %.6g: %@%@ %.2fs", probe.value, probe.verdict.rawValue as NSString, cost as NSString, probe.seconds))
            }
        }
    }
}
