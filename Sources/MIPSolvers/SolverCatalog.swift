import MIP
import MIPCBC
import MIPGLPK

/// The MIP backends, chosen by name at run time.
public enum SolverCatalog {
    /// The names users may pass (`--solver`).
    public static let names = ["cbc", "glpk"]

    /// The backend called `name` (case-insensitive); an unknown name is an error listing the available ones.
    public static func solver(named name: String) throws -> any MIPSolver {
        switch name.lowercased() {
        case "cbc": return CBCSolver()
        case "glpk": return GLPKSolver()
        default: throw ModelError("unknown solver '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }
}
