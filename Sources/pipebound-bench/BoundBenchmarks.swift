import Foundation
import MIP
import MIPSolvers
import PipeBounds
import PipeGraph
import PipeImport
import PipePartition

/// Benchmarks of the Bound group: per k, the geometric mean over the models of LB/UB for every
/// lower-bound method and for the best of them, and the seconds each took, side by side in one run.
///
/// UB is the best partition known at the end (BRKGA, improved by any partition a method found).
/// Flags: `--models a,b` (fixture names or paths; default: the ONNX fixtures, else synthetic
/// CNN-like graphs), `--stages 2,4`, `--methods guess-block,value-search`, `--solver cbc`,
/// `--time-limit S` (per MIP method and instance, default 5), `--search-time-limit S` (value
/// search, default 20), `--partition brkga-100`, `--no-ideal-dp` (no DP shortcut in the value search), `--no-search` (no windowed search probes).
enum BoundBenchmarks {
    struct Settings {
        var models: [String] = []
        var stageCounts = [2, 4, 8, 16, 32, 64]
        var methods = LowerBoundMethod.allCases
        var solverName = "cbc"
        var timeLimit = 5.0
        var searchTimeLimit = 20.0
        var partitionMethod = PartitionMethod.brkga100
        var usesIdealDP = true
        var searchStepLimit = BoundRequest.defaultSearchStepLimit
    }

    static func run(_ arguments: [String]) throws {
        // Line-buffered output, so a long run shows its progress when redirected to a file.
        setvbuf(stdout, nil, _IOLBF, 0)
        let settings = try parse(arguments)
        let solver = try SolverCatalog.solver(named: settings.solverName)
        let graphs = try loadGraphs(settings.models)
        print("bounds: \(graphs.count) models, k in \(settings.stageCounts), solver \(solver.name), "
              + "time limit \(settings.timeLimit) s per MIP method, \(settings.searchTimeLimit) s for value-search"
              + (!settings.usesIdealDP ? ", value search without the ideal DP" : ""))
        var summary: [String] = []
        for stageCount in settings.stageCounts {
            var ratios: [String: [Double]] = [:]
            var seconds: [String: [Double]] = [:]
            for graph in graphs {
                let partitionStart = Date()
                let found = try Partitioner.partition(graph, stageCount: stageCount, method: settings.partitionMethod)
                var best = found.partition
                var upper = found.bottleneck
                let partitionSeconds = Date().timeIntervalSince(partitionStart)
                var values: [(String, Double, Double, String)] = []
                for method in settings.methods {
                    let limit = method == .valueSearch ? settings.searchTimeLimit : settings.timeLimit
                    var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver, timeLimit: limit,
                                               threads: 1, incumbent: best)
                    request.usesIdealDP = settings.usesIdealDP
                    request.searchStepLimit = settings.searchStepLimit
                    let result = try LowerBounds.compute(method, request)
                    if let partition = result.partition, graph.isValid(partition), graph.bottleneck(of: partition) < upper {
                        best = partition
                        upper = graph.bottleneck(of: partition)
                    }
                    values.append((method.rawValue, result.value, result.seconds, result.status.rawValue))
                }
                let strongest = values.map(\.1).max() ?? 0
                var line = String(format: "  k=%-3d %-26@ UB %-12.6g (%@ %.1fs)", stageCount, graph.name as NSString, upper,
                                  settings.partitionMethod.rawValue as NSString, partitionSeconds)
                for (name, value, time, status) in values {
                    let ratio = upper > 0 ? value / upper : 1
                    ratios[name, default: []].append(ratio)
                    seconds[name, default: []].append(time)
                    line += String(format: "  %@ %.4f %.1fs%@", name as NSString, ratio, time, status == "proved" ? "" : "*")
                }
                ratios["best", default: []].append(upper > 0 ? strongest / upper : 1)
                seconds["best", default: []].append(values.map(\.2).reduce(0, +))
                print(line)
            }
            var table = String(format: "k=%-3d", stageCount)
            for name in settings.methods.map(\.rawValue) + ["best"] {
                table += String(format: "  %@ %.4f (%.1fs)", name as NSString, geometricMean(ratios[name] ?? []),
                                (seconds[name] ?? []).reduce(0, +) / Double(max(1, graphs.count)))
            }
            print("geomean LB/UB " + table)
            summary.append(table)
        }
        print("summary (geometric mean of LB/UB, mean seconds per instance; * in the lines above = stopped by a limit):")
        for line in summary { print("  " + line) }
    }

    static func geometricMean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        return exp(values.map { log(Swift.max($0, 1e-12)) }.reduce(0, +) / Double(values.count))
    }

    static func parse(_ arguments: [String]) throws -> Settings {
        var settings = Settings()
        var remaining = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = remaining.popFirst() else { throw BenchError("\(flag) needs a value") }
            return next
        }
        func list(_ text: String) -> [String] { text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--models": settings.models = list(try value(flag))
            case "--stages":
                settings.stageCounts = try list(try value(flag)).map {
                    guard let count = Int($0), count >= 1 else { throw BenchError("--stages: '\($0)' is not a stage count") }
                    return count
                }
            case "--methods":
                settings.methods = try list(try value(flag)).map {
                    guard let method = LowerBoundMethod(rawValue: $0) else {
                        throw BenchError("--methods: unknown method '\($0)'; available: \(LowerBoundMethod.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return method
                }
            case "--solver": settings.solverName = try value(flag)
            case "--no-ideal-dp": settings.usesIdealDP = false
            case "--no-search": settings.searchStepLimit = 0
            case "--time-limit":
                guard let seconds = Double(try value(flag)), seconds > 0 else { throw BenchError("--time-limit needs positive seconds") }
                settings.timeLimit = seconds
            case "--search-time-limit":
                guard let seconds = Double(try value(flag)), seconds > 0 else { throw BenchError("--search-time-limit needs positive seconds") }
                settings.searchTimeLimit = seconds
            case "--partition":
                let name = try value(flag)
                guard let method = PartitionMethod(rawValue: name) else { throw BenchError("--partition: unknown method '\(name)'") }
                settings.partitionMethod = method
            default:
                throw BenchError("unknown flag '\(flag)' for the bounds group")
            }
        }
        return settings
    }

    /// The requested models, or the ONNX fixtures, or synthetic CNN-like graphs when there are none.
    static func loadGraphs(_ names: [String]) throws -> [ComputationGraph] {
        let directory = "Fixtures/models"
        if !names.isEmpty {
            return try names.map { name in
                let path = FileManager.default.fileExists(atPath: name) ? name : "\(directory)/\(name).json"
                return try ModelLoader.load(path: path)
            }
        }
        let fixtures = ["alexnet", "densenet121", "inception_v1", "inception_v2", "resnet50", "shufflenet",
                        "squeezenet", "vgg19", "zfnet512"].map { "\(directory)/\($0).json" }
            .filter { FileManager.default.fileExists(atPath: $0) }
        if !fixtures.isEmpty { return try fixtures.map { try ModelLoader.load(path: $0) } }
        print("(no fixtures in \(directory); using synthetic layered graphs)")
        return try (1...6 as ClosedRange<UInt64>).map { try BenchGraphs.layered(nodeCount: 50 + 80 * Int($0), width: 3, seed: $0) }
    }
}

/// A bad benchmark flag.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
