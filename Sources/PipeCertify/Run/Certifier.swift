import Foundation
import MIP
import PipeBounds
import PipeGraph
import PipePartition

/// A certificate and the partition it describes.
public struct CertifiedPartition: Sendable {
    /// The certificate.
    public var certificate: Certificate
    /// The partition behind its upper bound.
    public var partition: Partition

    /// Everything wrong with the certificate (see ``Certificate/problems(graph:partition:)``).
    public func problems(graph: ComputationGraph) -> [String] {
        certificate.problems(graph: graph, partition: partition)
    }
}

/// Runs the certify plan on one graph for one or more stage counts and builds the certificates.
///
/// Stage counts run in ascending order so that each k starts from the best partition of the
/// previous one (a partition into k stages is a valid partition into k + 1, so the upper
/// bound can only improve). The run can be watched (``progress``) and stopped (the options'
/// stop flag), and ``snapshot()`` gives the certificates so far from any thread, which is how
/// an interrupted run still prints a sound certificate.
public final class Certifier: @unchecked Sendable {
    /// The graph being certified.
    public let graph: ComputationGraph
    /// What to run and spend.
    public let options: CertifyOptions
    /// Called from the running thread at every step start and end.
    public var progress: (@Sendable (CertifyStatus) -> Void)?
    /// The user's partition (`certify --partition`): offered first, as method `given`, to every
    /// stage count whose range holds its stages; set it before ``run(stageCounts:)``.
    public var givenPartition: Partition?

    private let solver: any MIPSolver
    private let lock = NSLock()
    /// The state of every stage count started so far, guarded by `lock`.
    private var runs: [StageCountRun] = []
    /// The stage counts of this run, ascending (only the running thread reads it).
    private var plannedStageCounts: [Int] = []
    /// Optima of later stage counts that an earlier stage count's DP pass also answered, with the
    /// stage count whose pass found them (only the running thread uses it).
    private var exactOptima: [Int: (answer: IdealDPBound.Answer, foundAt: Int)] = [:]

    /// Everything known about one stage count while it runs.
    private struct StageCountRun {
        var stageCount: Int
        var started: Date
        var seconds: Double = 0
        var incumbent: (partition: Partition, value: Double, method: String)?
        var records: [BoundRecord] = []
        /// What this stage count's steps watch (see ``Certifier/runStopFlag(run:)``).
        var stopFlag: StopFlag

        var bestLower: Double {
            records.filter { $0.kind == .lower && $0.counts }.map(\.value).max() ?? 0
        }
    }

    /// Prepares a run with the options' solver.
    public init(graph: ComputationGraph, options: CertifyOptions) {
        self.graph = graph
        self.options = options
        self.solver = options.solver
    }

    /// Certifies every stage count in `stageCounts` (ascending) and returns one certificate
    /// each; a stage count for which no method found a valid partition is left out (only
    /// possible under a memory cap). Stops early when the stop flag is raised.
    public func run(stageCounts: [Int]) -> [CertifiedPartition] {
        var carried: (partition: Partition, value: Double, stageCount: Int)?
        plannedStageCounts = Array(Set(stageCounts)).sorted()
        exactOptima = [:]
        for stageCount in plannedStageCounts {
            if options.stopFlag?.isStopped == true { break }
            let index = update { runs in
                runs.append(StageCountRun(stageCount: stageCount, started: Date(), stopFlag: StopFlag(parent: options.stopFlag)))
                return runs.count - 1
            }
            if let given = givenPartition, given.stageOf.allSatisfy({ $0 < stageCount }) {
                offer(Partition(stageCount: stageCount, stageOf: given.stageOf), method: "given", seconds: 0, run: index, record: true)
            }
            if let carried {
                let partition = Partition(stageCount: stageCount, stageOf: carried.partition.stageOf)
                offer(partition, method: "k=\(carried.stageCount) partition", seconds: 0, run: index, record: true)
            }
            runSteps(run: index)
            let best = update { runs -> (Partition, Double)? in
                runs[index].seconds = Date().timeIntervalSince(runs[index].started)
                return runs[index].incumbent.map { ($0.partition, $0.value) }
            }
            if let (partition, value) = best { carried = (partition, value, stageCount) }
            report(run: index, step: "done")
        }
        return snapshot()
    }

