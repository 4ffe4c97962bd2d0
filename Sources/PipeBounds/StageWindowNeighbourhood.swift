import Foundation
import MIP
import PipeGraph

/// Large-neighbourhood search by MIP (docs/partitioning.md, "MIP neighbourhoods"): the prefix MIP (L1) over a few
/// consecutive stages around a costliest one, every node of the other stages pinned where it is.
///
/// The union of the stages before the window and the union of those up to its end are ideals, so any
/// split of the window's nodes into its stages that keeps the edges forward is a valid partition;
/// the MIP finds the split whose largest stage is least, within its time, where the combinatorial
/// neighbourhood search (``PipePartition/BottleneckNeighbourhood``) can only sample splits on
/// windows too large for its DP. Every partition it returns has been validated and re-costed.
public enum StageWindowNeighbourhood {
    /// The result of ``improve(_:in:solver:timeLimit:stopFlag:)``.
    public struct Outcome: Sendable {
        /// The best partition found (the given one when nothing was better).
        public var partition: Partition
        /// How many window MIPs were solved.
        public var solves: Int
        /// How many of them gave a better partition.
        public var improvements: Int
    }

    /// The window widths tried around a costliest stage, in order: three stages re-split the bottleneck
    /// and both neighbours; two leave the MIP smaller on large graphs.
    static let widths = [3, 2, 4]
    /// The most one window MIP may take: its LP relaxation is weak on comm-heavy graphs, so it seldom
    /// proves its split optimal, and its better splits come early.
    static let solveSeconds = 5.0

    /// Improves `partition` (valid, not a training graph's) until no window around a costliest stage gives a
    /// better one, `timeLimit` seconds pass, or `stopFlag` is raised. Each MIP gets ``solveSeconds``, never more
    /// than is left.
    public static func improve(_ partition: Partition, in graph: ComputationGraph, solver: any MIPSolver,
                               timeLimit: Double, stopFlag: StopFlag?) -> Outcome {
        let deadline = Date().addingTimeInterval(timeLimit)
        let stop: @Sendable () -> Bool = { stopFlag?.isStopped == true || Date() >= deadline }
        var outcome = Outcome(partition: partition, solves: 0, improvements: 0)
        let stageCount = partition.stageCount
        guard stageCount >= 2, !graph.isTraining, graph.violations(of: partition).isEmpty else { return outcome }
        var tried = Set<ClosedRange<Int>>()  // windows that gave nothing for this partition
        search: while !stop() {
            let costs = graph.stageLoads(of: outcome.partition).map(\.cost)
            let bottleneck = costs.max() ?? 0
            guard bottleneck > 0 else { break }
            let costliest = costs.indices.filter { costs[$0] == bottleneck }
            for stage in costliest {
                for width in widths where width <= stageCount {
                    let first = Swift.min(Swift.max(0, stage - (width - 1) / 2), stageCount - width)
                    let window = first...(first + width - 1)
                    guard tried.insert(window).inserted else { continue }
                    if stop() { break search }
                    outcome.solves += 1
                    if let better = resolve(window, of: outcome.partition, bottleneck: bottleneck, in: graph,
                                            solver: solver, deadline: deadline, stopFlag: stopFlag, shouldStop: stop) {
                        outcome.partition = better
                        outcome.improvements += 1
                        tried.removeAll()
                        continue search
                    }
                }
            }
            break
        }
        return outcome
    }

    /// The prefix MIP of `window`: the nodes of its stages free within it, every other node pinned to its stage in
    /// `partition`, cost and memory rows for the window's stages only, T at most `bottleneck` (the scale).
    static func windowModel(_ window: ClosedRange<Int>, of partition: Partition, bottleneck: Double, in graph: ComputationGraph,
                            shouldStop: () -> Bool = { false }) -> PrefixFormulation {
        var earliest = partition.stageOf, latest = partition.stageOf
        for node in partition.stageOf.indices where window.contains(partition.stageOf[node]) {
            earliest[node] = window.lowerBound
            latest[node] = window.upperBound
        }
        return PrefixFormulation(graph: graph, stageCount: partition.stageCount, windows: StageWindows(earliest: earliest, latest: latest),
                                 scale: bottleneck, upperBound: bottleneck, costedStages: window, shouldStop: shouldStop)
    }

    /// The window's stages re-split by the MIP, or nil when that split is no better: better means its
    /// largest window stage, re-costed, is below `bottleneck`, so the sorted stage costs drop.
    static func resolve(_ window: ClosedRange<Int>, of partition: Partition, bottleneck: Double, in graph: ComputationGraph,
                        solver: any MIPSolver, deadline: Date, stopFlag: StopFlag?,
                        shouldStop: @escaping @Sendable () -> Bool) -> Partition? {
        let formulation = windowModel(window, of: partition, bottleneck: bottleneck, in: graph, shouldStop: shouldStop)
        guard !formulation.isIncomplete, !formulation.isTriviallyInfeasible, formulation.model.variableCount > 1 else { return nil }
        let left = deadline.timeIntervalSinceNow
        guard left > 0 else { return nil }
        let options = SolveOptions(timeLimit: Swift.min(left, solveSeconds), relativeGap: 1e-6, absoluteGap: 1e-9,
                                   mipStart: formulation.startValues(for: partition, graph: graph), stopFlag: stopFlag)
        guard let result = try? solver.solve(formulation.model.relaxingNegligibleTerms(), options: options),
              result.status.hasSolution else { return nil }
        let candidate = formulation.decode(result.values)
        guard graph.violations(of: candidate).isEmpty else { return nil }
        let windowCosts = graph.stageLoads(of: candidate).map(\.cost).enumerated().filter { window.contains($0.offset) }.map(\.element)
        guard let largest = windowCosts.max(), largest < bottleneck * (1 - 1e-9) else { return nil }
        return candidate
    }
}
