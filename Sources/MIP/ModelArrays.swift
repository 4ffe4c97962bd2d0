/// A model's columns and rows as plain arrays in compressed sparse row form, the layout both C
/// bridges read (MIPGLPK, MIPCBC): 32-bit row starts and column indices, each column's solver
/// bounds (``Model/solverBounds(ofColumn:)``) and integrality as 0/1 bytes. Exported once here so
/// that the backends share it; a backend may rewrite rows on the way in (``init(columnsOf:)``
/// then ``appendRow(lower:upper:)``).
public struct ModelArrays: Sendable {
    /// Start of each row in ``rowColumns`` / ``rowValues``; `rowStart.count == rowCount + 1`.
    public var rowStart: [Int32] = [0]
    /// Column index of each coefficient, row after row.
    public var rowColumns: [Int32] = []
    /// Each coefficient, in the order of ``rowColumns``.
    public var rowValues: [Double] = []
    /// Each row's lower bound (-infinity: none).
    public var rowLower: [Double] = []
    /// Each row's upper bound (+infinity: none).
    public var rowUpper: [Double] = []
    /// Each column's lower bound as a solver should see it.
    public var columnLower: [Double]
    /// Each column's upper bound as a solver should see it.
    public var columnUpper: [Double]
    /// The objective coefficient of each column.
    public var objective: [Double]
    /// 1 for an integer or binary column, 0 for a continuous one.
    public var columnIsInteger: [UInt8]
    /// Whether the objective is maximised.
    public var maximize: Bool

    /// The number of columns.
    public var columnCount: Int { columnLower.count }
    /// The number of rows.
    public var rowCount: Int { rowLower.count }

    /// The columns and objective of `model`, with no rows yet.
    public init(columnsOf model: Model) {
        let bounds = (0..<model.variableCount).map { model.solverBounds(ofColumn: $0) }
        columnLower = bounds.map(\.lower)
        columnUpper = bounds.map(\.upper)
        objective = model.objective
        columnIsInteger = model.columnKind.map { $0.isIntegral ? 1 : 0 }
        maximize = model.sense == .maximize
    }

    /// Every column and row of `model`, as they are.
    public init(model: Model) {
        self.init(columnsOf: model)
        rowStart = model.rowStart.map { Int32(truncatingIfNeeded: $0) }
        rowColumns = model.rowColumns
        rowValues = model.rowValues
        rowLower = model.rowLower
        rowUpper = model.rowUpper
    }

    /// Closes a row whose coefficients were appended to ``rowColumns`` / ``rowValues`` since the
    /// previous row ended, with bounds `lower` and `upper`.
    public mutating func appendRow(lower: Double, upper: Double) {
        rowLower.append(lower)
        rowUpper.append(upper)
        rowStart.append(Int32(truncatingIfNeeded: rowColumns.count))
    }

    /// Base addresses of every array, valid only inside ``withPointers(_:)``.
    public struct Pointers {
        public var rowStart: UnsafePointer<Int32>?
        public var rowColumns: UnsafePointer<Int32>?
        public var rowValues: UnsafePointer<Double>?
        public var columnLower: UnsafePointer<Double>?
        public var columnUpper: UnsafePointer<Double>?
        public var objective: UnsafePointer<Double>?
        public var rowLower: UnsafePointer<Double>?
        public var rowUpper: UnsafePointer<Double>?
        public var columnIsInteger: UnsafePointer<UInt8>?
    }

    /// Calls `body` with pointers to the arrays, valid only during the call (for a C bridge's problem struct).
    public func withPointers<Result>(_ body: (Pointers) throws -> Result) rethrows -> Result {
        try rowStart.withUnsafeBufferPointer { rowStart in
        try rowColumns.withUnsafeBufferPointer { rowColumns in
        try rowValues.withUnsafeBufferPointer { rowValues in
        try columnLower.withUnsafeBufferPointer { columnLower in
        try columnUpper.withUnsafeBufferPointer { columnUpper in
        try objective.withUnsafeBufferPointer { objective in
        try rowLower.withUnsafeBufferPointer { rowLower in
        try rowUpper.withUnsafeBufferPointer { rowUpper in
        try columnIsInteger.withUnsafeBufferPointer { columnIsInteger in
            try body(Pointers(rowStart: rowStart.baseAddress, rowColumns: rowColumns.baseAddress, rowValues: rowValues.baseAddress,
                              columnLower: columnLower.baseAddress, columnUpper: columnUpper.baseAddress,
                              objective: objective.baseAddress, rowLower: rowLower.baseAddress, rowUpper: rowUpper.baseAddress,
                              columnIsInteger: columnIsInteger.baseAddress))
        }}}}}}}}}
    }
}