    /// The certificates of every stage count started so far, from the best results so far,
    /// each with the partition it describes (taken together, so they always agree).
    public func snapshot() -> [CertifiedPartition] {
        let current = update { runs in runs }
        return current.compactMap { run in
            guard let incumbent = run.incumbent else { return nil }
            let seconds = run.seconds > 0 ? run.seconds : Date().timeIntervalSince(run.started)
            let certificate = Certificate(graph: graph, partition: incumbent.partition, upperMethod: incumbent.method,
                                          solver: options.solver.name, bounds: run.records, seconds: seconds)
            return CertifiedPartition(certificate: certificate, partition: incumbent.partition)
        }
    }

    // MARK: - Steps

    private func runSteps(run index: Int) {
        var secondCore: SecondCoreStep?
        defer {
            if let secondCore {
                // Once the target is reached the second core has nothing left to do; otherwise it keeps
                // its budget, which ends with the plan's (a signal reaches it through its flag's parents).
                if hasReachedTarget(run: index) { secondCore.stopFlag.stop() }
                secondCore.wait()
            }
        }
        var steps = options.plan[...]
        var runsPortfolio = false
        while let step = steps.popFirst() {
            if runStopFlag(run: index).isStopped { return }
            let (stageCount, upper, lower, elapsed) = update { runs in
                (runs[index].stageCount, runs[index].incumbent?.value, runs[index].bestLower,
                 Date().timeIntervalSince(runs[index].started))
            }
            if !options.measuresEachMethod, let upper, reachedTarget(lower: lower, upper: upper) { return }
            if secondCore?.work == .exactMIP, !runsPortfolio, case .bound(.exact, _) = step { continue }
            let remaining = budget.map { $0 - elapsed }
            if let remaining, remaining <= 0, upper != nil {
                append(BoundRecord(method: step.methodName, kind: kindOf(step), value: 0, status: .skipped,
                                   seconds: 0, detail: "time budget spent"), run: index)
                continue
            }
            if let remaining, let needed = expectedSeconds(of: step, run: index), needed > remaining * Self.longHeuristicShare {
                append(BoundRecord(method: step.methodName, kind: kindOf(step), value: 0, status: .skipped, seconds: 0,
                                   detail: "needs about \(NumberFormatting.seconds(needed)) s, \(NumberFormatting.seconds(remaining)) s left"),
                       run: index)
                continue
            }
            report(run: index, step: step.methodName)
            switch step {
            case let .partition(method):
                runPartition(method, stageCount: stageCount, run: index)
            case let .bound(method, share):
                // At least half a second for a bound, but never more than is left (`--time-limit` is a promise).
                runBound(method, stageCount: stageCount, timeLimit: remaining.map { max($0 * share, min(0.5, max($0, 0))) }, run: index)
            }
            if step == .partition(.lns), secondCore?.work != .search {
                runPlanWindowMIPs(stageCount: stageCount, run: index)
            }
            if secondCore == nil, startsSecondCore(after: step) {
                secondCore = startSecondCore(run: index)
                if let work = secondCore?.work, work != .search, options.exactPortfolio,
                   options.secondCoreSolver.map({ $0.name != options.solver.name }) == true {
                    // Two backends on one MIP: their trees differ, and on the wide bed each proved optima the
                    // other did not reach in the same time (docs/certificate.md, "The second core"). The plan's
                    // own exact MIP then runs too, moved before the value search with half the time left; beside
                    // the cover bound it keeps that place, so the plan itself is the same either way.
                    runsPortfolio = true
                    let isExact = { (step: CertifyStep) in step.methodName == LowerBoundMethod.exact.rawValue }
                    if let valueSearch = steps.firstIndex(where: { $0.methodName == LowerBoundMethod.valueSearch.rawValue }),
                       let exact = steps.firstIndex(where: isExact), exact > valueSearch {
                        steps.remove(at: exact)
                        steps.insert(Self.portfolioStep, at: valueSearch)
                    }
                }
            }
        }
    }

