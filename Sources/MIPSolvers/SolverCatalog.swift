import MIP
import MIPCBC
import MIPGLPK

/// The MIP backends, chosen by name at run time.
public enum SolverCatalog {
    /// The names users may pass (`--solver`).
    public static let names = ["cbc", "glpk"]

    /// A backend whose solves run at the same time as `solver`'s: `solver` itself when its solves run
    /// concurrently, otherwise the first other backend whose do (GLPK beside CBC, whose solves take turns).
    public static func concurrentPartner(of solver: any MIPSolver) -> (any MIPSolver)? {
        if solver.supportsConcurrentSolves { return solver }
        return names.lazy.compactMap { try? Self.solver(named: $0) }.first { $0.supportsConcurrentSolves }
    }

    /// The backend called `name` (case-insensitive); an unknown name is an error listing the available ones.
    public static func solver(named name: String) throws -> any MIPSolver {
        switch name.lowercased() {
        case "cbc": return CBCSolver()
        case "glpk": return GLPKSolver()
        default: throw ModelError("unknown solver '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }
}
