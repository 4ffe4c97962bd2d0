import Foundation
import MIP
import MIPSolvers
import PipeBounds
import PipeCertify
import PipeGraph
import PipeImport
import PipePartition

/// The wide-graph test bed of docs/benchmarks-wide.md: `certify` on 24 seeded wide layered random DAGs
/// (no DP over ideals finishes on them), inception_v2 and the 20,000-node synthetic graph. Per k, the
/// geometric mean and the worst LB/UB and the seconds, after a line per instance.
///
/// Flags: `--time-limit S` (per instance and k, default 60), `--stages 2,4`, `--only 1,5,inception_v2`
/// (instance numbers or names), `--solver cbc`, `--no-search` (MIP probes only in the value search),
/// `--no-cuts` (no boundary-cut or containing-stage bounds anywhere), `--no-chain` (no stage-chain cuts), `--no-early-cuts` (certify's plan
/// without its `cuts` step right after the slicing DP: the cuts only inside the value search),
/// `--no-lns` (certify's plan without large-neighbourhood search, the upper bounds before it), `--no-second-core`
/// (no exact MIP on a second core beside the plan, as `certify --no-second-core`), `--no-second-core-search` (the
/// second core runs the exact MIP up to 20,000 nodes × stages and nothing beyond), `--second-core-solver NAME` (the
/// second core's backend instead of the plan's concurrent partner), `--no-path` (no path-segment cuts),
/// `--no-capacity` (no stage-capacity cuts), `--no-forced` (the boundary cuts without charging forced producers outright), `--no-convex-stage` (certify's plan without its `convex-stage` step), `--no-cut-chain` (without its `cut-chain` step and the re-chaining of the neighbourhood search's partitions), `--no-merged-stages` (no merged-stages bound on the second core), `--no-window-mip` (the second core's neighbourhood search without MIP windows), `--no-plan-window-mip` (no MIP windows in the plan after `lns`), `--list` (only the table of instances and their parameters), `--verbose` (every step's record),
/// `--write DIR` (only write the graphs as native JSON, for `pipebound certify`).
enum WideBenchmarks {
    /// The fixed test bed: node count, width, comm ratio, memory cap fraction, group probability; seed = position.
    static let shapes: [PipeImport.SyntheticGraphs.WideLayeredShape] = {
        let rows: [(Int, Int, Double, Double?, Double)] = [
            (60, 4, 0.05, nil, 0), (80, 8, 5, nil, 0), (100, 6, 0.5, 0.7, 0), (150, 12, 2, nil, 0.2),
            (200, 16, 0.1, nil, 0), (250, 8, 1, 0.6, 0.15), (300, 32, 0.2, nil, 0), (350, 20, 3, 0.7, 0),
            (400, 10, 0.05, nil, 0.2), (500, 24, 1, nil, 0), (600, 16, 5, 0.6, 0), (700, 32, 0.5, nil, 0.1),
            (800, 12, 2, 0.65, 0), (900, 4, 0.3, nil, 0), (1000, 28, 0.1, 0.7, 0.15), (1100, 20, 4, nil, 0),
            (1200, 8, 1.5, nil, 0.2), (1300, 32, 0.05, 0.6, 0), (1400, 16, 2.5, nil, 0), (1500, 24, 0.7, 0.65, 0.1),
            (1600, 12, 5, nil, 0), (1800, 32, 1, 0.7, 0), (1900, 20, 0.2, nil, 0.2), (2000, 28, 3, 0.6, 0),
        ]
        return rows.enumerated().map { index, row in
            PipeImport.SyntheticGraphs.WideLayeredShape(nodeCount: row.0, width: row.1, commRatio: row.2, memoryCapFraction: row.3,
                                             groupProbability: row.4, seed: UInt64(index + 1))
        }
    }()

    /// Fixtures measured with the generated graphs.
    static let fixtures = ["inception_v2", "synthetic-layered-20000"]

    struct Settings {
        var timeLimit = 60.0
        var stageCounts = [2, 4, 8, 16, 32, 64]
        var only: [String] = []
        var solverName = "cbc"
        var searchStepLimit = BoundRequest.defaultSearchStepLimit
        var boundaryCuts = true
        var stageChainCuts = true
        var earlyCuts = true
        var neighbourhood = true
        var secondCore = true
        var secondCoreSolverName: String?
        var secondCoreSearches = true
        var exactPortfolio = true
        var secondCoreCover = true
        var convexStage = true
        var cutChain = true
        var mergedStages = true
        var windowMIP = true
        var planWindowMIP = true
        var pathSegmentCuts = true
        var stageCapacityCuts = true
        var forcedProducers = true
        var listOnly = false
        var verbose = false
        var directory: String?
    }