    /// A second core for the rest of this stage count's budget (docs/certificate.md, "The second core"):
    /// where the exact MIP is small enough to make headway (``secondCoreRunsExactMIP(nodeCount:stageCount:)``),
    /// the exact MIP with ``CertifyOptions/secondCoreSolver``: on small
    /// and medium graphs at few stages it often proves the optimum, and its incumbents improve the
    /// partition. Elsewhere (with ``CertifyOptions/secondCoreSearches``) rounds of large-neighbourhood
    /// search from the best partition so far, each with a seed of its own, each better partition offered
    /// at once. When the target is reached it stops the plan's running step through the run's stop flag.
    private func startSecondCore(run index: Int) -> SecondCoreStep? {
        guard let solver = options.secondCoreSolver, let budget, !options.measuresEachMethod,
              options.plan.contains(where: { $0.methodName == LowerBoundMethod.exact.rawValue }),
              ProcessInfo.processInfo.activeProcessorCount >= 2 else { return nil }
        let (stageCount, upper, lower, elapsed, runFlag) = update { runs in
            (runs[index].stageCount, runs[index].incumbent?.value, runs[index].bestLower,
             Date().timeIntervalSince(runs[index].started), runs[index].stopFlag)
        }
        guard let upper, !reachedTarget(lower: lower, upper: upper), budget - elapsed > Self.secondCoreMinimumSeconds else { return nil }
        let flag = StopFlag(parent: runFlag)
        let nodeStages = graph.nodeCount * stageCount
        let exactMIPFits = options.secondCoreSearches
            ? Self.secondCoreRunsExactMIP(nodeCount: graph.nodeCount, stageCount: stageCount)
            : nodeStages <= Self.secondCoreMaximumNodeStages
        let detailPrefix = "on a second core, with \(solver.name)"
        let timeLeft = { [self] in budget - update { runs in Date().timeIntervalSince(runs[index].started) } }
        if options.secondCoreCover, stageCount >= options.secondCoreCoverStageCount, graph.nodeCount <= Self.secondCoreCoverMaximumNodes,
           nodeStages <= Self.secondCoreMaximumNodeStages {
            // The cover gets the core from the start, without the merged-stages step: at k = 8 on wide #2 and #4 that
            // step took 6 and 17 s of the minute, and the cover from the cut bounds alone ends higher (#4: 3,341.52
            // against 3,321.37; docs/benchmarks-wide.md, "The stage cover first").
            return SecondCoreStep(stopFlag: flag, work: .coverBound) { [self] in
                runBound(.stageCover, stageCount: stageCount, timeLimit: timeLeft(), run: index, solver: solver,
                         stopFlag: flag, detailPrefix: detailPrefix)
                if hasReachedTarget(run: index) { runFlag.stop(); return }
                // A cover bound that converged leaves the core free: the exact MIP gets the rest (the plan runs its
                // own too, so two backends then share that MIP as in the portfolio).
                let left = timeLeft()
                guard exactMIPFits, left > Self.secondCoreMinimumSeconds, !flag.isStopped else { return }
                runBound(.exact, stageCount: stageCount, timeLimit: left, run: index, solver: solver,
                         stopFlag: flag, detailPrefix: detailPrefix)
                if hasReachedTarget(run: index) { runFlag.stop() }
            }
        }
        if exactMIPFits {
            // At 5 to 8 stages the exact MIP's dual bound stays near W/k on comm-heavy graphs while the MIP with half
            // the stages makes headway: the merged-stages bound runs first, with the whole budget (it ends when that MIP
            // is solved), and what it leaves goes to the exact MIP (docs/certificate.md, "The second core").
            let mergesStages = options.secondCoreMergedStages && options.secondCoreMergedStageCounts.contains(stageCount)
            return SecondCoreStep(stopFlag: flag, work: .exactMIP) { [self] in
                if mergesStages {
                    runBound(.mergedStages, stageCount: stageCount, timeLimit: timeLeft(), run: index, solver: solver,
                             stopFlag: flag, detailPrefix: detailPrefix)
                    if hasReachedTarget(run: index) { runFlag.stop() }
                }
                guard timeLeft() > Self.secondCoreMinimumSeconds, !flag.isStopped else { return }
                runBound(.exact, stageCount: stageCount, timeLimit: timeLeft(), run: index, solver: solver,
                         stopFlag: flag, detailPrefix: detailPrefix)
                if hasReachedTarget(run: index) { runFlag.stop() }
            }
        }
        guard options.secondCoreSearches else { return nil }
        let deadline = Date().addingTimeInterval(budget - elapsed)
        let stop: @Sendable () -> Bool = { flag.isStopped || Date() >= deadline }
        return SecondCoreStep(stopFlag: flag, work: .search) { [self] in
            var round: UInt64 = 1
            var roundsWithoutGain = 0
            // A search that several seeds in a row leave where it was has little left to find: the core is freed.
            while !stop(), roundsWithoutGain < Self.secondCoreStalledRounds {
                guard let incumbent = update({ runs in runs[index].incumbent?.partition }) else { return }
                let started = Date()
                let improved = rechained(BottleneckNeighbourhood.improve(incumbent, in: graph, seed: options.seed &+ round, shouldStop: stop),
                                         shouldStop: stop)
                var gained = graph.bottleneck(of: improved) < graph.bottleneck(of: incumbent)
                offer(improved, method: PartitionMethod.lns.rawValue, seconds: Date().timeIntervalSince(started), run: index,
                      record: gained, detail: "on a second core, round \(round)")
                // Then the window MIPs from the best partition now (on the wide bed, run before the search they gained
                // less; beyond 16 stages the time they take from later rounds of the search cost more than they
                // found: docs/benchmarks-wide.md, "MIP neighbourhoods on the second core").
                if options.secondCoreWindowMIP, stageCount <= Self.secondCoreWindowMIPMaximumStages, !stop() {
                    let mipGained = runWindowMIPs(solver: solver, timeLimit: deadline.timeIntervalSinceNow, stopFlag: flag, run: index,
                                                  detail: "on a second core, round \(round)", recordsEveryRun: false)
                    gained = gained || mipGained
                }
                roundsWithoutGain = gained ? 0 : roundsWithoutGain + 1
                if hasReachedTarget(run: index) { runFlag.stop(); return }
                round += 1
            }
        }
    }

