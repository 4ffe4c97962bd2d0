import CCBCBridge
import MIP

/// A model's arrays in the layout the CBC bridge reads (32-bit row starts, solver bounds,
/// integrality flags), kept alive for the length of a solve, with two exact rewrites that
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
    var rowStart: [Int32] = [0]
    var rowColumns: [Int32] = []
    var rowValues: [Double] = []
    var columnLower: [Double]
    var columnUpper: [Double]
    var objective: [Double]
    var rowLower: [Double] = []
    var rowUpper: [Double] = []
    var columnIsInteger: [UInt8]
    var maximize: Bool
    /// Whether some row without coefficients cannot hold (its bounds exclude 0).
    var emptyRowExcludesZero = false

    init(model: Model) {
        let bounds = (0..<model.variableCount).map { model.solverBounds(ofColumn: $0) }
        columnLower = bounds.map(\.lower)
        columnUpper = bounds.map(\.upper)
        objective = model.objective
        let isInteger: [UInt8] = model.columnKind.map { $0.isIntegral ? 1 : 0 }
        columnIsInteger = isInteger
        maximize = model.sense == .maximize
        rowColumns.reserveCapacity(model.nonzeroCount)
        rowValues.reserveCapacity(model.nonzeroCount)
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
                rowColumns.append(model.rowColumns[position])
                rowValues.append(model.rowValues[position] / scale)
            }
            if divisor > 0 {
                lower = (lower / scale - 1e-9).rounded(.up)
                upper = (upper / scale + 1e-9).rounded(.down)
            }
            rowLower.append(lower)
            rowUpper.append(upper)
            rowStart.append(Int32(rowColumns.count))
        }
    }

    private static func greatestCommonDivisor(_ first: Int, _ second: Int) -> Int {
        var (a, b) = (first, second)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// Calls `body` with a problem whose pointers are valid only during the call.
    func withProblem<Result>(_ body: (PBCbcProblem) -> Result) -> Result {
        rowStart.withUnsafeBufferPointer { rowStart in
        rowColumns.withUnsafeBufferPointer { rowColumns in
        rowValues.withUnsafeBufferPointer { rowValues in
        columnLower.withUnsafeBufferPointer { columnLower in
        columnUpper.withUnsafeBufferPointer { columnUpper in
        objective.withUnsafeBufferPointer { objective in
        rowLower.withUnsafeBufferPointer { rowLower in
        rowUpper.withUnsafeBufferPointer { rowUpper in
        columnIsInteger.withUnsafeBufferPointer { columnIsInteger in
            body(PBCbcProblem(
                columnCount: Int32(columnLower.count), rowCount: Int32(rowLower.count),
                rowStart: rowStart.baseAddress, rowColumns: rowColumns.baseAddress, rowValues: rowValues.baseAddress,
                columnLower: columnLower.baseAddress, columnUpper: columnUpper.baseAddress,
                objective: objective.baseAddress, rowLower: rowLower.baseAddress, rowUpper: rowUpper.baseAddress,
                columnIsInteger: columnIsInteger.baseAddress, maximize: maximize ? 1 : 0))
        }}}}}}}}}
    }
}
