import CGLPK
import CGLPKGuard
import MIP

/// Hands a validated model to GLPK through the guarded loader.
struct GLPKProblemBuilder {
    let model: Model

    /// A new GLPK problem holding the model, or nil if GLPK refused it (its environment is then gone).
    func create() -> OpaquePointer? {
        let rowStart = model.rowStart
        let bounds = (0..<model.variableCount).map { model.solverBounds(ofColumn: $0) }
        let columnLower = bounds.map(\.lower)
        let columnUpper = bounds.map(\.upper)
        let columnIsInteger: [UInt8] = model.columnKind.map { $0.isIntegral ? 1 : 0 }
        return rowStart.withUnsafeBufferPointer { rowStart in
        model.rowColumns.withUnsafeBufferPointer { rowColumns in
        model.rowValues.withUnsafeBufferPointer { rowValues in
        columnLower.withUnsafeBufferPointer { columnLower in
        columnUpper.withUnsafeBufferPointer { columnUpper in
        model.objective.withUnsafeBufferPointer { objective in
        model.rowLower.withUnsafeBufferPointer { rowLower in
        model.rowUpper.withUnsafeBufferPointer { rowUpper in
        columnIsInteger.withUnsafeBufferPointer { columnIsInteger in
            var problem = PBGLPKProblem(
                columnCount: Int32(model.variableCount), rowCount: Int32(model.constraintCount),
                rowStart: rowStart.baseAddress, rowColumns: rowColumns.baseAddress, rowValues: rowValues.baseAddress,
                columnLower: columnLower.baseAddress, columnUpper: columnUpper.baseAddress,
                objective: objective.baseAddress, rowLower: rowLower.baseAddress, rowUpper: rowUpper.baseAddress,
                columnIsInteger: columnIsInteger.baseAddress, maximize: model.sense == .maximize ? 1 : 0)
            return pb_glpk_create(&problem)
        }}}}}}}}}
    }
}