    /// The second core starts after the ideal DP (where it finishes, the optimum needs no MIP), or,
    /// in a plan without it, after the first partition step.
    private func startsSecondCore(after step: CertifyStep) -> Bool {
        guard case .partition = step else { return false }
        return step == .partition(.idealDP) || !options.plan.contains(.partition(.idealDP))
    }

    /// The plan's own exact MIP (with the main backend) while the second core runs it with another: moved
    /// before the value search, with half the time left.
    static let portfolioStep = CertifyStep.bound(.exact, budgetShare: 0.5)

    /// Below this many seconds left, a second core would not get past building the model.
    static let secondCoreMinimumSeconds = 1.0
    /// The exact MIP's columns grow with nodes × stages; beyond this product its root LP alone
    /// outlasts typical budgets (a 350-node graph at k = 8 ends 120 s after 11 nodes), and its
    /// model would only take memory from the plan.
    static let secondCoreMaximumNodeStages = 20_000
    /// Up to this many nodes × stages the second core runs the exact MIP when it may also search
    /// (``CertifyOptions/secondCoreSearches``), at more than ``secondCoreFewStages`` stages: on the wide bed
    /// the MIP's gains at k = 8 were on graphs of at most 400 nodes, and beyond 8 stages its LP relaxation is
    /// about W/k.
    static let secondCoreExactNodeStages = 4_000
    /// The same limit at up to ``secondCoreFewStages`` stages. At k = 4 on the wide bed's graphs of 1,100 to
    /// 2,000 nodes the exact MIP proved five optima of nine within the minute (2,000 nodes in 24 to 35 s),
    /// where the neighbourhood search it replaced had left them 0.956 to 0.986; at k = 8 on those of 600 to
    /// 1,000 nodes its merged-stages bound runs first and lifted #11 from 0.63 to 0.70 and #12 from 0.89 to
    /// 0.92 (docs/benchmarks-wide.md, "The exact MIP on the second core up to 8,000 nodes × stages").
    static let secondCoreExactNodeStagesAtFewStages = 8_000
    /// See ``secondCoreExactNodeStagesAtFewStages``.
    static let secondCoreFewStages = 8

    /// Whether the second core runs the exact MIP (rather than neighbourhood searches) on a graph of
    /// `nodeCount` nodes at `stageCount` stages, when it may also search.
    static func secondCoreRunsExactMIP(nodeCount: Int, stageCount: Int) -> Bool {
        nodeCount * stageCount <= (stageCount <= secondCoreFewStages ? secondCoreExactNodeStagesAtFewStages : secondCoreExactNodeStages)
    }

