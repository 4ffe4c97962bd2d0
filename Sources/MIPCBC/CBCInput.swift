import CCBCBridge
import MIP

/// A model's arrays (``MIP/ModelArrays``, the export both backends share) as the CBC bridge
/// reads them, kept alive for the length of a solve, with two exact rewrites that
/// keep CBC 2.10.8 away from its bugs (both found by the random agreement test, and both
/// reproduced with the `cbc` program):
/// - rows without coefficients, and free rows, are left out (an empty row makes
///   OsiClpSolverInterface::crunch fail an assertion, which aborts the process); an empty
///   row whose bounds exclude 0 makes the model infeasible, recorded in ``emptyRowExcludesZero``;
/// - a row whose activity is a multiple of an integer g (integer columns, integer
///   coefficients with greatest common divisor g) is divided by g and its bounds rounded
///   inward (CBC's preprocessing, which we also switch off, returned wrong optima on rows
///   like `7 ≤ 5 z0 − 4 z1 − b2 ≤ 9.5`; the rounding costs nothing and tightens the LP).
struct CBCInput {
    /// The model's columns as they are and its rows after the rewrites (``ModelArrays``).
    var arrays: ModelArrays
    /// Whether some row without coefficients cannot hold (its bounds exclude 0).
    var emptyRowExcludesZero = false

    init(model: Model) {
        arrays = ModelArrays(columnsOf: model)
        let isInteger = arrays.columnIsInteger
        arrays.rowColumns.reserveCapacity(model.nonzeroCount)
        arrays.rowValues.reserveCapacity(model.nonzeroCount)
        for row in 0..<model.constraintCount {
            var lower = model.rowLower[row], upper = model.rowUpper[row]
            let range = model.rowStart[row]..<model.rowStart[row + 1]
            if range.isEmpty {
                if lower > 0 || upper < 0 { emptyRowExcludesZero = true }
                continue
            }
            if lower == -.infinity, upper == .infinity { continue }
            var divisor = 0
            for position in range {
                let value = model.rowValues[position]
                guard isInteger[Int(model.rowColumns[position])] == 1, value == value.rounded(), Swift.abs(value) < 1e9 else {
                    divisor = 0
                    break
                }
                divisor = Self.greatestCommonDivisor(divisor, Int(Swift.abs(value)))
            }
            let scale = Double(Swift.max(divisor, 1))
            for position in range {
                arrays.rowColumns.append(model.rowColumns[position])
                arrays.rowValues.append(model.rowValues[position] / scale)
            }
            if divisor > 0 {
                lower = (lower / scale - 1e-9).rounded(.up)
                upper = (upper / scale + 1e-9).rounded(.down)
            }
            arrays.appendRow(lower: lower, upper: upper)
        }
    }

    private static func greatestCommonDivisor(_ first: Int, _ second: Int) -> Int {
        var (a, b) = (first, second)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// Calls `body` with a problem whose pointers are valid only during the call.
    func withProblem<Result>(_ body: (PBCbcProblem) -> Result) -> Result {
        arrays.withPointers { pointers in
            body(PBCbcProblem(
                columnCount: Int32(arrays.columnCount), rowCount: Int32(arrays.rowCount),
                rowStart: pointers.rowStart, rowColumns: pointers.rowColumns, rowValues: pointers.rowValues,
                columnLower: pointers.columnLower, columnUpper: pointers.columnUpper,
                objective: pointers.objective, rowLower: pointers.rowLower, rowUpper: pointers.rowUpper,
                columnIsInteger: pointers.columnIsInteger, maximize: arrays.maximize ? 1 : 0))
        }
    }
}
