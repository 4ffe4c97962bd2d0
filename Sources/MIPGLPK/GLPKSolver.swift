import CGLPK
import CGLPKGuard
import MIP

/// The GLPK backend (GLPK 5.0: primal simplex for the root relaxation, then glp_intopt's
/// branch-and-cut with GLPK's cut families switched on and presolve off, so that the
/// callback sees the original columns).
///
/// The MIP start is checked against the model and, when feasible, handed to GLPK as an
/// incumbent at the first heuristic call (glp_ios_heur_sol; GLPK itself checks only
/// integrality). The best bound is the root relaxation's value, raised to the best bound of
/// the active nodes each time the callback runs: every value it takes is proven, so it stays
/// valid whatever limit ends the search. The node limit, the absolute gap and the stop flag
/// are enforced in the callback. GLPK's environment is thread-local, so solves on different
/// threads run concurrently.
public struct GLPKSolver: MIPSolver {
    public let name = "glpk"

    /// Relative gap used when ``SolveOptions/relativeGap`` is nil.
    public static let defaultRelativeGap = 1e-9

    public init() {}

    public func solve(_ model: Model, options: SolveOptions) throws -> SolveResult {
        if let settled = try model.checkedBeforeSolving(options: options) { return settled }
        let run = GLPKRun(model: model, options: options)
        return run.solve()
    }
}
