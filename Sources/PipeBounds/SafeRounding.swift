/// The margins by which reported numbers are rounded down so that floating-point and solver
/// tolerances can never push a lower bound above the optimum (docs/formulations.md, "Tolerances").
public enum SafeRounding {
    /// Relative margin for bounds computed by plain floating-point sums (combinatorial bounds).
    public static let arithmeticMargin = 1e-9
    /// Relative margin for bounds that come out of a MIP solver (dual bounds, infeasible probes);
    /// ten times the primal and dual feasibility tolerances both backends are run with, on models
    /// scaled so that bottleneck values are near 1.
    public static let solverMargin = 1e-6
    /// The primal and dual feasibility tolerance both backends run their LPs with: the unit of the
    /// model-derived margin of solver dual bounds (docs/formulations.md, "Tolerances").
    public static let solverTolerance = 1e-7

    /// `value` lowered by `max(absolute, relative · |value|)`, and never below zero.
    public static func roundDown(_ value: Double, relative: Double, absolute: Double = 0) -> Double {
        guard value.isFinite else { return value }
        return Swift.max(0, value - Swift.max(absolute, relative * Swift.abs(value)))
    }

    /// ⌈total / unit⌉ computed so that rounding noise in the sums can only make it smaller:
    /// a ratio within a relative 1e-9 above an integer counts as that integer. Capped at `cap`.
    public static func stageCount(total: Double, unit: Double, cap: Int) -> Int {
        guard total > 0 else { return 0 }
        guard unit > 0 else { return cap }
        let ratio = total / unit
        let lowered = ratio - arithmeticMargin * Swift.max(1, ratio)
        guard lowered < Double(cap) else { return cap }
        return Swift.max(0, Int(lowered.rounded(.up)))
    }
}
