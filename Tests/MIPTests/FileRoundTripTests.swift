import Foundation
import MIP
import MIPSolvers
import XCTest

/// LP and MPS files written by us are read back by the `cbc` and `glpsol` programs, which
/// reach the optimum our backends reach.
final class FileRoundTripTests: XCTestCase {
    /// Models that exercise every writer path: both senses, ranged, equality and free rows,
    /// negative, free and fixed bounds, general integers, an objective constant, awkward names.
    static func models() -> [Model] {
        var awkward = Model(name: "awkward names")
        let x = awkward.addVariable(lower: -3, upper: 4, kind: .integer, name: "1st column")
        let y = awkward.addVariable(lower: -.infinity, upper: .infinity, name: "e2")
        let z = awkward.addVariable(lower: 2, upper: 2, name: "st")
        let w = awkward.addVariable(lower: -.infinity, upper: 5, kind: .integer, name: "")
        let v = awkward.addBinary(name: "x0")
        awkward.addConstraint(x + y + w >= -7.5, name: "row with spaces")
        awkward.addConstraint(2 * x - y + z <= 6.25, name: "row with spaces!")
        awkward.addConstraint(-5 <= x + 2 * w + v, name: "obj")
        awkward.addConstraint(LinearConstraint(y - 3 * v, lower: -2, upper: 3.5), name: "ranged")
        awkward.addConstraint(LinearConstraint(x + y, lower: -.infinity, upper: .infinity), name: "free")
        awkward.addConstraint(x + v == 1, name: "")
        var objective = x + 0.5 * y - z - w + 3 * v
        objective += 4.25
        awkward.minimize(objective)
        var maximized = awkward
        maximized.maximize(-1 * objective)
        var knapsackWithConstant = TextbookModels.knapsack().model
        var knapsackObjective = LinearExpression(constant: -2)
        for column in 0..<knapsackWithConstant.variableCount {
            knapsackObjective.add(knapsackWithConstant.objective[column], Variable(index: column))
        }
        knapsackWithConstant.maximize(knapsackObjective)
        return [awkward, maximized, knapsackWithConstant, TextbookModels.assignment().model, TextbookModels.setCover().model,
                TextbookModels.linearProgram().model, HardModels.setCover(elements: 40, sets: 60, seed: 9)]
    }

    func testProgramsReadOurFilesAndAgree() throws {
        let programs = ExternalSolverProgram.allCases.filter { $0.path != nil }
        if programs.isEmpty { throw XCTSkip("neither cbc nor glpsol is installed") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipebound-mip-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, model) in Self.models().enumerated() {
            var optima: [Double] = []
            for name in SolverCatalog.names {
                let result = try SolverCatalog.solver(named: name).solve(model, options: SolveOptions())
                XCTAssertEqual(result.status, .optimal, "\(name) \(model.name)")
                optima.append(result.objective ?? .nan)
            }
            XCTAssertEqual(optima[0], optima[1], accuracy: 1e-6, model.name)
            let lpFile = directory.appendingPathComponent("model\(index).lp")
            let mpsFile = directory.appendingPathComponent("model\(index).mps")
            try LPWriter(model: model).text().write(to: lpFile, atomically: true, encoding: .utf8)
            try MPSWriter(model: model).text().write(to: mpsFile, atomically: true, encoding: .utf8)
            for program in programs {
                let fromLP = try program.optimum(of: lpFile)
                XCTAssertEqual(fromLP, optima[0], accuracy: 1e-6 * max(1, abs(optima[0])), "\(program) LP \(model.name)")
                // The MPS file of a maximisation minimises the negated objective.
                let fromMPS = try program.optimum(of: mpsFile) * (model.sense == .maximize ? -1 : 1)
                XCTAssertEqual(fromMPS, optima[0], accuracy: 1e-6 * max(1, abs(optima[0])), "\(program) MPS \(model.name)")
            }
        }
    }

    func testNamesAreSanitisedUniqueAndNonEmpty() throws {
        let text = try LPWriter(model: Self.models()[0]).text()
        XCTAssertTrue(text.contains(" _1st_column "), text)
        XCTAssertTrue(text.contains(" _e2 "), text)
        XCTAssertTrue(text.contains(" _st = 2"), text)
        XCTAssertTrue(text.contains(" - 1 x3 + 3 x0 "), text)  // unnamed column 3, and column 4 named "x0"
        XCTAssertTrue(text.contains(" row_with_spaces:"), text)
        XCTAssertTrue(text.contains(" row_with_spaces_:"), text)
        XCTAssertTrue(text.contains(" _obj:"), text)       // "obj" names the objective
        XCTAssertTrue(text.contains(" r5:"), text)         // the unnamed row
        XCTAssertTrue(text.contains(" ranged_lo:") && text.contains(" ranged_hi:"), text)
        XCTAssertFalse(text.contains("free:"), text)
    }

    func testWritersRejectInvalidModels() {
        var model = Model()
        let x = model.addVariable()
        model.addConstraint(Double.nan * x <= 1)
        XCTAssertThrowsError(try LPWriter(model: model).text())
        XCTAssertThrowsError(try MPSWriter(model: model).text())
    }
}

extension FileRoundTripTests {
    func testCollidingNamesGetSuffixes() throws {
        var model = Model(name: "collisions")
        model.addVariable(name: "a b")
        model.addVariable(name: "a_b")
        model.addVariable(name: "")
        model.addVariable(name: "x2")
        let text = try MPSWriter(model: model).text()
        for name in ["a_b", "a_b_2", "x2", "x2_2"] { XCTAssertTrue(text.contains("    \(name) obj 0\n"), text) }
    }
}
