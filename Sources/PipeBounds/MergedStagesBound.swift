import Foundation
import PipeGraph
import PipePartition

/// The merged-stages bound: the exact prefix MIP's proven bound at ⌈k/2⌉ stages with the memory cap
/// doubled, halved (docs/formulations.md, "L6 — merged stages").
///
/// Merging the stages 2j and 2j + 1 of any k-stage partition gives a ⌈k/2⌉-stage partition whose stages
/// hold at most twice the cap and cost at most twice its bottleneck (f is subadditive), so
/// OPT(⌈k/2⌉ stages, cap 2M) ≤ 2·OPT(k). On communication-heavy graphs at k ≥ 8 the k-stage MIP's dual bound
/// stays near W/k until its tree closes, while the MIP with half the stages makes headway; halving its
/// bound keeps half of the comm that every stage boundary costs.
enum MergedStagesBound {
    /// How many stages of the k-stage partition form one stage of the merged problem.
    static let mergeFactor = 2

    /// `skipsHopelessMIP` false builds the MIP even when the merged problem's partition shows that it cannot pass the
    /// bound so far (the soundness tests, on graphs where that is most of the time).
    static func compute(_ context: inout BoundContext, skipsHopelessMIP: Bool = true) throws -> LowerBoundResult {
        let stageCount = context.stageCount
        let lower = context.lowerBound
        // With 2 stages or fewer the merged problem is one stage, whose cost W / 2 is no more than L0.
        guard stageCount > mergeFactor else {
            return context.result(method: .mergedStages, value: lower, status: .skipped,
                                  detail: "needs more than \(mergeFactor) stages")
        }
        let mergedStageCount = (stageCount + mergeFactor - 1) / mergeFactor
        var merged = context.request.problem.graph
        // A cap too large to double is no cap at all: a further relaxation, so still OPT_m ≤ 2·OPT_k.
        merged.stageMemory = merged.stageMemory.map { $0 * Double(mergeFactor) }.flatMap { $0.isFinite ? $0 : nil }
        let mergedIncumbent = context.incumbent.map { incumbent in
            Partition(stageCount: mergedStageCount, stageOf: incumbent.partition.stageOf.map { $0 / mergeFactor })
        }
        let start = betterPartition(of: merged, than: mergedIncumbent, context: context)
        let costs = [mergedIncumbent, start].map { $0.map { merged.bottleneck(of: $0) } }
        // The merged optimum is at most its partition's cost, so half of that caps what the MIP could prove.
        if skipsHopelessMIP, let startCost = costs[1], startCost / Double(mergeFactor) <= lower {
            return context.result(method: .mergedStages, value: lower, status: .proved,
                                  detail: "its \(mergedStageCount)-stage partition costs \(startCost), "
                                      + "half of which is no more than the bound so far: no MIP")
        }
        var request = context.request
        request.problem = BoundProblem(graph: merged, stageCount: mergedStageCount, incumbent: start)
        request.timeLimit = context.remainingTime
        let inner = try LowerBounds.compute(.exact, request)
        // Halving is exact in binary floating point for every normal number; nextDown covers the rest.
        let halved = inner.value / Double(mergeFactor)
        let value = halved * Double(mergeFactor) == inner.value ? halved : halved.nextDown
        let described = costs.map { $0.map { String($0) } ?? "none" }
        let detail = "the exact MIP at \(mergedStageCount) stages" + (merged.stageMemory == nil ? "" : " (memory cap doubled)")
            + ": \(inner.value) (\(inner.status.rawValue); \(inner.detail)), halved; its partition \(described[1]) "
            + "(the incumbent's stages merged: \(described[0]))"
        return context.result(method: .mergedStages, value: Swift.max(lower, value), status: inner.status, detail: detail)
    }

    /// The share of the time left that the merged problem's partition may take before its MIP.
    static let partitionShare = 0.1

    /// A good partition of the merged problem: the MIP is windowed at its cost, and the merged k-stage incumbent
    /// pays the comm of boundaries the merged problem no longer has. Re-chained around it
    /// (``PipePartition/CutChainPartitioner/improve(_:in:shouldStop:)``), then the large-neighbourhood search,
    /// within ``partitionShare`` of the time left.
    private static func betterPartition(of graph: ComputationGraph, than merged: Partition?,
                                        context: BoundContext) -> Partition? {
        guard let merged else { return nil }
        let stopFlag = context.request.stopFlag
        let deadline = context.remainingTime.map { Date().addingTimeInterval($0 * partitionShare) }
        let shouldStop: @Sendable () -> Bool = { stopFlag?.isStopped == true || deadline.map { Date() >= $0 } == true }
        let chained = CutChainPartitioner.improve(merged, in: graph, shouldStop: shouldStop)
        guard !shouldStop() else { return chained }
        return BottleneckNeighbourhood.improve(chained, in: graph, shouldStop: shouldStop)
    }
}