    /// Above this many nodes the stage-cover bound gets nowhere in a minute (its greedy growth and pricing MIPs
    /// grow with the graph): on the wide bed at k = 8 and 60 s, graphs of 200 to 500 nodes gained nothing from it
    /// and lost the exact MIP's bound (docs/benchmarks-wide.md, "The stage-cover bound on the second core").
    static let secondCoreCoverMaximumNodes = 150
    /// The record name of the MIP neighbourhoods (``PipeBounds/StageWindowNeighbourhood``).
    static let windowMIPMethod = "window-mip"
    /// Up to this many stages each round of the second core's search ends with MIP neighbourhoods: on the wide bed
    /// they lifted k = 16 (geometric mean 0.8451 → 0.8514) and left k = 32 level (0.8334 → 0.8348), while at k = 64
    /// the rounds of the search they displaced had found more (0.8869 → 0.8850).
    static let secondCoreWindowMIPMaximumStages = 16
    /// The second core's neighbourhood search ends after this many rounds in a row without a better partition.
    static let secondCoreStalledRounds = 3

    /// The stop flag of one stage count's steps: the options' (signals), or a child of it that the
    /// second core raises when it reaches the target.
    private func runStopFlag(run index: Int) -> StopFlag {
        update { runs in runs[index].stopFlag }
    }

    /// The time the steps of one stage count may take: `--time-limit` less the reserve for what
    /// surrounds them (``CertifyOptions/reserve(forTimeLimit:)``).
    private var budget: Double? {
        options.timeLimit.map { $0 - CertifyOptions.reserve(forTimeLimit: $0) }
    }

    /// The share of the time left the long BRKGA preset may take, leaving the rest to the bounds.
    static let longHeuristicShare = 1.0 / 3

    /// Partition heuristics cannot be stopped midway, so under a time budget the long BRKGA
    /// preset runs only when it should fit: it evaluates 100 times as many chromosomes as
    /// brkga-100, whose time this run has just measured.
    private func expectedSeconds(of step: CertifyStep, run index: Int) -> Double? {
        guard case .partition(.brkga10000) = step else { return nil }
        let short = update { runs in
            runs[index].records.first { $0.method == PartitionMethod.brkga100.rawValue && $0.status == .found }?.seconds
        }
        return short.map { $0 * 100 }
    }

    private func kindOf(_ step: CertifyStep) -> BoundRecord.Kind {
        if case .partition = step { return .upper }
        return .lower
    }

    private func reachedTarget(lower: Double, upper: Double) -> Bool {
        upper <= 0 || lower / upper >= options.targetRatio
    }

    /// Whether this stage count's best bounds so far reach the target.
    private func hasReachedTarget(run index: Int) -> Bool {
        let (upper, lower) = update { runs in (runs[index].incumbent?.value, runs[index].bestLower) }
        return upper.map { reachedTarget(lower: lower, upper: $0) } ?? false
    }

    /// What the partition loops poll: the stop flag (signals) or the end of this stage count's time budget.
    private func stopCheck(run index: Int) -> @Sendable () -> Bool {
        let flag = runStopFlag(run: index)
        let started = update { runs in runs[index].started }
        let deadline = budget.map { started.addingTimeInterval($0) }
        return { flag.isStopped || deadline.map { Date() >= $0 } == true }
    }

    private func runPartition(_ method: PartitionMethod, stageCount: Int, run index: Int) {
        if method == .idealDP { return runIdealDP(stageCount: stageCount, run: index) }
        if method == .lns { return runNeighbourhood(stageCount: stageCount, run: index) }
        runPartitionMethod(method, stageCount: stageCount, run: index)
    }

    private func runPartitionMethod(_ method: PartitionMethod, stageCount: Int, run index: Int) {
        let started = Date()
        var shouldStop = stopCheck(run: index)
        if method == .cutChain, let budget {
            // Its minimum cuts are many on large graphs at large k; the bounds after it need the time more.
            let elapsed = update { runs in Date().timeIntervalSince(runs[index].started) }
            let deadline = started.addingTimeInterval(max(0, budget - elapsed) * Self.cutChainShare)
            shouldStop = { [shouldStop] in shouldStop() || Date() >= deadline }
        }
        do {
            let result = try Partitioner.partition(graph, stageCount: stageCount, method: method, seed: options.seed,
                                                   threadCount: nil, shouldStop: shouldStop)
            let seconds = Date().timeIntervalSince(started)
            offer(result.partition, method: method.rawValue, seconds: seconds, run: index, record: true)
        } catch {
            append(BoundRecord(method: method.rawValue, kind: .upper, value: 0, status: .skipped,
                               seconds: Date().timeIntervalSince(started), detail: "\(error)"), run: index)
        }
    }

