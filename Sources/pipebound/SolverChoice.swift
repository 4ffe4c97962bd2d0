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
        do { return try Self.solver(named: name) } catch { throw CommandFailure(message: "\(error)") }
    }

    /// The backend called `name` in any case (`--solver`, a suite's `solver`): the one place the
    /// command line turns a name into a backend; an unknown name fails naming the available ones.
    static func solver(named name: String) throws -> any MIPSolver { try SolverCatalog.solver(named: name) }
}
