import MIP
import MIPSolvers
import XCTest

/// Invalid models and options come back as Swift errors naming the place, from validation,
/// both writers and both backends; nothing reaches C.
final class InvalidModelTests: XCTestCase {
    /// A small valid model: x integer in [0, 5], y continuous in [0, 10], one row.
    static func base() -> Model {
        var model = Model(name: "base")
        let x = model.addVariable(lower: 0, upper: 5, kind: .integer, name: "x")
        let y = model.addVariable(lower: 0, upper: 10, name: "y")
        model.addConstraint(x + 2 * y <= 8, name: "cap")
        model.minimize(-1 * x - y)
        return model
    }

    static let cases: [(label: String, expected: String, make: () -> (Model, [Double]?))] = [
        ("NaN coefficient", "row 1 ('bad'): coefficient of column 0 ('x') is nan", {
            var model = base(); model.addConstraint(columns: [0], coefficients: [.nan], upper: 1, name: "bad"); return (model, nil)
        }),
        ("infinite coefficient", "row 1: coefficient of column 1 ('y') is inf", {
            var model = base(); model.addConstraint(columns: [1], coefficients: [.infinity], upper: 1); return (model, nil)
        }),
        ("bad index", "row 1 ('r'): column index 7 is out of range 0..<2", {
            var model = base(); model.addConstraint(columns: [7], coefficients: [1], upper: 1, name: "r"); return (model, nil)
        }),
        ("negative index", "row 1: column index -1 is out of range 0..<2", {
            var model = base(); model.addConstraint(columns: [-1], coefficients: [1], upper: 1); return (model, nil)
        }),
        ("column lower > upper", "column 1 ('y'): lower bound 3.0 exceeds upper bound 2.0", {
            var model = base(); model.setBounds(Variable(index: 1), lower: 3, upper: 2); return (model, nil)
        }),
        ("row lower > upper", "row 1: lower bound 3.0 exceeds upper bound 2.0", {
            var model = base(); model.addConstraint(columns: [0], coefficients: [1], lower: 3, upper: 2); return (model, nil)
        }),
        ("NaN column bound", "column 0 ('x'): bound is NaN", {
            var model = base(); model.setBounds(Variable(index: 0), lower: .nan, upper: 1); return (model, nil)
        }),
        ("NaN row bound", "row 1: bound is NaN", {
            var model = base(); model.addConstraint(columns: [0], coefficients: [1], lower: .nan); return (model, nil)
        }),
        ("+inf lower bound", "column 1 ('y'): lower bound is +infinity", {
            var model = base(); model.setBounds(Variable(index: 1), lower: .infinity, upper: .infinity); return (model, nil)
        }),
        ("-inf upper row bound", "row 1: upper bound is -infinity", {
            var model = base(); model.addConstraint(columns: [0], coefficients: [1], lower: -.infinity, upper: -.infinity); return (model, nil)
        }),
        ("integer without integer value", "column 0 ('x'): integer column has no integer value in [0.2, 0.8]", {
            var model = base(); model.setBounds(Variable(index: 0), lower: 0.2, upper: 0.8); return (model, nil)
        }),
        ("NaN objective", "column 1 ('y'): objective coefficient is nan", {
            var model = base(); model.minimize(Double.nan * Variable(index: 1)); return (model, nil)
        }),
        ("duplicate names", "column 2: name 'x' is already used by column 0", {
            var model = base(); model.addVariable(name: "x"); return (model, nil)
        }),
        ("control character in name", "row 1: name contains a control character", {
            var model = base(); model.addConstraint(Variable(index: 0) <= 1, name: "a\nb"); return (model, nil)
        }),
        ("start of wrong length", "MIP start has 1 values for 2 columns", { (base(), [1]) }),
        ("NaN in start", "MIP start: value of column 1 ('y') is nan", { (base(), [1, .nan]) }),
    ]

    func testEveryProblemIsReportedByValidationWritersAndBothBackends() throws {
        let solvers = try SolverCatalog.names.map { try SolverCatalog.solver(named: $0) }
        for (label, expected, make) in Self.cases {
            let (model, start) = make()
            let options = SolveOptions(mipStart: start)
            if start == nil {
                XCTAssertThrowsError(try model.validate(), label) { XCTAssertEqual("\($0)", expected, label) }
                XCTAssertThrowsError(try LPWriter(model: model).text(), label)
                XCTAssertThrowsError(try MPSWriter(model: model).text(), label)
            } else {
                XCTAssertNoThrow(try model.validate(), label)
            }
            for solver in solvers {
                XCTAssertThrowsError(try solver.solve(model, options: options), "\(solver.name) \(label)") { error in
                    XCTAssertEqual("\(error)", expected, "\(solver.name) \(label)")
                }
            }
        }
    }

    func testValidModelsPass() throws {
        XCTAssertNoThrow(try Self.base().validate())
        var unnamed = Model()
        unnamed.addVariable()
        unnamed.addVariable()               // two empty names are fine: they are made up
        unnamed.addVariable(lower: -.infinity, upper: .infinity)
        XCTAssertNoThrow(try unnamed.validate())
    }

    func testModelsWithoutColumnsNeedNoBackend() throws {
        var model = Model()
        model.addConstraint(columns: [], coefficients: [], lower: -1, upper: 1)
        model.objectiveConstant = 4
        var infeasible = model
        infeasible.addConstraint(columns: [], coefficients: [], lower: 1, upper: 2)
        for solver in try SolverCatalog.names.map({ try SolverCatalog.solver(named: $0) }) {
            let result = try solver.solve(model, options: SolveOptions())
            XCTAssertEqual(result.status, .optimal)
            XCTAssertEqual(result.objective, 4)
            XCTAssertEqual(try solver.solve(infeasible, options: SolveOptions()).status, .infeasible)
        }
    }

    func testEmptyRowsReachBothBackendsSafely() throws {
        // An empty row once made CBC abort; one that excludes 0 makes the model infeasible.
        var model = Self.base()
        model.addConstraint(columns: [], coefficients: [], upper: 1)
        model.addConstraint(columns: [0, 0], coefficients: [1, -1], lower: -2, upper: 3)   // cancels to an empty row
        for solver in try SolverCatalog.names.map({ try SolverCatalog.solver(named: $0) }) {
            let result = try solver.solve(model, options: SolveOptions())
            XCTAssertEqual(result.status, .optimal, solver.name)
            XCTAssertEqual(result.objective ?? .nan, -6.5, accuracy: 1e-9, solver.name)
        }
        model.addConstraint(columns: [], coefficients: [], lower: 1)
        for solver in try SolverCatalog.names.map({ try SolverCatalog.solver(named: $0) }) {
            XCTAssertEqual(try solver.solve(model, options: SolveOptions()).status, .infeasible, solver.name)
        }
    }
}