    /// Large-neighbourhood search (``PipePartition/BottleneckNeighbourhood``) from the incumbent, within a share
    /// of the time left (docs/partitioning.md): a better partition is the value search's aim too.
    private func runNeighbourhood(stageCount: Int, run index: Int) {
        let (incumbent, elapsed) = update { runs in (runs[index].incumbent?.partition, Date().timeIntervalSince(runs[index].started)) }
        guard let incumbent else { return runPartitionMethod(.lns, stageCount: stageCount, run: index) }
        let started = Date()
        let stop = stopCheck(run: index)
        let deadline = budget.map { started.addingTimeInterval(max(0, $0 - elapsed) * Self.neighbourhoodShare) }
        let shouldStop: @Sendable () -> Bool = { stop() || deadline.map { Date() >= $0 } == true }
        let improved = BottleneckNeighbourhood.improve(incumbent, in: graph, seed: options.seed, shouldStop: shouldStop)
        offer(rechained(improved, shouldStop: shouldStop), method: PartitionMethod.lns.rawValue,
              seconds: Date().timeIntervalSince(started), run: index, record: true)
    }

    /// MIP neighbourhoods (``PipeBounds/StageWindowNeighbourhood``) from the incumbent, with the plan's backend, within
    /// ``planWindowMIPShare`` of the time left, at ``CertifyOptions/planWindowMIPStageCount`` stages or more. The plan runs them after
    /// its `lns` step where the second core does not search (it runs the exact MIP, the merged-stages or the stage-cover
    /// bound there, or there is none): nothing else would improve the partition after that step (docs/certificate.md,
    /// "MIP neighbourhoods in the plan").
    private func runPlanWindowMIPs(stageCount: Int, run index: Int) {
        guard options.planWindowMIP, stageCount >= options.planWindowMIPStageCount, let budget else { return }
        let elapsed = update { runs in Date().timeIntervalSince(runs[index].started) }
        guard budget - elapsed > Self.secondCoreMinimumSeconds, !hasReachedTarget(run: index) else { return }
        runWindowMIPs(solver: options.solver, timeLimit: (budget - elapsed) * Self.planWindowMIPShare, stopFlag: runStopFlag(run: index),
                      run: index, detail: "after lns", recordsEveryRun: true)
    }

    /// MIP neighbourhoods from the incumbent, their partition offered as `window-mip` with `detail` followed by the
    /// backend and the MIP counts; recorded when better, or whenever a MIP was solved if `recordsEveryRun`.
    /// Whether the partition got better.
    @discardableResult
    private func runWindowMIPs(solver: any MIPSolver, timeLimit: Double, stopFlag: StopFlag, run index: Int, detail: String,
                               recordsEveryRun: Bool) -> Bool {
        guard let incumbent = update({ runs in runs[index].incumbent?.partition }) else { return false }
        let started = Date()
        let outcome = StageWindowNeighbourhood.improve(incumbent, in: graph, solver: solver, timeLimit: timeLimit, stopFlag: stopFlag)
        guard outcome.solves > 0 else { return false }
        let gained = outcome.improvements > 0
        offer(outcome.partition, method: Self.windowMIPMethod, seconds: Date().timeIntervalSince(started), run: index,
              record: gained || recordsEveryRun,
              detail: "\(detail), with \(solver.name): \(outcome.solves) MIPs, \(outcome.improvements) better")
        return gained
    }

    /// The share of the time left the plan's MIP neighbourhoods may take.
    static let planWindowMIPShare = 0.25

    /// `partition`, or better: re-chained (``PipePartition/CutChainPartitioner/improve(_:in:shouldStop:)``,
    /// docs/partitioning.md, "Cut chain") where the plan has a `cut-chain` step.
    private func rechained(_ partition: Partition, shouldStop: @escaping @Sendable () -> Bool) -> Partition {
        guard options.plan.contains(.partition(.cutChain)), !shouldStop() else { return partition }
        return CutChainPartitioner.improve(partition, in: graph, shouldStop: shouldStop)
    }

    /// The share of the time left the neighbourhood search may take, leaving the rest to the bounds.
    static let neighbourhoodShare = 0.25

    /// The share of the time left the `cut-chain` step's minimum cuts may take (its DP runs on the candidates found by then).
    static let cutChainShare = 0.1