    static func run(_ arguments: [String]) throws {
        setvbuf(stdout, nil, _IOLBF, 0)
        let settings = try parse(arguments)
        var graphs: [(label: String, graph: ComputationGraph)] = []
        for (index, shape) in shapes.enumerated() {
            let label = "\(index + 1)"
            guard settings.only.isEmpty || settings.only.contains(label) || settings.only.contains(shape.name) else { continue }
            graphs.append((label, try PipeImport.SyntheticGraphs.wideLayered(shape)))
        }
        for name in fixtures where settings.only.isEmpty || settings.only.contains(name) {
            graphs.append((name, try ModelLoader.load(path: "Fixtures/models/\(name).json")))
        }
        if let directory = settings.directory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (_, graph) in graphs {
                try GraphFile.encode(graph).write(to: URL(fileURLWithPath: "\(directory)/\(graph.name).json"))
            }
            print("wrote \(graphs.count) graphs to \(directory)")
            return
        }
        if settings.listOnly {
            print("| # | graph | nodes | edges | groups | memory cap | seed |")
            print("|---|---|---|---|---|---|---|")
            for (label, graph) in graphs {
                let seed = Int(label).map { String(shapes[$0 - 1].seed) } ?? "fixture"
                print("| \(label) | \(graph.name) | \(graph.nodeCount) | \(graph.edgeCount) | \(graph.groupMembers.count) | "
                      + "\(graph.stageMemory.map { String(format: "%.4g", $0) } ?? "none") | \(seed) |")
            }
            return
        }
        print("wide: \(graphs.count) graphs, k in \(settings.stageCounts), certify --time-limit \(settings.timeLimit) "
              + "--solver \(settings.solverName)" + (settings.searchStepLimit == 0 ? ", no search probes" : "")
              + (settings.boundaryCuts ? "" : ", no boundary cuts") + (settings.stageChainCuts ? "" : ", no stage-chain cuts") + (settings.earlyCuts ? "" : ", no early cuts step") + (settings.neighbourhood ? "" : ", no lns step")
              + (settings.secondCore ? "" : ", no second core") + (settings.secondCoreSearches ? "" : ", no search on the second core") + (settings.pathSegmentCuts ? "" : ", no path-segment cuts")
              + (settings.stageCapacityCuts ? "" : ", no stage-capacity cuts")
              + (settings.forcedProducers ? "" : ", no forced producers in the boundary cuts")
              + (settings.exactPortfolio ? "" : ", no exact MIP beside the second core's")
              + (settings.secondCoreCover ? "" : ", no stage-cover bound on the second core")
              + (settings.convexStage ? "" : ", no convex-stage step")
              + (settings.cutChain ? "" : ", no cut-chain step")
              + (settings.mergedStages ? "" : ", no merged-stages bound on the second core")
              + (settings.windowMIP ? "" : ", no window MIPs on the second core")
              + (settings.planWindowMIP ? "" : ", no window MIPs in the plan"))
        var summary: [String] = []
        for stageCount in settings.stageCounts {
            var ratios: [Double] = []
            var seconds: [Double] = []
            var worst = (ratio: 2.0, label: "")
            for (label, graph) in graphs {
                var options = CertifyOptions(solver: try SolverCatalog.solver(named: settings.solverName), timeLimit: settings.timeLimit)
                options.searchStepLimit = settings.searchStepLimit
                options.boundaryCuts = settings.boundaryCuts
                options.stageChainCuts = settings.stageChainCuts
                options.pathSegmentCuts = settings.pathSegmentCuts
                options.stageCapacityCuts = settings.stageCapacityCuts && settings.boundaryCuts
                options.forcedProducers = settings.forcedProducers
                if !settings.earlyCuts { options.plan.removeAll { $0.methodName == LowerBoundMethod.cuts.rawValue } }
                if !settings.neighbourhood { options.plan.removeAll { $0 == .partition(.lns) } }
                if !settings.convexStage { options.plan.removeAll { $0.methodName == LowerBoundMethod.convexStage.rawValue } }
                if !settings.cutChain { options.plan.removeAll { $0.methodName == PartitionMethod.cutChain.rawValue } }
                if settings.secondCore {
                    options.secondCoreSolver = try settings.secondCoreSolverName.map { try SolverCatalog.solver(named: $0) }
                        ?? SolverCatalog.concurrentPartner(of: options.solver)
                }
                options.secondCoreSearches = settings.secondCoreSearches
                options.exactPortfolio = settings.exactPortfolio
                options.secondCoreCover = settings.secondCoreCover
                options.secondCoreMergedStages = settings.mergedStages
                options.secondCoreWindowMIP = settings.windowMIP
                options.planWindowMIP = settings.planWindowMIP
                let started = Date()
                let certified = Certifier(graph: graph, options: options).run(stageCounts: [stageCount])
                let elapsed = Date().timeIntervalSince(started)
                guard let certificate = certified.first?.certificate else {
                    print(String(format: "  k=%-3d %-3@ %-44@ no valid partition found (%.1fs)", stageCount, label as NSString,
                                 graph.name as NSString, elapsed))
                    continue
                }
                let problems = certified.first?.problems(graph: graph) ?? []
                ratios.append(certificate.ratio)
                seconds.append(elapsed)
                if certificate.ratio < worst.ratio { worst = (certificate.ratio, label) }
                let best = certificate.bounds.filter { $0.kind == .lower && $0.counts }.max { $0.value < $1.value }
                print(String(format: "  k=%-3d %-3@ %-44@ LB %-11.6g UB %-11.6g LB/UB %.4f  %5.1fs  (LB by %@, UB by %@)%@",
                             stageCount, label as NSString, graph.name as NSString, certificate.lowerBound.value,
                             certificate.upperBound.value, certificate.ratio, elapsed, (best?.method ?? "-") as NSString,
                             certificate.upperBound.method as NSString,
                             problems.isEmpty ? "" : " INVALID: \(problems[0])"))
                if settings.verbose {
                    for record in certificate.bounds {
                        print(String(format: "        %-14@ %-6@ %-11.6g %-8@ %6.2fs  %@", record.method as NSString,
                                     record.kind.rawValue as NSString, record.value, record.status.rawValue as NSString, record.seconds,
                                     (record.detail ?? "") as NSString))
                    }
                }
            }
            let line = String(format: "k=%-3d geomean %.4f  worst %.4f (#%@)  mean %.1fs  max %.1fs  (%d graphs)", stageCount,
                              BoundBenchmarks.geometricMean(ratios), ratios.min() ?? 0, worst.label as NSString,
                              seconds.reduce(0, +) / Double(Swift.max(1, seconds.count)), seconds.max() ?? 0, ratios.count)
            print(line)
            summary.append(line)
        }
        print("summary (LB/UB of certify per k over the wide test bed):")
        for line in summary { print("  " + line) }
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
            case "--time-limit":
                guard let seconds = Double(try value(flag)), seconds > 0 else { throw BenchError("--time-limit needs positive seconds") }
                settings.timeLimit = seconds
            case "--stages":
                settings.stageCounts = try list(try value(flag)).map {
                    guard let count = Int($0), count >= 1 else { throw BenchError("--stages: '\($0)' is not a stage count") }
                    return count
                }
            case "--only": settings.only = list(try value(flag))
            case "--solver": settings.solverName = try value(flag)
            case "--no-search": settings.searchStepLimit = 0
            case "--no-cuts": settings.boundaryCuts = false
            case "--no-chain": settings.stageChainCuts = false
            case "--no-early-cuts": settings.earlyCuts = false
            case "--no-lns": settings.neighbourhood = false
            case "--no-second-core": settings.secondCore = false
            case "--no-second-core-search": settings.secondCoreSearches = false
            case "--no-portfolio": settings.exactPortfolio = false
            case "--no-second-core-cover": settings.secondCoreCover = false
            case "--no-convex-stage": settings.convexStage = false
            case "--no-cut-chain": settings.cutChain = false
            case "--no-merged-stages": settings.mergedStages = false
            case "--no-window-mip": settings.windowMIP = false
            case "--no-plan-window-mip": settings.planWindowMIP = false
            case "--second-core-solver": settings.secondCoreSolverName = try value(flag)
            case "--no-path": settings.pathSegmentCuts = false
            case "--no-capacity": settings.stageCapacityCuts = false
            case "--no-forced": settings.forcedProducers = false
            case "--list": settings.listOnly = true
            case "--verbose": settings.verbose = true
            case "--write": settings.directory = try value(flag)
            default: throw BenchError("unknown flag '\(flag)' for the wide group")
            }
        }
        return settings
    }
}
