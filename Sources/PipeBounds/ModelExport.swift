import Foundation
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
    /// L4: one feasibility probe "bottleneck ≤ T" of the value search (named like `bound --method value-search`).
    case valueProbe = "value-search"
}

/// Builds the exact models the bound methods solve, for writing to LP or MPS files.
public enum ModelExport {
    /// The model of `formulation` for `problem` (no solver is involved). `value` is the probe's T
    /// (value-search); `block` the guessed stage, numbered from 0 like every stage (guess-block).
    /// With `scaled`, costs in the model are the graph's divided by the returned scale, as the
    /// bound methods solve it; without, the scale is 1 and the model is in the graph's own units,
    /// so that an external solver's objective is the bound itself (docs/mip.md).
    public static func model(_ formulation: ExportedFormulation, problem: BoundProblem, value: Double? = nil,
                             block: Int? = nil, scaled: Bool = true) throws -> (model: Model, scale: Double) {
        var context = try BoundSetup(problem)
        if !scaled { context.scale = 1 }
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
            guard let block, (0..<context.stageCount).contains(block) else {
                throw ModelError("guess-block needs --block B with B in 0...\(context.stageCount - 1) (stages are numbered from 0)")
            }
            let upper = context.upperBound
            guard let windows = context.windowCalculator.windows(bottleneck: upper) else {
                throw ModelError("no partition fits the stage windows at the upper bound \(upper)")
            }
            return (GuessBlockBound.model(for: block, context: context, windows: windows,
                                          lower: context.lowerBound, upper: upper), context.scale)
        case .valueProbe:
            guard let value, value > 0, value.isFinite else { throw ModelError("value-search needs --value T with T > 0") }
            guard let windows = context.windowCalculator.windows(bottleneck: value) else {
                throw ModelError("no partition reaches bottleneck \(value): some node has an empty stage window, so the probe is infeasible without a solver")
            }
            var prefix = PrefixFormulation(graph: context.graph, stageCount: context.stageCount, windows: windows,
                                           scale: context.scale)
            prefix.boundBottleneck(lower: value, upper: value)
            prefix.model.name = "value-search-probe"
            return (prefix.model, context.scale)
        }
    }

    /// Renames the columns and rows the formulations number by node and stage index after the
    /// nodes and stages (`y_12_3` → `y_conv1_3`, `cost_3` → `stage_3_cost`), for people reading
    /// an exported file. The LP and MPS writers make the names safe and unique.
    public static func nameAfterNodes(_ model: inout Model, graph: ComputationGraph) {
        func node(_ text: Substring) -> String? {
            guard let index = Int(text), graph.nodes.indices.contains(index) else { return nil }
            // Long names would exceed the formats' name length once prefixed.
            return String(graph.nodes[index].name.prefix(maximumNodeNameLength))
        }
        for column in 0..<model.variableCount {
            let parts = model.columnName[column].split(separator: "_", omittingEmptySubsequences: false)
            let renamed: String?
            switch parts.count {
            case 3 where nodeStageColumns.contains(String(parts[0])) && Int(parts[2]) != nil:
                renamed = node(parts[1]).map { "\(parts[0])_\($0)_\(parts[2])" }
            case 2 where nodeColumns.contains(String(parts[0])):
                renamed = node(parts[1]).map { "\(parts[0])_\($0)" }
            default:
                renamed = nil
            }
            if let renamed { model.setName(Variable(index: column), renamed) }
        }
        for row in 0..<model.constraintCount {
            let parts = model.rowName[row].split(separator: "_", omittingEmptySubsequences: false)
            guard parts.count == 2, stageRows.contains(String(parts[0])), let stage = Int(parts[1]) else { continue }
            model.setName(ConstraintIndex(index: row), "stage_\(stage)_\(parts[0])")
        }
    }

    /// Characters of a node name kept in a column name.
    static let maximumNodeNameLength = 100
    /// Columns named `<prefix>_<node>_<stage>` (prefix MIP: assignment, comm in, comm out).
    static let nodeStageColumns: Set<String> = ["y", "in", "out"]
    /// Columns named `<prefix>_<node>` (block MIPs: the set's membership and its comm terms).
    static let nodeColumns: Set<String> = ["p", "q", "inB", "outB", "outP", "inQ"]
    /// Rows named `<kind>_<stage>`.
    static let stageRows: Set<String> = ["cost", "memory"]
}
