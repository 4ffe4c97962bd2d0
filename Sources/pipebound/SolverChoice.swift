import ArgumentParser
import MIP
import MIPSolvers

/// `--solver NAME`: a MIP backend of ``MIPSolvers/SolverCatalog``, matched without regard to case.
struct SolverChoice: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The catalogue's name of the backend (`cbc`, `glpk`).
    let name: String

    /// The default backend.
    static let standard = SolverChoice(checkedName: "cbc")

    private init(checkedName: String) { name = checkedName }

    init?(argument: String) {
        let lowered = argument.lowercased()
        guard SolverCatalog.names.contains(lowered) else { return nil }
        name = lowered
    }

    static var allValueStrings: [String] { SolverCatalog.names }

    var description: String { name }

    var defaultValueDescription: String { name }

    /// The backend itself.
    func solver() throws -> any MIPSolver {
        do { return try SolverCatalog.solver(named: name) } catch { throw CommandFailure(message: "\(error)") }
    }
}
