/// A MIP backend: one small adapter over a C library.
///
/// Implementations must validate the model before calling C (``Model/validateForSolvers()``), must
/// never let the library end the process, and must free every C object they create.
/// A solver value may be used from several threads at once; each ``solve(_:options:)``
/// call owns its C objects.
public protocol MIPSolver: Sendable {
    /// The name users pass to choose this backend (`glpk`, `cbc`).
    var name: String { get }

    /// Whether solves on several threads really run at the same time. A backend whose library
    /// is not thread-safe serialises its solves with a lock and says `false`, so callers know
    /// that running MIPs in parallel buys nothing.
    var supportsConcurrentSolves: Bool { get }

    /// Solves `model`, honouring `options`. Throws ``ModelError`` for an invalid model;
    /// solver failures come back as ``SolveStatus/error(_:)``.
    func solve(_ model: Model, options: SolveOptions) throws -> SolveResult
}

extension MIPSolver {
    /// Backends are assumed thread-safe unless they say otherwise.
    public var supportsConcurrentSolves: Bool { true }
}
