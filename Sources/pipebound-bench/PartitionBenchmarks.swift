import Foundation
import PipeGraph
import PipeImport
import PipePartition

/// Benchmarks of the Partition group: slicing DP speed on large orders, and per graph and k the
/// bottleneck and time of every method with its ratio to the ideal DP's optimum where that finishes.
///
/// `pipebound-bench partition [speed|methods] [DIRECTORY]`: graphs come from DIRECTORY (default
/// Fixtures/models) when it holds native graphs, else from seeded synthetic generators.
enum PartitionBenchmarks {
    /// Stage counts of the methods table.
    static let stageCounts = [2, 4, 8, 16, 32, 64]
    /// brkga-10000 is skipped above this many nodes (about 10,000 decodes of a big order take minutes).
    static let largeBRKGANodeLimit = 1_500
    /// The ideal DP's limits in the benchmark: the standard ones (about a minute at most per instance).
    static let benchmarkIdealLimits = IdealDP.Limits.standard

    static func run(_ arguments: [String]) throws {
        let parts = Set(arguments.filter { ["speed", "threads", "methods"].contains($0) })
        let directory = arguments.first { !["speed", "threads", "methods"].contains($0) } ?? "Fixtures/models"
        if parts.isEmpty || parts.contains("speed") { try slicingSpeed() }
        if parts.isEmpty || parts.contains("threads") { try threadScaling() }
        if parts.isEmpty || parts.contains("methods") { try methods(graphs: try benchmarkGraphs(directory: directory)) }
    }

    /// The slicing DP alone on one order of big layered DAGs and a chain.
    static func slicingSpeed() throws {
        print("slicing DP speed (input order, one thread):")
        let cases = [(try BenchGraphs.layered(nodeCount: 10_000, width: 8, seed: 1), [16, 64]),
                     (try BenchGraphs.layered(nodeCount: 100_000, width: 8, seed: 1), [16, 64]),
                     (try BenchGraphs.chain(nodeCount: 100_000, seed: 1), [16])]
        for (graph, stageCounts) in cases {
            for stageCount in stageCounts {
                let slicer = OrderSlicer(graph: graph, stageCount: stageCount)
                let (slicing, seconds) = timed { slicer.slice(graph.topologicalOrder) }
                let value = slicing.map { String(format: "%.3f", $0.bottleneck) } ?? "none"
                print("  \(pad(graph.name, 22)) n=\(pad(graph.nodeCount, 7)) edges=\(pad(graph.edgeCount, 7)) k=\(pad(stageCount, 3)) bottleneck=\(pad(value, 12)) seconds=\(String(format: "%.3f", seconds))")
            }
        }
    }

    /// brkga-100 and a 40 × 40 BRKGA with one decoder thread and with all cores: same result, less time.
    static func threadScaling() throws {
        let graph = try BenchGraphs.layered(nodeCount: 1_000, width: 8, seed: 5)
        print("BRKGA decoder threads (\(graph.name), k=16, \(ProcessInfo.processInfo.activeProcessorCount) cores):")
        for (name, population) in [("10 x 10", 10), ("40 x 40", 40)] {
            var search = BRKGA(population: population, generations: population)
            search.threadCount = 1
            let (single, singleSeconds) = timed { search.evolve(graph, stageCount: 16, seed: 1) }
            search.threadCount = nil
            let (parallel, parallelSeconds) = timed { search.evolve(graph, stageCount: 16, seed: 1) }
            let same = single.map(\.keys) == parallel.map(\.keys) ? "same population" : "DIFFERENT populations"
            print("  \(name): 1 thread \(String(format: "%.2f", singleSeconds)) s, all cores \(String(format: "%.2f", parallelSeconds)) s, speedup \(String(format: "%.2f", singleSeconds / parallelSeconds)); best \(String(format: "%.4f", parallel[0].fitness)); \(same)")
        }
    }

