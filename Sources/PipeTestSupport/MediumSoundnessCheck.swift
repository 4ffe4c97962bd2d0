import Foundation
import MIP
import PipeBounds
import PipeGraph
import PipePartition

/// Soundness where the MIPs do the work: on ``MediumGraphs`` (narrow enough for the exact DP over
/// ideals to give the optimum, wide enough that the combinatorial bound does not settle them), every
/// MIP method and every value-search probe, with the DP shortcut and the search probes off, must stay
/// at or below the optimum (docs/formulations.md, "Tolerances").
///
/// It is a library so that the same check runs inside XCTest (a few graphs, debug build) and in the
/// release program `pipebound-soundness`, which `make test` runs on 500 graphs.
public struct MediumSoundnessCheck {
    /// The lower-bound methods under test: every one that solves a MIP.
    public static let methods: [LowerBoundMethod] = [.exact, .singleBlock, .guessBlock, .valueSearch]

    /// The solvers to run every method on.
    public var solvers: [any MIPSolver]
    /// The MIP node limit per solve: deterministic, and a stopped solve's bound must hold too.
    public var nodeLimit = 20
    /// Seconds per method as well: CBC's root on a few seeds (100005, single-block) runs for minutes
    /// whatever the node limit, and CBC's single-block roots take most of the check's time.
    public var timeLimit: Double = 1
    /// Called with one line per bound (for `--verbose`).
    public var onBound: ((String) -> Void)?

    /// A check over the given solvers with the default limits.
    public init(solvers: [any MIPSolver]) {
        self.solvers = solvers
    }

    /// What one block of seeds showed.
    public struct Summary: Sendable {
        /// Graphs whose optimum the DP gave, each checked with every method and solver.
        public var graphs = 0
        /// Seeds replaced by the next ones: too many ideals for the DP's limits, or no partition.
        public var replaced = 0
        /// Bounds computed.
        public var bounds = 0
        /// The largest (LB − OPT)/OPT seen, and where.
        public var largestExcess = -Double.infinity
        /// The label of the bound with ``largestExcess``.
        public var worst = ""
        /// Every broken promise, one line each: a bound above the optimum, a probe that lied,
        /// a partition that is invalid or better than the optimum.
        public var failures: [String] = []

        /// One line for logs: counts, largest excess, failures.
        public var line: String {
            String(format: "%d graphs (%d replaced: too many ideals or no partition), %d bounds, %d failures, "
                   + "largest (LB − OPT)/OPT = %.3g at %@", graphs, replaced, bounds, failures.count, largestExcess, worst)
        }
    }

    /// Checks `graphCount` graphs from `firstSeed` on (seeds whose optimum the DP cannot give within
    /// its count limits are replaced by the next ones). Errors from the methods are failures too.
    public func run(firstSeed: UInt64, graphCount: Int) -> Summary {
        var summary = Summary()
        var seed = firstSeed
        while summary.graphs < graphCount {
            defer { seed += 1 }
            let graph = MediumGraphs.graph(seed: seed)
            let stageCount = 2 + Int(seed % 2)
            // The optimum by the exact DP, within the standard count limits (deterministic).
            let sliced = try? Partitioner.partition(graph, stageCount: stageCount, method: .slice)
            guard let exact = try? IdealDP.optimum(of: graph, stageCount: stageCount,
                                                   upperBound: sliced?.bottleneck ?? .infinity, limits: .standard) else {
                summary.replaced += 1
                continue
            }
            let optimum = exact.bottleneck
            let exactCost = graph.bottleneck(of: exact.partition)
            if !graph.violations(of: exact.partition).isEmpty || abs(exactCost - optimum) > 1e-9 * optimum {
                summary.failures.append("seed \(seed): the exact DP's partition is invalid or costs \(exactCost), not \(optimum)")
            }
            summary.graphs += 1
            for solver in solvers {
                for method in Self.methods {
                    check(graph, seed: seed, stageCount: stageCount, optimum: optimum,
                          solver: solver, method: method, into: &summary)
                }
            }
        }
        return summary
    }

    private func check(_ graph: ComputationGraph, seed: UInt64, stageCount: Int, optimum: Double,
                       solver: any MIPSolver, method: LowerBoundMethod, into summary: inout Summary) {
        // The default target (0.999): the value search's probes stop there, as in certify.
        var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver,
                                   timeLimit: timeLimit, nodeLimit: nodeLimit)
        // The MIPs and MIP probes are under test: no DP shortcut, no search probes.
        request.usesIdealDP = false
        request.searchStepLimit = 0
        // Not under test here, and the costliest step of a 1 s value search: the stage-capacity
        // cuts have their own brute-force tests (StageCapacityBoundTests), the value search run
        // from them included.
        request.stageCapacityCuts = false
        let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount) \(solver.name) \(method.rawValue)"
        let result: LowerBoundResult
        do {
            result = try LowerBounds.compute(method, request)
        } catch {
            summary.failures.append("\(label): \(error)")
            return
        }
        summary.bounds += 1
        let detailed = "\(label) [\(result.detail)]"
        onBound?(String(format: "%.2f s %@", result.seconds, detailed))
        let excess = (result.value - optimum) / optimum
        if excess > summary.largestExcess {
            summary.largestExcess = excess
            summary.worst = detailed
        }
        if result.value > optimum {
            summary.failures.append("\(detailed): bound \(result.value) above the optimum \(optimum)")
        }
        for probe in result.probes {
            switch probe.verdict {
            case .infeasible, .noWindows:
                if probe.value >= optimum {
                    summary.failures.append("\(detailed): probe at \(probe.value) called infeasible (optimum \(optimum))")
                }
            case .feasible:
                if let cost = probe.partitionCost, cost <= probe.value * (1 + 1e-9) { break }
                summary.failures.append("\(detailed): feasible probe at \(probe.value) without a partition costing that much")
            default:
                break
            }
        }
        if let partition = result.partition {
            if !graph.violations(of: partition).isEmpty {
                summary.failures.append("\(detailed): its partition is invalid")
            } else if graph.bottleneck(of: partition) < optimum * (1 - 1e-12) {
                summary.failures.append("\(detailed): its partition costs less than the optimum")
            }
        }
    }
}
