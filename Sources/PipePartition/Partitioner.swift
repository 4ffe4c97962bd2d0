import Foundation
import PipeGraph

/// The partition methods a user can ask for by name.
public enum PartitionMethod: String, CaseIterable, Sendable {
    /// Slicing DP over each canonical topological order, then boundary moves; the best result.
    case slice
    /// Slicing DP over the depth-first order only (a baseline; no boundary moves).
    case sliceDepthFirst = "slice-dfs"
    /// Slicing DP over the breadth-first order only (a baseline; no boundary moves).
    case sliceBreadthFirst = "slice-bfs"
    /// Slicing DP over the input order only (a baseline; no boundary moves).
    case sliceInput = "slice-input"
    /// PipeDream-style DP over a chain (exact; refuses graphs that are not a chain).
    case chainDP = "chain-dp"
    /// BRKGA over topological orders, population 10 × 10 generations (the paper's preset).
    case brkga100 = "brkga-100"
    /// BRKGA over topological orders, population 100 × 100 generations (the paper's preset).
    case brkga10000 = "brkga-10000"
    /// The exact DP over ideals (refuses graphs with too many ideals).
    case idealDP = "ideal-dp"
    /// BRKGA-100, then large-neighbourhood search on the bottleneck stage (``BottleneckNeighbourhood``).
    case lns
    /// Stage boundaries chosen among least-comm cuts of bands of the breadth-first order, by a DP over
    /// nested chains of them (``CutChainPartitioner``), then boundary moves. Not for training graphs.
    case cutChain = "cut-chain"
}

/// Why a partition method could not produce a partition.
public struct PartitionError: Error, CustomStringConvertible, Sendable {
    /// One line: what went wrong and what to do instead.
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    /// A stop request (time limit or signal) ended the method before it finished.
    public static let stopped = PartitionError("stopped before it finished (time limit or interrupt)")
}

/// Runs a partition method by name.
public enum Partitioner {
    /// Partitions `graph` into at most `stageCount` stages with `method`; the result is valid and re-costed.
    public static func partition(_ graph: ComputationGraph, stageCount: Int, method: PartitionMethod,
                                 seed: UInt64 = 1) throws -> PartitionResult {
        try partition(graph, stageCount: stageCount, method: method, seed: seed, threadCount: nil)
    }

    /// ``partition(_:stageCount:method:seed:)`` with a fixed number of decoder threads for BRKGA
    /// (nil: all cores). The result does not depend on it; tests use it to check exactly that.
    public static func partition(_ graph: ComputationGraph, stageCount: Int, method: PartitionMethod,
                                 seed: UInt64, threadCount: Int?) throws -> PartitionResult {
        try partition(graph, stageCount: stageCount, method: method, seed: seed, threadCount: threadCount, shouldStop: nil)
    }

