import Foundation
import PipeGraph

extension ClosureTotals {
    /// Graphs with at least this many nodes have their totals kept for the next caller: below it they take
    /// milliseconds, above it seconds (about 3 s at 20,000 nodes), and every bound method of a certify run
    /// builds its own windows for the same graph.
    public static let sharingNodeCount = 5_000

    /// The totals of `graph`, computed once per graph for large graphs: the last large graph's totals are
    /// kept and reused when the next graph has the same nodes, edges and groups (all the totals read).
    /// Totals cut short by `shouldStop` (their estimates) are not kept: a later caller with time left
    /// computes the exact ones.
    public static func shared(for graph: ComputationGraph, shouldStop: () -> Bool = { false }) -> ClosureTotals {
        guard graph.nodeCount >= sharingNodeCount else { return ClosureTotals(graph: graph, shouldStop: shouldStop) }
        if let kept = ClosureTotalsStore.shared.totals(for: graph) { return kept }
        let totals = ClosureTotals(graph: graph, shouldStop: shouldStop)
        if !shouldStop() { ClosureTotalsStore.shared.keep(totals, for: graph) }
        return totals
    }
}

/// The last large graph's closure totals, behind a lock (certify runs stage counts on several threads).
private final class ClosureTotalsStore: @unchecked Sendable {
    static let shared = ClosureTotalsStore()
    private let lock = NSLock()
    private var kept: (graph: ComputationGraph, totals: ClosureTotals)?

    func totals(for graph: ComputationGraph) -> ClosureTotals? {
        lock.lock()
        defer { lock.unlock() }
        guard let kept, Self.sameStructure(kept.graph, graph) else { return nil }
        return kept.totals
    }

    func keep(_ totals: ClosureTotals, for graph: ComputationGraph) {
        lock.lock()
        defer { lock.unlock() }
        kept = (graph, totals)
    }

    /// Whether the two graphs have the same costs, edges and groups: what ``ClosureTotals`` is computed from.
    private static func sameStructure(_ first: ComputationGraph, _ second: ComputationGraph) -> Bool {
        first.nodes == second.nodes && first.successors == second.successors
            && first.precedenceSuccessors == second.precedenceSuccessors && first.groupMembers == second.groupMembers
    }
}
