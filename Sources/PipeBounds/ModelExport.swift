import MIP
import PipeGraph

/// The MIP formulations a user can export to a file (`pipebound export-mip`).
public enum ExportedFormulation: String, CaseIterable, Sendable {
    /// L1: the windowed prefix MIP minimising T.
    case exact
    /// L2: the least f(S) over heavy convex sets.
    case singleBlock = "single-block"
    /// L3: one guess of the first heavy stage.
    case guessBlock = "guess-block"
    /// L4: one feasibility probe "bottleneck ≤ T".
    case valueProbe = "value-probe"
}

/// Builds the exact models the bound methods solve, for writing to LP or MPS files.
public enum ModelExport {
    /// The model of `formulation` for `request` (its solver is not used). `value` is the probe's T
    /// (value-probe); `block` the 1-based guessed stage (guess-block). Costs in the model are the
    /// graph's divided by the returned scale.
    public static func model(_ formulation: ExportedFormulation, request: BoundRequest, value: Double? = nil,
                             block: Int? = nil) throws -> (model: Model, scale: Double) {
        let context = try BoundContext(request)
        switch formulation {
        case .exact:
            guard let windows = context.windowCalculator.windows(bottleneck: context.upperBound) else {
                throw ModelError("no partition fits the stage windows at the upper bound \(context.upperBound)")
            }
            var prefix = PrefixFormulation(graph: context.graph, stageCount: context.stageCount, windows: windows,
                                           scale: context.scale, lowerBound: context.lowerBound, upperBound: context.upperBound)
            prefix.model.name = "exact"
            return (prefix.model, context.scale)
        case .singleBlock:
            return (SingleBlockBound.model(context: context), context.scale)
        case .guessBlock:
            guard let block, (1...context.stageCount).contains(block) else {
                throw ModelError("guess-block needs --block B with B in 1...\(context.stageCount)")
            }
            let upper = context.upperBound
            guard let windows = context.windowCalculator.windows(bottleneck: upper) else {
                throw ModelError("no partition fits the stage windows at the upper bound \(upper)")
            }
            return (GuessBlockBound.model(for: block - 1, context: context, windows: windows,
                                          lower: context.lowerBound, upper: upper), context.scale)
        case .valueProbe:
            guard let value, value > 0, value.isFinite else { throw ModelError("value-probe needs --value T with T > 0") }
            guard let windows = context.windowCalculator.windows(bottleneck: value) else {
                throw ModelError("no partition reaches bottleneck \(value): some node has an empty stage window, so the probe is infeasible without a solver")
            }
            var prefix = PrefixFormulation(graph: context.graph, stageCount: context.stageCount, windows: windows,
                                           scale: context.scale)
            prefix.boundBottleneck(lower: value, upper: value)
            prefix.model.name = "value-probe"
            return (prefix.model, context.scale)
        }
    }
}
