import MIP
import PipeGraph

// What `pipebound repair` needs from the prefix model beyond the lower bounds: windows of its
// own choosing and the prefix indicators as expressions, to state objectives and budgets over
// the stage of each node (docs/repair.md).

extension StageWindows {
    /// Windows given directly: node v may sit in stages earliest[v]...latest[v] (0-based, inclusive).
    /// Members of one colocation group must get equal windows.
    public static func given(earliest: [Int], latest: [Int]) -> StageWindows {
        StageWindows(earliest: earliest, latest: latest)
    }

    /// Every node may sit in every stage 0..<stageCount.
    public static func unrestricted(nodeCount: Int, stageCount: Int) -> StageWindows {
        StageWindows.given(earliest: [Int](repeating: 0, count: nodeCount),
                     latest: [Int](repeating: stageCount - 1, count: nodeCount))
    }
}

extension PrefixFormulation {
    /// y(v, b) = [s(v) ≤ b] as an expression (a column, or a constant outside v's window).
    public func prefixIndicator(node: Int, stage: Int) -> LinearExpression {
        if stage < 0 { return LinearExpression(constant: 0) }
        switch prefix(node, stage) {
        case let .constant(value): return LinearExpression(constant: value)
        case let .column(column): return LinearExpression(column)
        }
    }

    /// x(v, b) = [s(v) = b] as an expression.
    public func stageIndicator(node: Int, stage: Int) -> LinearExpression {
        membership(node, stage)
    }
}