    /// ``partition(_:stageCount:method:seed:threadCount:)`` that a time limit or a signal can cut short:
    /// `shouldStop` is polled between BRKGA generations, between polishing rounds and inside the ideal DP.
    /// BRKGA and slice return their best valid partition so far; the ideal DP throws ``PartitionError/stopped``.
    public static func partition(_ graph: ComputationGraph, stageCount: Int, method: PartitionMethod,
                                 seed: UInt64, threadCount: Int?,
                                 shouldStop: (@Sendable () -> Bool)?) throws -> PartitionResult {
        guard stageCount >= 1 else { throw PartitionError("the number of stages must be at least 1, not \(stageCount)") }
        let started = DispatchTime.now()
        let found: Partition
        switch method {
        case .slice:
            found = try bestImproved(slicings(of: graph, orders: TopologicalOrders.canonical(graph), stageCount: stageCount), graph: graph,
                                     shouldStop: shouldStop)
        case .sliceDepthFirst:
            found = try sliceOnly(graph, order: TopologicalOrders.depthFirst(graph), stageCount: stageCount)
        case .sliceBreadthFirst:
            found = try sliceOnly(graph, order: TopologicalOrders.breadthFirst(graph), stageCount: stageCount)
        case .sliceInput:
            found = try sliceOnly(graph, order: TopologicalOrders.inputOrder(graph), stageCount: stageCount)
        case .chainDP:
            guard TopologicalOrders.isChain(graph) else {
                throw PartitionError("graph \(graph.name) is not a chain; use slice, brkga-100 or brkga-10000")
            }
            found = try sliceOnly(graph, order: graph.topologicalOrder, stageCount: stageCount)
        case .brkga100, .brkga10000:
            var search = method == .brkga100 ? BRKGA.small : BRKGA.large
            search.threadCount = threadCount
            let population = search.evolve(graph, stageCount: stageCount, seed: seed, shouldStop: shouldStop)
            // The canonical orders' slicings join the elite, so BRKGA is never worse than `slice`; once
            // stopped they are left out if the population has a slicing (on 20,000 nodes they take most
            // of a second, and `certify` has run `slice` already).
            let elite = population.prefix(search.eliteCount).compactMap(\.slicing)
            let canonical = shouldStop?() == true && !elite.isEmpty ? []
                : slicings(of: graph, orders: TopologicalOrders.canonical(graph), stageCount: stageCount)
            found = try bestImproved(elite + canonical, graph: graph, shouldStop: shouldStop)
        case .lns:
            let start = try partition(graph, stageCount: stageCount, method: .brkga100, seed: seed, threadCount: threadCount,
                                      shouldStop: shouldStop)
            found = BottleneckNeighbourhood.improve(start.partition, in: graph, seed: seed, shouldStop: shouldStop)
        case .cutChain:
            guard !graph.isTraining else {
                throw PartitionError("cut-chain does not handle training graphs (their backward edges run against the stage order); use slice or lns")
            }
            guard let chain = CutChainPartitioner.polishedPartition(graph, stageCount: stageCount, shouldStop: shouldStop) else {
                throw noValidPartition(graph, stageCount: stageCount, orderOnly: true)
            }
            found = chain
        case .idealDP:
            var upperBound = Double.infinity
            if let slice = try? partition(graph, stageCount: stageCount, method: .slice, seed: seed, threadCount: threadCount,
                                          shouldStop: shouldStop) {
                upperBound = slice.bottleneck
            }
            guard let optimum = try IdealDP.optimum(of: graph, stageCount: stageCount, upperBound: upperBound,
                                                    shouldStop: shouldStop) else {
                throw noValidPartition(graph, stageCount: stageCount)
            }
            found = optimum.partition
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return try checked(found, graph: graph, method: method, seconds: seconds)
    }

    private static func slicings(of graph: ComputationGraph, orders: [[Int]], stageCount: Int) -> [Slicing] {
        let slicer = OrderSlicer(graph: graph, stageCount: stageCount)
        return orders.compactMap { slicer.slice($0) }
    }

    private static func sliceOnly(_ graph: ComputationGraph, order: [Int], stageCount: Int) throws -> Partition {
        guard let slicing = OrderSlicer(graph: graph, stageCount: stageCount).slice(order) else {
            throw noValidPartition(graph, stageCount: stageCount, orderOnly: true)
        }
        return slicing.partition
    }

    /// Applies boundary moves to each slicing and keeps the best (first on ties).
    private static func bestImproved(_ slicings: [Slicing], graph: ComputationGraph,
                                     shouldStop: (@Sendable () -> Bool)? = nil) throws -> Partition {
        var best: (partition: Partition, bottleneck: Double)? = nil
        for slicing in slicings {
            // Once stopped, the remaining slicings are taken as they are (valid, just not polished).
            let improved = shouldStop?() == true ? slicing.partition : polish(slicing, graph: graph, shouldStop: shouldStop)
            let value = graph.bottleneck(of: improved)
            if best.map({ value < $0.bottleneck }) ?? true { best = (improved, value) }
        }
        guard let best else {
            throw noValidPartition(graph, stageCount: slicings.first?.segmentEnds.count ?? 0, orderOnly: true)
        }
        return best.partition
    }

    /// Alternates boundary moves and re-slicing: after the moves, the stages read in order form a
    /// topological order whose optimal slicing is at least as good, and may cut elsewhere.
    private static func polish(_ slicing: Slicing, graph: ComputationGraph, shouldStop: (@Sendable () -> Bool)?) -> Partition {
        let slicer = OrderSlicer(graph: graph, stageCount: slicing.segmentEnds.count)
        var current = BoundaryMoves.improve(slicing.partition, in: graph)
        var value = graph.bottleneck(of: current)
        var position = [Int](repeating: 0, count: graph.nodeCount)
        var order = slicing.order
        for _ in 0..<20 {
            if shouldStop?() == true { break }
            for (index, node) in order.enumerated() { position[node] = index }
            // Stage by stage, keeping the previous order inside a stage: topological, since edges never go back a stage.
            order.sort { (current.stageOf[$0], position[$0]) < (current.stageOf[$1], position[$1]) }
            guard let resliced = slicer.slice(order) else { break }
            let next = BoundaryMoves.improve(resliced.partition, in: graph)
            let nextValue = graph.bottleneck(of: next)
            guard nextValue < value * (1 - 1e-12) else { break }
            current = next
            value = nextValue
        }
        return current
    }

    static func noValidPartition(_ graph: ComputationGraph, stageCount: Int, orderOnly: Bool = false) -> PartitionError {
        let cap = graph.stageMemory.map { "\($0)" } ?? "none"
        if let reason = graph.groupAboveMemoryCap() {
            return PartitionError("graph \(graph.name) has no valid partition: \(reason)")
        }
        if orderOnly {
            return PartitionError("graph \(graph.name): no slicing of the tried orders into \(stageCount) stages respects the memory cap (\(cap)) and the colocation groups; try ideal-dp or more stages")
        }
        return PartitionError("graph \(graph.name) has no valid partition into \(stageCount) stages under the memory cap \(cap) with its colocation groups")
    }

    /// The independent check every reported partition passes, and its re-costed bottleneck.
    private static func checked(_ partition: Partition, graph: ComputationGraph, method: PartitionMethod,
                                seconds: Double) throws -> PartitionResult {
        let violations = graph.violations(of: partition)
        guard violations.isEmpty else {
            throw PartitionError("internal error: \(method.rawValue) produced an invalid partition of \(graph.name): \(violations[0])")
        }
        return PartitionResult(method: method.rawValue, partition: partition, bottleneck: graph.bottleneck(of: partition), seconds: seconds)
    }
}
