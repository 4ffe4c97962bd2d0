/// A MIP backend: one small adapter over a C library.
///
/// Implementations must validate the model before calling C (``Model/validate()``), must
/// never let the library end the process, and must free every C object they create.
/// A solver value may be used from several threads at once; each ``solve(_:options:)``
/// call owns its C objects.
public protocol MIPSolver: Sendable {
    /// The name users pass to choose this backend (`glpk`, `cbc`).
    var name: String { get }

    /// Solves `model`, honouring `options`. Throws ``ModelError`` for an invalid model;
    /// solver failures come back as ``SolveStatus/error(_:)``.
    func solve(_ model: Model, options: SolveOptions) throws -> SolveResult
}