    /// The exact DP over ideals (``PipeBounds/IdealDPBound``), within ``PipePartition/IdealDP/Limits/standard``. When it
    /// finishes, its partition is optimal, so its bottleneck is also a lower bound (rounded down for the
    /// floating-point sums): recorded as the `ideal-dp` lower bound.
    ///
    /// One pass answers every later stage count of the run too (the table for the most stages holds
    /// the optima of all fewer; docs/partitioning.md): those are kept and recorded when their turn
    /// comes, so `--stages 2,4,…,64` pays for one pass where the fewest-stage incumbent bounds it.
    /// Under a time limit the pass also ends at a share of the time left.
    private func runIdealDP(stageCount: Int, run index: Int) {
        let started = Date()
        let upper = update { runs in runs[index].incumbent?.value } ?? .infinity
        var detail = "exhaustive over the ideals: the optimum"
        do {
            let optimum: IdealDPBound.Answer
            if let known = exactOptima[stageCount] {
                optimum = known.answer
                detail = "exhaustive over the ideals in the pass for k = \(known.foundAt): the optimum"
            } else {
                // Once k is twice the stages that the work alone forces at U (⌈W / U⌉), the stage windows
                // no longer cut the lattice, so a table for more stages costs little more; below that a
                // wider table would lose the windows' pruning. The regression suites measure each k alone.
                let forced = upper.isFinite && upper > 0 ? (graph.totalWork / upper).rounded(.up) : .infinity
                let answersLater = !options.measuresEachMethod && Double(stageCount) >= 2 * forced
                let counts = answersLater ? plannedStageCounts.filter { $0 >= stageCount } : [stageCount]
                // Goldens run without a time limit, so they keep the count limits.
                let timeLimit = budget.map { budget in
                    let elapsed = update { runs in Date().timeIntervalSince(runs[index].started) }
                    return max(0, budget - elapsed) * Self.idealDPShare
                }
                let dp = IdealDPBound(timeLimit: timeLimit, shouldStop: stopCheck(run: index))
                let answers = try dp.optima(of: graph, stageCounts: counts, upperBound: upper)
                for (count, answer) in answers where count != stageCount {
                    if let answer { exactOptima[count] = (answer, stageCount) }
                }
                guard let found = answers[stageCount] ?? nil else {
                    append(BoundRecord(method: PartitionMethod.idealDP.rawValue, kind: .upper, value: 0, status: .failed,
                                       seconds: Date().timeIntervalSince(started), detail: "found no partition"), run: index)
                    return
                }
                optimum = found
            }
            let seconds = Date().timeIntervalSince(started)
            offer(optimum.partition, method: PartitionMethod.idealDP.rawValue, seconds: seconds, run: index, record: true)
            append(BoundRecord(method: PartitionMethod.idealDP.rawValue, kind: .lower, value: optimum.lowerBound,
                               status: .proved, seconds: seconds,
                               detail: detail), run: index)
        } catch {
            // The partition command's advice ("…; use brkga-10000 or certify") means nothing inside certify.
            let reason = "\(error)".components(separatedBy: "; use ").first ?? "\(error)"
            append(BoundRecord(method: PartitionMethod.idealDP.rawValue, kind: .upper, value: 0, status: .skipped,
                               seconds: Date().timeIntervalSince(started), detail: reason), run: index)
        }
    }

    /// The share of the time left the ideal DP may take under a time limit, leaving the rest to the bounds.
    static let idealDPShare = 0.5

