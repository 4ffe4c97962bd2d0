import CGLPK
import CGLPKGuard
import MIP

/// Hands a validated model to GLPK through the guarded loader.
struct GLPKProblemBuilder {
    let model: Model

    /// A new GLPK problem holding the model, or nil if GLPK refused it (its environment is then gone).
    func create() -> OpaquePointer? {
        let arrays = ModelArrays(model: model)
        return arrays.withPointers { pointers in
            var problem = PBGLPKProblem(
                columnCount: Int32(arrays.columnCount), rowCount: Int32(arrays.rowCount),
                rowStart: pointers.rowStart, rowColumns: pointers.rowColumns, rowValues: pointers.rowValues,
                columnLower: pointers.columnLower, columnUpper: pointers.columnUpper,
                objective: pointers.objective, rowLower: pointers.rowLower, rowUpper: pointers.rowUpper,
                columnIsInteger: pointers.columnIsInteger, maximize: arrays.maximize ? 1 : 0)
            return pb_glpk_create(&problem)
        }
    }
}
