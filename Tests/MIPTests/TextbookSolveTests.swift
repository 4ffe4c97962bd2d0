import MIP
import MIPSolvers
import XCTest

/// Both backends solve the textbook models to the known answers.
final class TextbookSolveTests: XCTestCase {
    let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }

    func testCatalogKnowsBothBackendsAndRejectsOthers() throws {
        XCTAssertEqual(solvers.map(\.name), ["cbc", "glpk"])
        XCTAssertEqual(try SolverCatalog.solver(named: "GLPK").name, "glpk")
        XCTAssertThrowsError(try SolverCatalog.solver(named: "gurobi")) { error in
            XCTAssertEqual("\(error)", "unknown solver 'gurobi'; available: cbc, glpk")
        }
    }

    func testKnownOptima() throws {
        let cases = [TextbookModels.knapsack(), TextbookModels.assignment(), TextbookModels.setCover(), TextbookModels.linearProgram()]
        for solver in solvers {
            for (model, optimum) in cases {
                let result = try solver.solve(model, options: SolveOptions())
                XCTAssertEqual(result.status, .optimal, "\(solver.name) \(model.name)")
                XCTAssertEqual(result.objective ?? .nan, optimum, accuracy: 1e-6, "\(solver.name) \(model.name)")
                XCTAssertEqual(result.bestBound, optimum, accuracy: 1e-6 * (1 + Swift.abs(optimum)), "\(solver.name) \(model.name)")
                XCTAssertNil(model.violation(of: result.values), "\(solver.name) \(model.name)")
                XCTAssertEqual(model.objectiveValue(at: result.values), optimum, accuracy: 1e-6)
            }
        }
    }

    func testInfeasibleAndUnbounded() throws {
        for solver in solvers {
            let infeasible = try solver.solve(TextbookModels.infeasible(), options: SolveOptions())
            XCTAssertEqual(infeasible.status, .infeasible, solver.name)
            XCTAssertEqual(infeasible.bestBound, .infinity, solver.name)
            XCTAssertNil(infeasible.objective)
            let unbounded = try solver.solve(TextbookModels.unbounded(), options: SolveOptions())
            XCTAssertEqual(unbounded.status, .unbounded, solver.name)
            XCTAssertEqual(unbounded.bestBound, -.infinity, solver.name)
        }
    }

    func testObjectiveConstantIsIncluded() throws {
        var (model, optimum) = TextbookModels.assignment()
        var objective = LinearExpression(constant: 5)
        for column in 0..<model.variableCount { objective.add(model.objective[column], Variable(index: column)) }
        model.minimize(objective)
        for solver in solvers {
            let result = try solver.solve(model, options: SolveOptions())
            XCTAssertEqual(result.objective ?? .nan, optimum + 5, accuracy: 1e-6, solver.name)
            XCTAssertEqual(result.bestBound, optimum + 5, accuracy: 1e-6 * (1 + Swift.abs(optimum + 5)), solver.name)
        }
    }
}