    /// Runs one lower-bound method and records it; a partition it finds is offered. The second core
    /// passes its own backend and stop flag, and says so at the start of the record's detail.
    private func runBound(_ method: LowerBoundMethod, stageCount: Int, timeLimit: Double?, run index: Int,
                          solver: (any MIPSolver)? = nil, stopFlag: StopFlag? = nil, detailPrefix: String? = nil) {
        let (incumbent, bestLower, combinatorial, runFlag) = update { runs in
            (runs[index].incumbent?.partition, runs[index].bestLower,
             runs[index].records.first { $0.method == LowerBoundMethod.combinatorial.rawValue && $0.counts }?.value ?? 0,
             runs[index].stopFlag)
        }
        let prefixed = { (detail: String?) -> String? in
            guard let detailPrefix else { return detail }
            return detail.map { "\(detailPrefix); \($0)" } ?? detailPrefix
        }
        var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver ?? self.solver, timeLimit: timeLimit,
                                   nodeLimit: options.nodeLimit, threads: options.threads, incumbent: incumbent,
                                   knownLowerBound: options.measuresEachMethod ? combinatorial : bestLower,
                                   targetRatio: options.targetRatio, stopFlag: stopFlag ?? runFlag)
        request.searchStepLimit = options.searchStepLimit
        // The value search starts from the cut bounds; a `cuts` step that ran to the end already counted them.
        let cutsDone = method == .valueSearch && !options.measuresEachMethod && update { runs in
            runs[index].records.contains { $0.method == LowerBoundMethod.cuts.rawValue && $0.status == .proved }
        }
        request.boundaryCuts = options.boundaryCuts && !cutsDone
        // The value search's first probe is the same DP with the same limits (docs/partitioning.md): after
        // certify's `ideal-dp` step ran for this k, it would only spend the time left giving up again.
        let idealDPDone = method == .valueSearch && !options.measuresEachMethod && update { runs in
            runs[index].records.contains { $0.method == PartitionMethod.idealDP.rawValue }
        }
        request.usesIdealDP = !idealDPDone
        request.stageChainCuts = options.stageChainCuts
        request.pathSegmentCuts = options.pathSegmentCuts
        request.forcedProducers = options.forcedProducers
        // The stage-capacity cuts cost many minimum cuts per check and pay at medium k: certify's early `cuts`
        // step leaves them to the value search, so that the second core starts without waiting for them.
        request.stageCapacityCuts = options.stageCapacityCuts && (method != .cuts || options.measuresEachMethod)
        let started = Date()
        do {
            let result = try LowerBounds.compute(method, request)
            var record = BoundRecord(method: method.rawValue, kind: .lower, value: result.value,
                                     status: .init(result.status), seconds: result.seconds,
                                     detail: prefixed(result.detail.isEmpty ? nil : result.detail))
            if !result.value.isFinite || result.value < 0 {
                record.value = 0
                record.status = .failed
                record.detail = "the method returned \(result.value), which is not a bound"
            }
            append(record, run: index)
            if let found = result.partition {
                offer(found, method: method.rawValue, seconds: result.seconds, run: index, record: false)
            }
        } catch {
            append(BoundRecord(method: method.rawValue, kind: .lower, value: 0, status: .failed,
                               seconds: Date().timeIntervalSince(started), detail: prefixed("\(error)")), run: index)
        }
    }

    /// Checks and re-costs a partition from a method; keeps it when it beats the incumbent.
    /// `record` adds an upper-bound record (partition methods); bound methods already have one.
    private func offer(_ proposed: Partition, method: String, seconds: Double, run index: Int, record: Bool,
                       detail: String? = nil) {
        let stageCount = update { runs in runs[index].stageCount }
        var partition = proposed
        if partition.stageCount < stageCount { partition.stageCount = stageCount }
        var problems = partition.stageCount == stageCount ? [] : ["it has \(partition.stageCount) stages, more than \(stageCount)"]
        if problems.isEmpty { problems = graph.violations(of: partition).map(\.description) }
        guard problems.isEmpty else {
            if record {
                append(BoundRecord(method: method, kind: .upper, value: 0, status: .failed, seconds: seconds,
                                   detail: "returned an invalid partition: \(problems[0])"), run: index)
            }
            return
        }
        let value = graph.bottleneck(of: partition)
        update { runs in
            if record {
                runs[index].records.append(BoundRecord(method: method, kind: .upper, value: value, status: .found, seconds: seconds,
                                                       detail: detail))
            }
            if runs[index].incumbent.map({ value < $0.value }) ?? true {
                runs[index].incumbent = (partition, value, method)
            }
        }
    }

    private func append(_ record: BoundRecord, run index: Int) {
        update { runs in runs[index].records.append(record) }
    }

    private func report(run index: Int, step: String) {
        guard let progress else { return }
        let status = update { runs in
            CertifyStatus(stageCount: runs[index].stageCount, step: step,
                          elapsed: Date().timeIntervalSince(runs[index].started),
                          upper: runs[index].incumbent?.value, lower: runs[index].bestLower)
        }
        progress(status)
    }

    @discardableResult
    private func update<Result>(_ body: (inout [StageCountRun]) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&runs)
    }
}
