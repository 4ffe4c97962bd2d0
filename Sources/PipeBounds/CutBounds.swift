import Foundation
import PipeGraph

/// L0+: the solver-free cut bounds (``BoundaryCutBound``, ``ContainingStageBound``, ``StageChainBound``,
/// ``PathSegmentBound``, ``StageCapacityBound``) as a method of their own, so that `certify` can run them
/// right after the combinatorial bound and they count even when the value search (which also starts from
/// them) gets no time. See docs/formulations.md, "Boundary cuts", "Containing-stage cuts", "Stage-chain
/// cuts", "Path-segment cuts" and "Stage-capacity cuts".
enum CutBounds {
    /// The share of the time budget the containing-stage cuts may take before the boundary cuts start
    /// (they are usually the faster of the two and matter most at large k).
    static let containingShare = 0.5
    /// The share of the time left the stage-chain cuts may take: they cost dozens of minimum cuts per
    /// boundary and check, and the time is often better spent on the value search's probes.
    static let chainShare = 0.25
    /// The share of the time left the path-segment cuts may take (a few hundred minimum cuts per path).
    static let pathShare = 0.25
    /// The share of the time left the stage-capacity cuts may take (several minimum cuts per node and
    /// check). In certify they open the value search, whose probes on the graphs where these cuts pay
    /// (comm-heavy, k ≥ 8) mostly end unresolved: a quarter was too little for a first check there.
    static let capacityShare = 0.5

    /// The best of L0, the containing-stage, boundary, stage-chain, path-segment and stage-capacity cuts,
    /// with what each gave. `stopped` tells whether a limit cut a search short (the value is still a proven
    /// bound). Without ``BoundRequest/boundaryCuts`` (certify's `cuts` step ran the others already), only the
    /// stage-capacity cuts, if asked for; `capacity` false leaves those out.
    static func bound(_ context: BoundContext, from lower: Double, capacity includesCapacity: Bool = true)
        -> (value: Double, stopped: Bool, detail: String) {
        let capacityCuts = context.request.stageCapacityCuts && includesCapacity
        // The cut bounds read the data edges as the order of stages and groups as whole classes, which a
        // training graph's backward edges and classes are not (docs/graph-format.md): off there.
        guard !context.graph.isTraining else { return (lower, false, "cuts are off on training graphs; ") }
        guard context.request.boundaryCuts else {
            guard capacityCuts else { return (lower, false, "") }
            var stopped = false
            let capacity = capacityBound(context, from: lower, stopped: &stopped)
            return (Swift.max(lower, capacity), stopped, String(format: "stage-capacity cuts %.6g; ", capacity))
        }
        var stopped = false
        let containingStarted = Date()
        let containingDeadline = context.remainingTime.map { containingStarted.addingTimeInterval($0 * containingShare) }
        let containingCuts = ContainingStageBound(graph: context.graph)
        let shouldStopContaining = {
            let stop = context.shouldStop || containingDeadline.map { Date() >= $0 } == true
            if stop { stopped = true }
            return stop
        }
        let containing = containingCuts.bound(from: lower, shouldStop: shouldStopContaining)
        var best = Swift.max(lower, containing)
        // One cut per producer; those not reached in the containing share are never charged outright.
        let holdingConsumersCosts = context.request.forcedProducers
            ? containingCuts.leastCostsHoldingConsumers(above: best, shouldStop: shouldStopContaining) : []
        let cutBound = BoundaryCutBound(graph: context.graph, calculator: context.windowCalculator,
                                        holdingConsumersCosts: holdingConsumersCosts).bound(from: best, shouldStop: {
            let stop = context.shouldStop
            if stop { stopped = true }
            return stop
        })
        best = Swift.max(best, SafeRounding.roundDown(cutBound, relative: SafeRounding.arithmeticMargin))
        // The stage-by-stage version of the boundary cuts, from the best value so far (docs/formulations.md,
        // "Stage-chain cuts"); its checks already leave a margin for rounding.
        let chainDeadline = context.remainingTime.map { Date().addingTimeInterval($0 * chainShare) }
        let chain = !context.request.stageChainCuts ? best
            : StageChainBound(graph: context.graph, calculator: context.windowCalculator).bound(
                from: best, ceiling: context.upperBound, resolution: StageChainBound.resolution, shouldStop: {
                // Only a real stop is a limit: the chain's own share ending leaves the step proved, so the
                // value search does not run the cuts again.
                if context.shouldStop { stopped = true; return true }
                return chainDeadline.map { Date() >= $0 } == true
            })
        best = Swift.max(best, chain)
        let pathDeadline = context.remainingTime.map { Date().addingTimeInterval($0 * pathShare) }
        let pathSegments = !context.request.pathSegmentCuts ? best : PathSegmentBound(graph: context.graph).bound(
            from: best, ceiling: context.upperBound, stageCount: context.stageCount, shouldStop: {
                if context.shouldStop { stopped = true; return true }
                return pathDeadline.map { Date() >= $0 } == true
            })
        best = Swift.max(best, pathSegments)
        let capacity = !capacityCuts ? best : capacityBound(context, from: best, stopped: &stopped)
        best = Swift.max(best, capacity)
        // No seconds in the text: results must compare equal across runs and shards (docs/suites.md).
        let detail = String(format: "containing-stage cuts %.6g, boundary cuts %.6g, stage-chain cuts %.6g, path-segment cuts %.6g",
                            containing, cutBound, chain, pathSegments)
            + (capacityCuts ? String(format: ", stage-capacity cuts %.6g; ", capacity) : "; ")
        return (best, stopped, detail)
    }

    /// The stage-capacity cuts from `lower`, within their share of the time left; `stopped` set on a real stop.
    private static func capacityBound(_ context: BoundContext, from lower: Double, stopped: inout Bool) -> Double {
        let deadline = context.remainingTime.map { Date().addingTimeInterval($0 * capacityShare) }
        return StageCapacityBound(graph: context.graph, calculator: context.windowCalculator).bound(
            from: lower, ceiling: context.upperBound, stageCount: context.stageCount, shouldStop: {
                if context.shouldStop { stopped = true; return true }
                return deadline.map { Date() >= $0 } == true
            })
    }

    /// The `cuts` method: the bound above from L0 (or the caller's known bound).
    static func compute(_ context: inout BoundContext) -> LowerBoundResult {
        let (value, stopped, detail) = bound(context, from: context.lowerBound)
        return context.result(method: .cuts, value: value, status: stopped ? .limit : .proved,
                              detail: detail + context.combinatorial.detail)
    }
}
