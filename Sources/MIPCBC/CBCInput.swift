import CCBCBridge
import MIP

/// A model's arrays in the layout the CBC bridge reads (32-bit row starts, solver bounds,
/// integrality flags), kept alive for the length of a solve.
struct CBCInput {
    var rowStart: [Int32]
    var rowColumns: [Int32]
    var rowValues: [Double]
    var columnLower: [Double]
    var columnUpper: [Double]
    var objective: [Double]
    var rowLower: [Double]
    var rowUpper: [Double]
    var columnIsInteger: [UInt8]
    var maximize: Bool

    init(model: Model) {
        rowStart = model.rowStart.map { Int32($0) }
        rowColumns = model.rowColumns
        rowValues = model.rowValues
        let bounds = (0..<model.variableCount).map { model.solverBounds(ofColumn: $0) }
        columnLower = bounds.map(\.lower)
        columnUpper = bounds.map(\.upper)
        objective = model.objective
        rowLower = model.rowLower
        rowUpper = model.rowUpper
        columnIsInteger = model.columnKind.map { $0.isIntegral ? 1 : 0 }
        maximize = model.sense == .maximize
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
