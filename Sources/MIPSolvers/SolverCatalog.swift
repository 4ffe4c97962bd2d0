import MIP

/// The MIP backends, chosen by name at run time.
public enum SolverCatalog {
    /// The names users may pass (`--solver`).
    public static let names = ["cbc", "glpk"]

    /// The backend called `name`; an unknown name is an error listing the available ones.
    public static func solver(named name: String) throws -> any MIPSolver {
        throw ModelError("unknown solver '\(name)'; available: \(names.joined(separator: ", "))")
    }
}
