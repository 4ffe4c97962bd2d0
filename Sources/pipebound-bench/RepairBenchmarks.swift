import Foundation
import MIPSolvers
import PipeCertify
import PipeGraph
import PipeImport
import PipePartition

/// Benchmarks of the Repair group: repairs per second of random candidates, as a learned
/// partitioner's training loop would send them (docs/repair.md, "Speed").
///
/// `pipebound-bench repair [COUNT] [MODEL] [only=PREFIX] [row=NAME] [solver=NAME]`: a good partition of MODEL (default the ~200-node
/// fixture Fixtures/models/synthetic-layered-200.json) at k = 8 from brkga-100, then COUNT
/// (default 300) candidates in which each node's stage is redrawn with probability 0.2; every
/// objective on both backends, one thread, the model loaded once. The same candidates are then
/// repaired under a stage memory cap equal to the good partition's largest stage memory (so
/// that the good partition stays valid), where the minimum cut is only a relaxation.
enum RepairBenchmarks {
    static let stageCount = 8
    static let perturbation = 0.2

    static func run(_ arguments: [String]) throws {
        let count = arguments.compactMap { Int($0) }.first ?? 300
        // only=PREFIX keeps the rows whose name starts with PREFIX (e.g. only=moves).
        let only = arguments.first { $0.hasPrefix("only=") }.map { String($0.dropFirst("only=".count)) }
        // row=NAME keeps the row of that exact name, solver=NAME one backend.
        let row = arguments.first { $0.hasPrefix("row=") }.map { String($0.dropFirst("row=".count)) }
        let solvers = arguments.first { $0.hasPrefix("solver=") }.map { [String($0.dropFirst("solver=".count))] } ?? ["glpk", "cbc"]
        let path = arguments.first { Int($0) == nil && !$0.contains("=") } ?? "Fixtures/models/synthetic-layered-200.json"
        let graph = FileManager.default.fileExists(atPath: path)
            ? try ModelLoader.load(path: path) : try BenchGraphs.layered(nodeCount: 200, width: 8, seed: 1)
        let good = try Partitioner.partition(graph, stageCount: stageCount, method: .brkga100, seed: 1).partition
        var random = SeededGenerator(seed: 7)
        let candidates = (0..<count).map { _ in
            RepairCandidate(target: good.stageOf.map { stage -> Int? in
                random.nextUnit() < perturbation ? Int(random.nextUnit() * Double(stageCount)) : stage
            }, stageCount: stageCount)
        }
        print("repair: \(graph.name), n=\(graph.nodeCount), edges=\(graph.edgeCount), k=\(stageCount), \(count) candidates "
              + "(each stage redrawn with probability \(perturbation)), good partition \(String(format: "%.3f", graph.bottleneck(of: good)))")
        // (name, options, candidates, residual-arc rows: nil the backend's default, tie-break search
        // limit: nil the default, 0 none). The "tie MIP" rows skip the search, so every tie the
        // minimum cut leaves goes to the tie-break MIP, with and without the residual-arc rows.
        let settings: [(String, RepairOptions, Int, Bool?, Int?)] = [
            ("moves", RepairOptions(objective: .moves), count, nil, nil),
            ("moves, weight work", RepairOptions(objective: .moves, weight: .work), count, nil, nil),
            ("moves, tie MIP, rows off", RepairOptions(objective: .moves), min(count, 100), false, 0),
            ("moves, tie MIP, rows on", RepairOptions(objective: .moves), min(count, 100), true, 0),
            ("distance", RepairOptions(objective: .distance), count, nil, nil),
            ("moves, MIP only", RepairOptions(objective: .moves, usesFastPaths: false), min(count, 20), nil, nil),
            ("bottleneck, 40 moves", RepairOptions(objective: .bottleneck, maxMoves: 40, timeLimit: 10), min(count, 5), nil, nil),
        ]
        var capped = graph
        capped.stageMemory = graph.stageLoads(of: good).map(\.memory).max().map { $0 > 0 ? $0 : 1 }
        let cappedSettings: [(String, RepairOptions, Int, Bool?, Int?)] = [
            ("moves, memory cap", RepairOptions(objective: .moves, timeLimit: 10), min(count, 20), nil, nil),
            ("distance, memory cap", RepairOptions(objective: .distance, timeLimit: 10), min(count, 20), nil, nil),
        ]
        print("  memory cap for the last rows: \(capped.stageMemory ?? 0) (the good partition's largest stage)")
        for solver in solvers {
            let rows = settings.map { ($0, graph) } + cappedSettings.map { ($0, capped) }
            for ((name, options, used, residualRows, searchLimit), rowGraph) in rows where only.map({ name.hasPrefix($0) }) ?? true && row.map({ name == $0 }) ?? true {
                let repairer = Repairer(graph: rowGraph, stageCount: stageCount, solver: try SolverCatalog.solver(named: solver))
                if let residualRows { repairer.residualRows = residualRows }
                if let searchLimit { repairer.tieSearchLimit = searchLimit }
                var methods: [String: Int] = [:]
                var moved = 0, optimal = 0, failed = 0
                var firstError = ""
                var after = 0.0
                let cpuStarted = processSeconds()
                let (_, seconds) = PartitionBenchmarks.timed {
                    for candidate in candidates.prefix(used) {
                        let outcome: RepairOutcome
                        do { outcome = try repairer.repair(candidate, options: options) } catch {
                            if failed == 0 { firstError = "\(error)" }
                            failed += 1
                            continue
                        }
                        methods[outcome.method, default: 0] += 1
                        moved += outcome.moves.count
                        after += outcome.bottleneckAfter
                        if outcome.isOptimal { optimal += 1 }
                    }
                }
                // On a machine shared with other jobs the wall clock overstates the time; the
                // process CPU time (one thread) is what one core spends.
                let cpuSeconds = max(processSeconds() - cpuStarted, 1e-9)
                let done = max(used - failed, 1)
                let shown = methods.keys.sorted().map { "\($0) \(methods[$0]!)" }.joined(separator: ", ")
                print("  \(PartitionBenchmarks.pad(solver, 5)) \(PartitionBenchmarks.pad(name, 26)) "
                      + "repairs/s=\(PartitionBenchmarks.pad(String(format: "%.1f", Double(used) / seconds), 8)) "
                      + "per CPU s=\(PartitionBenchmarks.pad(String(format: "%.1f", Double(used) / cpuSeconds), 8)) "
                      + "mean moves=\(String(format: "%.1f", Double(moved) / Double(done))) "
                      + "mean bottleneck after=\(String(format: "%.1f", after / Double(done))) optimal=\(optimal)/\(used) [\(shown)]"
                      + (failed > 0 ? " failed=\(failed) (first: \(firstError))" : ""))
            }
        }
    }

    /// CPU seconds this process has used so far (all threads; the benchmark runs one).
    private static func processSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
