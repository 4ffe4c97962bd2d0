import Foundation
import MIP
import PipeGraph
import XCTest

/// ``Model/relaxingNegligibleTerms(relativeTolerance:)`` is a relaxation: on random integer
/// models given extra terms of 1e-12 relative size, every point feasible before stays feasible
/// with an objective no worse, the brute-force optimum never gets worse, and the tiny terms are gone.
final class NegligibleTermsTests: XCTestCase {
    func testRemovingNegligibleTermsRelaxesRandomModels() throws {
        var removedSomething = 0
        for seed in UInt64(0)..<300 {
            var generator = SeededGenerator(seed: seed &+ 7_000)
            let base = RandomAgreementTests.randomModel(seed: seed)
            // The same model with a tiny term on every column of every row and of the objective.
            var tiny = Model(name: base.name)
            for column in 0..<base.variableCount {
                tiny.addVariable(lower: base.columnLower[column], upper: base.columnUpper[column],
                                 kind: base.columnKind[column], name: base.columnName[column])
            }
            func small() -> Double { (generator.nextUnit() - 0.5) * 1e-12 }
            for row in 0..<base.constraintCount {
                let (columns, coefficients) = base.row(ConstraintIndex(index: row))
                var all = Dictionary(uniqueKeysWithValues: zip(columns.map(Int.init), coefficients))
                for column in 0..<base.variableCount where all[column] == nil { all[column] = small() }
                let sorted = all.keys.sorted()
                tiny.addConstraint(columns: sorted, coefficients: sorted.map { all[$0]! },
                                   lower: base.rowLower[row], upper: base.rowUpper[row])
            }
            var objective = LinearExpression(constant: base.objectiveConstant)
            for column in 0..<base.variableCount {
                objective.add(base.objective[column] == 0 ? small() : base.objective[column], Variable(index: column))
            }
            tiny.setObjective(objective, sense: base.sense)

            let relaxed = tiny.relaxingNegligibleTerms()
            XCTAssertNoThrow(try relaxed.validate())
            if relaxed.nonzeroCount < tiny.nonzeroCount { removedSomething += 1 }
            // No row with a coefficient of 1 or more keeps a tiny one on a column that can move.
            for row in 0..<relaxed.constraintCount {
                let (columns, coefficients) = relaxed.row(ConstraintIndex(index: row))
                guard coefficients.contains(where: { Swift.abs($0) >= 1 }) else { continue }
                for (column, coefficient) in zip(columns, coefficients)
                where relaxed.columnUpper[Int(column)] > relaxed.columnLower[Int(column)] {
                    XCTAssertGreaterThan(Swift.abs(coefficient), 1e-11, "seed \(seed), row \(row)")
                }
            }

            // Every integer point feasible in `tiny` is feasible in `relaxed`, with an objective no worse.
            RandomAgreementTests.forEachIntegerPoint(of: tiny) { point in
                guard tiny.violation(of: point, tolerance: 0) == nil else { return }
                XCTAssertNil(relaxed.violation(of: point, tolerance: 1e-9), "seed \(seed): \(point)")
                let before = tiny.objectiveValue(at: point), after = relaxed.objectiveValue(at: point)
                if tiny.sense == .minimize { XCTAssertLessThanOrEqual(after, before, "seed \(seed)") }
                else { XCTAssertGreaterThanOrEqual(after, before, "seed \(seed)") }
            }
        }
        XCTAssertGreaterThan(removedSomething, 200, "the tiny terms are removed")
    }

    func testNothingNegligibleLeavesTheModelAlone() {
        let model = RandomAgreementTests.randomModel(seed: 3)
        let same = model.relaxingNegligibleTerms()
        XCTAssertEqual(same.rowValues, model.rowValues)
        XCTAssertEqual(same.rowLower, model.rowLower)
        XCTAssertEqual(same.objective, model.objective)
    }
}
