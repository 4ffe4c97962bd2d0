import Foundation
import MIP
import PipeGraph

/// L3: guess the index b of the first stage whose work reaches W/k.
///
/// Take an optimal partition and let b be the first stage with w(S_b) ≥ W/k (one exists: the k
/// works sum to W). With P = stages before b, B = S_b, Q = stages after b: P is an ideal, Q a
/// filter, and by subadditivity f(P) ≤ b·OPT, f(B) ≤ OPT, f(Q) ≤ (k−1−b)·OPT; also w(P) < b·W/k,
/// every node lies in its stage window at UB, and the memory cap holds stage by stage. So the MIP
/// "minimise T subject to these" for the right b has optimum ≤ OPT, and the minimum over all b
/// of the proven dual bounds is a lower bound. Stages are 0-based here.
enum GuessBlockBound {
    static func compute(_ context: inout BoundContext) throws -> LowerBoundResult {
        let lower = context.lowerBound
        let upper = context.upperBound
        let windows: StageWindows
        switch context.windowsAtUpperBound(for: .guessBlock) {
        case let .success(found): windows = found
        case let .failure(settled): return settled.result
        }
        let stageCount = context.stageCount
        let frozen = context
        let parallelism = MIPConcurrency.parallelism(for: context.request.solver, threads: context.request.threads)
        let solver = context.request.solver
        let budget = context.remainingTime
        let baseOptions = context.options()
        let outcomes = ResultSlots<Result<(SolveResult, margin: Double), Error>>(count: stageCount)
        let rounds = (stageCount + parallelism - 1) / parallelism
        DispatchQueue.concurrentPerform(iterations: parallelism) { lane in
            var guess = lane
            var round = 0
            while guess < stageCount {
                // A guess not solved counts as the entry bound, so stopping here stays sound; building
                // and solving k models past the budget is what made `--time-limit` overrun.
                if frozen.shouldStop { break }
                // Built on demand: k models of a large graph would not all fit in memory at once.
                let model = model(for: guess, context: frozen.setup, windows: windows, lower: lower, upper: upper)
                var options = baseOptions
                if let budget {
                    // An equal share of what is left once the model is built, per round; later rounds
                    // inherit unspent time. Never more than is left: a floor per guess times 64 guesses
                    // overran the budget.
                    let spent = Date().timeIntervalSince(context.started)
                    let left = Swift.max(0, (context.request.timeLimit ?? budget) - spent)
                    if left <= 0 { break }
                    options.timeLimit = Swift.min(left, Swift.max(0.2, left / Double(rounds - round)))
                }
                outcomes[guess] = Result { try SolverBound.solve(model, with: solver, options: options) }
                guess += parallelism
                round += 1
            }
        }
        var minimum = Double.infinity
        var finished = 0
        var failures: [String] = []
        for guess in 0..<stageCount {
            guard let outcome = outcomes[guess] else { minimum = Swift.min(minimum, lower); continue }
            switch outcome {
            case let .failure(error):
                failures.append("guess \(guess): \(error)")
                minimum = Swift.min(minimum, lower)
            case let .success((result, margin)):
                if SolverBound.finished(result) { finished += 1 }
                if let proven = SolverBound.provenBound(result, margin: margin, scale: context.scale) {
                    minimum = Swift.min(minimum, proven)
                } else {
                    minimum = Swift.min(minimum, lower)
                    if result.status.isError { failures.append("guess \(guess): \(describe(result.status))") }
                }
            }
        }
        // Every guess infeasible would contradict the incumbent; keep only the entry bound then.
        let value = minimum.isFinite ? Swift.max(lower, minimum) : lower
        var detail = "\(stageCount) guesses, \(finished) solved to the end, \(parallelism) at a time"
        if !failures.isEmpty { detail += "; " + failures.joined(separator: "; ") }
        let status: BoundStatus = failures.count == stageCount ? .failed : (finished == stageCount ? .proved : .limit)
        return context.result(method: .guessBlock, value: value, status: status, detail: detail)
    }

    /// The MIP for guess `guess`.
    static func model(for guess: Int, context: BoundSetup, windows: StageWindows, lower: Double, upper: Double) -> Model {
        let graph = context.graph
        let stageCount = context.stageCount
        let scale = context.scale
        var formulation = BlockFormulation(graph: graph, scale: scale, name: "guess-block-\(guess)")
        for node in 0..<graph.nodeCount {
            if guess == 0 || windows.earliest[node] >= guess { formulation.model.fix(formulation.before[node], to: 0) }
            else if windows.latest[node] < guess { formulation.model.fix(formulation.before[node], to: 1) }
            if guess == stageCount - 1 || windows.latest[node] <= guess { formulation.model.fix(formulation.upTo[node], to: 1) }
            else if windows.earliest[node] > guess { formulation.model.fix(formulation.upTo[node], to: 0) }
        }
        let bottleneck = formulation.model.addVariable(lower: lower / scale, upper: upper / scale, name: "T", objective: 1)
        let blockCost = formulation.blockCost()
        formulation.model.addConstraint(blockCost - bottleneck <= 0, name: "block")
        if guess > 0 {
            let beforeCost = formulation.beforeCost()
            formulation.model.addConstraint(beforeCost - Double(guess) * bottleneck <= 0, name: "before")
        }
        if guess < stageCount - 1 {
            let afterCost = formulation.afterCost()
            formulation.model.addConstraint(afterCost - Double(stageCount - 1 - guess) * bottleneck <= 0, name: "after")
        }
        let average = graph.totalWork / Double(stageCount) / scale
        formulation.model.addConstraint(
            formulation.blockSum(\.work, factor: 1 / scale) >= SafeRounding.roundDown(average, relative: SafeRounding.arithmeticMargin),
            name: "heavy")
        if guess > 0 {
            // The stages before the first heavy one are each lighter than W/k.
            let light = Double(guess) * average * (1 + SafeRounding.arithmeticMargin)
            formulation.model.addConstraint(formulation.beforeSum(\.work, factor: 1 / scale) <= light, name: "light")
        }
        formulation.addMemoryRows(beforeStages: guess > 0 ? guess : nil,
                                  afterStages: guess < stageCount - 1 ? stageCount - 1 - guess : nil)
        formulation.model.minimize(LinearExpression(bottleneck))
        return formulation.model
    }
}

/// Slots written by concurrent workers, one per index.
final class ResultSlots<Value>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) { values = [Value?](repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.lock(); defer { lock.unlock() }; return values[index] }
        set { lock.lock(); values[index] = newValue; lock.unlock() }
    }
}

/// How many MIPs to run at once with a backend.
enum MIPConcurrency {
    /// Up to the core count, only for backends that allow concurrent solves.
    static func parallelism(for solver: any MIPSolver, threads: Int) -> Int {
        guard solver.supportsConcurrentSolves else { return 1 }
        return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / Swift.max(1, threads))
    }
}
