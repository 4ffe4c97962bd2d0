import XCTest
@testable import MIP

final class ModelBuildingTests: XCTestCase {
    func testNaturalSyntaxMergesRepeatedVariablesAndMovesConstants() {
        var model = Model(name: "syntax")
        let x = model.addVariable(lower: 0, upper: 10, kind: .integer, name: "x")
        let y = model.addBinary(name: "y")
        let row = model.addConstraint(x + 2 * y + x + 1 <= 3, name: "r")
        let (columns, coefficients) = model.row(row)
        XCTAssertEqual(Array(columns), [Int32(x.index), Int32(y.index)])
        XCTAssertEqual(Array(coefficients), [2, 2])
        XCTAssertEqual(model.rowUpper[row.index], 2)
        XCTAssertEqual(model.rowLower[row.index], -.infinity)
        let cancelled = model.addConstraint(x - x + y >= 0)
        XCTAssertEqual(Array(model.row(cancelled).columns), [Int32(y.index)])
        model.minimize(3 * x - y)
        XCTAssertEqual(model.objective, [3, -1])
    }
}
