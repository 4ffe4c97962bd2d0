import Foundation
import MIP
import PipeGraph
import PipePartition

/// What every method computes first, from the problem alone: the combinatorial bound, the window
/// calculator, a checked incumbent and the cost scale for the MIPs. Enough to build any model
/// (``ModelExport``); ``BoundContext`` adds the budget and the clock for solving.
struct BoundSetup {
    /// The graph the methods model: the problem's, with comms above the entry incumbent's cost
    /// capped at it (see ``PipeGraph/ComputationGraph/cappingComms(at:)``).
    private(set) var graph: ComputationGraph
    let stageCount: Int
    let windowCalculator: StageWindowCalculator
    let combinatorial: CombinatorialBound
    /// The best proven lower bound on entry: L0 or the caller's.
    let lowerBound: Double
    /// The best valid partition known on entry and its re-costed bottleneck.
    private(set) var incumbent: (partition: Partition, bottleneck: Double)?
    /// Whether a method found a partition better than the one it was given.
    private(set) var improvedIncumbent = false
    /// Model costs are graph costs divided by this (so T is near 1).
    var scale: Double

    /// `shouldStop` (a time limit or a signal) bounds the exact closure totals behind the windows,
    /// which take seconds on tens of thousands of nodes; once it says stop they are estimated.
    init(_ problem: BoundProblem, shouldStop: () -> Bool = { false }) throws {
        guard problem.stageCount >= 1 else { throw ModelError("the stage count must be at least 1, not \(problem.stageCount)") }
        graph = problem.graph
        stageCount = problem.stageCount
        windowCalculator = StageWindowCalculator(graph: graph, stageCount: stageCount, shouldStop: shouldStop)
        combinatorial = CombinatorialBound(graph: graph, stageCount: stageCount, windows: windowCalculator)
        lowerBound = Swift.max(combinatorial.value, problem.knownLowerBound.isFinite ? problem.knownLowerBound : 0)
        let largestComm = graph.nodes.map(\.comm).max() ?? 0
        scale = lowerBound > 0 ? lowerBound : (largestComm > 0 ? largestComm : 1)
        if let partition = problem.incumbent { offer(partition) }
        if incumbent == nil {
            // The slicing DP is cheap and usually close; failing that, everything in the first stage.
            if let sliced = try? Partitioner.partition(graph, stageCount: stageCount, method: .slice) {
                offer(sliced.partition)
            }
            offer(Partition(stageCount: stageCount, stageOf: [Int](repeating: 0, count: graph.nodeCount)))
        }
        improvedIncumbent = false
        graph = graph.cappingComms(at: upperBound)
    }

    /// Keeps `partition` if it is valid and cheaper than the incumbent; returns whether it was kept.
    @discardableResult
    mutating func offer(_ partition: Partition) -> Bool {
        guard partition.stageCount == stageCount, graph.isValid(partition) else { return false }
        let cost = graph.bottleneck(of: partition)
        if let incumbent, incumbent.bottleneck <= cost { return false }
        incumbent = (partition, cost)
        improvedIncumbent = true
        return true
    }

    /// A bottleneck no partition exceeds: the incumbent's, or Σ w + Σ c when there is none.
    var upperBound: Double {
        incumbent?.bottleneck ?? graph.nodes.reduce(0) { $0 + $1.work + $1.comm }
    }
}

/// A ``BoundSetup`` with the request's budget and the clock: what a solving method works in.
/// The setup's properties read through (`context.graph`, `context.scale`, …).
@dynamicMemberLookup
struct BoundContext {
    let request: BoundRequest
    /// The problem's part, computed once.
    private(set) var setup: BoundSetup
    let started = Date()

    init(_ request: BoundRequest) throws {
        self.request = request
        let stopFlag = request.stopFlag
        let deadline = request.timeLimit.map { Date().addingTimeInterval($0) }
        setup = try BoundSetup(request.problem, shouldStop: {
            stopFlag?.isStopped == true || deadline.map { Date() >= $0 } == true
        })
    }

    subscript<Value>(dynamicMember keyPath: KeyPath<BoundSetup, Value>) -> Value { setup[keyPath: keyPath] }

    /// Keeps `partition` if it is valid and cheaper than the incumbent (``BoundSetup/offer(_:)``).
    @discardableResult
    mutating func offer(_ partition: Partition) -> Bool { setup.offer(partition) }

    /// Seconds left of the request's budget (nil: no budget).
    var remainingTime: Double? {
        request.timeLimit.map { Swift.max(0, $0 - Date().timeIntervalSince(started)) }
    }

    var elapsed: Double { Date().timeIntervalSince(started) }

    /// Whether the budget is spent or a stop was asked for.
    var shouldStop: Bool {
        (request.stopFlag?.isStopped ?? false) || (remainingTime.map { $0 <= 0 } ?? false)
    }

    /// Solver options for one MIP with `timeShare` of the remaining budget (at least half a
    /// second, but never more than remains).
    func options(timeShare: Double = 1, mipStart: [Double]? = nil) -> SolveOptions {
        SolveOptions(timeLimit: remainingTime.map { Swift.max(Swift.min(0.5, $0), $0 * timeShare) }, relativeGap: 1e-7,
                     absoluteGap: 1e-9, nodeLimit: request.nodeLimit, threads: request.threads,
                     mipStart: mipStart, stopFlag: request.stopFlag)
    }

    /// A result carrying the incumbent when a method improved on the request's one.
    func result(method: LowerBoundMethod, value: Double, status: BoundStatus, detail: String) -> LowerBoundResult {
        LowerBoundResult(method: method.rawValue, value: value, status: status, seconds: elapsed,
                         partition: setup.improvedIncumbent ? setup.incumbent?.partition : nil, detail: detail)
    }

    /// The stage windows at the upper bound that a windowed MIP method starts from, or the
    /// result that settles `method` without a MIP: the combinatorial bound already meets the
    /// incumbent, or no partition fits the windows (impossible with a valid incumbent).
    func windowsAtUpperBound(for method: LowerBoundMethod) -> Result<StageWindows, SettledBound> {
        guard setup.lowerBound < setup.upperBound else {
            return .failure(SettledBound(result(method: method, value: setup.lowerBound, status: .proved,
                                                detail: "the combinatorial bound meets the incumbent")))
        }
        guard let windows = windows(bottleneck: setup.upperBound) else {
            return .failure(SettledBound(result(method: method, value: setup.lowerBound, status: .proved,
                                                detail: "no partition fits the stage windows")))
        }
        return .success(windows)
    }

    /// The stage windows at `bottleneck` for the prefix MIPs and the value search's probes, narrowed by the
    /// work the stages before and after each boundary can hold (docs/formulations.md, "Stage-chain cuts";
    /// not on training graphs, nor with those cuts off): every partition of bottleneck ≤ `bottleneck` lies in
    /// them, with fewer free columns than in the plain windows. nil: no partition does.
    func windows(bottleneck: Double) -> StageWindows? {
        guard let plain = setup.windowCalculator.windows(bottleneck: bottleneck) else { return nil }
        guard !setup.graph.isTraining, request.stageChainCuts else { return plain }
        return StageChainBound(graph: setup.graph, calculator: setup.windowCalculator)
            .narrowedWindows(bottleneck: bottleneck, shouldStop: { shouldStop })
    }
}

/// A method's result reached before any MIP was built (see ``BoundContext/windowsAtUpperBound(for:)``).
struct SettledBound: Error {
    let result: LowerBoundResult
    init(_ result: LowerBoundResult) { self.result = result }
}