    /// Every method on every graph and k, with ratios to the ideal DP's optimum.
    static func methods(graphs: [ComputationGraph]) throws {
        print("methods: bottleneck / ideal-dp optimum (time s); '-' skipped, 'x' refused")
        let methods: [PartitionMethod] = [.sliceInput, .sliceDepthFirst, .sliceBreadthFirst, .slice, .brkga100, .brkga10000, .chainDP]
        print("  " + pad("graph", 26) + pad("n", 6) + pad("k", 4) + pad("ideal-dp", 22)
              + methods.map { pad($0.rawValue, 20) }.joined())
        var ratios: [PartitionMethod: [Double]] = [:]
        var exactMatches: [PartitionMethod: Int] = [:]
        var exactInstances = 0
        for graph in graphs {
            for stageCount in stageCounts {
                var results: [PartitionMethod: PartitionResult] = [:]
                for method in methods {
                    if method == .brkga10000 && graph.nodeCount > largeBRKGANodeLimit { continue }
                    if method == .chainDP && !TopologicalOrders.isChain(graph) { continue }
                    results[method] = try? Partitioner.partition(graph, stageCount: stageCount, method: method, seed: 1)
                }
                let upperBound = results.values.map(\.bottleneck).min() ?? .infinity
                var idealCell = "x"
                var optimum: Double? = nil
                do {
                    let (exact, seconds) = try timed {
                        try IdealDP.optimum(of: graph, stageCount: stageCount, upperBound: upperBound, limits: benchmarkIdealLimits)
                    }
                    if let exact {
                        guard graph.isValid(exact.partition) else { throw PartitionError("ideal DP returned an invalid partition") }
                        optimum = graph.bottleneck(of: exact.partition)
                        idealCell = String(format: "%.6g (%.2f)", optimum!, seconds)
                    } else {
                        idealCell = "infeasible"
                    }
                } catch let error as PartitionError where error.message.contains("more than") {
                    idealCell = "x"
                }
                if optimum != nil { exactInstances += 1 }
                var line = "  " + pad(graph.name, 26) + pad(graph.nodeCount, 6) + pad(stageCount, 4) + pad(idealCell, 22)
                for method in methods {
                    guard let result = results[method] else { line += pad("-", 20); continue }
                    if let optimum, optimum > 0 {
                        let ratio = result.bottleneck / optimum
                        ratios[method, default: []].append(ratio)
                        if result.bottleneck <= optimum * (1 + 1e-9) { exactMatches[method, default: 0] += 1 }
                        line += pad(String(format: "%.4f (%.2f)", ratio, result.seconds), 20)
                    } else {
                        line += pad(String(format: "%.5g (%.2f)", result.bottleneck, result.seconds), 20)
                    }
                }
                print(line)
                fflush(stdout)
            }
        }
        print("summary over \(exactInstances) instances where the ideal DP finished:")
        for method in methods {
            guard let values = ratios[method], !values.isEmpty else { continue }
            let geometricMean = exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
            print("  \(pad(method.rawValue, 12)) geomean ratio \(String(format: "%.5f", geometricMean))  worst \(String(format: "%.4f", values.max() ?? 0))  optimal on \(exactMatches[method] ?? 0)/\(values.count)")
        }
    }

    /// Native graphs in `directory`, or seeded synthetic graphs when there are none.
    static func benchmarkGraphs(directory: String) throws -> [ComputationGraph] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") && $0 != "manifest.json" }.sorted()
        let graphs = files.compactMap { try? ModelLoader.load(path: directory + "/" + $0) }
        if !graphs.isEmpty {
            print("graphs: \(graphs.count) from \(directory)")
            return graphs.sorted { $0.nodeCount < $1.nodeCount }
        }
        print("graphs: synthetic (no native graphs in \(directory))")
        return [try BenchGraphs.chain(nodeCount: 200, seed: 1), try BenchGraphs.layered(nodeCount: 60, width: 3, seed: 2),
                try BenchGraphs.layered(nodeCount: 300, width: 4, seed: 3), try BenchGraphs.layered(nodeCount: 2_000, width: 8, seed: 4)]
    }

    static func timed<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
        let started = DispatchTime.now()
        let result = try body()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
    }

    static func pad(_ value: Any, _ width: Int) -> String {
        "\(value)".padding(toLength: max(width, "\(value)".count + 1), withPad: " ", startingAt: 0)
    }
}
