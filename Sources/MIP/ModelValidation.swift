/// Validation: everything a backend or a file writer relies on, checked once before any C call.
///
/// Names are optional: `""` means "make one up" (the writers and backends use `x<index>` and
/// `r<index>`). Given names must be unique among columns and among rows, at most 255
/// characters long, and free of control characters; other characters are allowed here and
/// replaced by the LP and MPS writers where those formats forbid them.
extension Model {
    /// The longest name a column or a row may carry.
    public static let maximumNameLength = 255

    /// Throws the first problem found, naming the row or column: non-finite coefficients,
    /// NaN or empty bounds, bad column indices, integer columns without an integer value,
    /// duplicate or malformed names.
    public func validate() throws(ModelError) {
        guard objectiveConstant.isFinite else { throw ModelError("objective constant is \(objectiveConstant)") }
        guard objective.count == variableCount, columnLower.count == variableCount, columnUpper.count == variableCount,
              columnName.count == variableCount else {
            throw ModelError("model '\(name)': column arrays differ in length")
        }
        for column in 0..<variableCount {
            guard objective[column].isFinite else {
                throw ModelError("\(columnLabel(column)): objective coefficient is \(objective[column])")
            }
            let lower = columnLower[column], upper = columnUpper[column]
            guard !lower.isNaN, !upper.isNaN else { throw ModelError("\(columnLabel(column)): bound is NaN") }
            guard lower != .infinity else { throw ModelError("\(columnLabel(column)): lower bound is +infinity") }
            guard upper != -.infinity else { throw ModelError("\(columnLabel(column)): upper bound is -infinity") }
            guard lower <= upper else {
                throw ModelError("\(columnLabel(column)): lower bound \(lower) exceeds upper bound \(upper)")
            }
            if columnKind[column].isIntegral {
                let bounds = solverBounds(ofColumn: column)
                guard bounds.lower <= bounds.upper else {
                    throw ModelError("\(columnLabel(column)): \(columnKind[column].rawValue) column has no integer value in [\(lower), \(upper)]")
                }
            }
        }
        guard rowStart.count == constraintCount + 1, rowUpper.count == constraintCount, rowName.count == constraintCount,
              rowColumns.count == rowValues.count, rowStart.last == rowColumns.count else {
            throw ModelError("model '\(name)': row arrays differ in length")
        }
        for row in 0..<constraintCount {
            let lower = rowLower[row], upper = rowUpper[row]
            guard !lower.isNaN, !upper.isNaN else { throw ModelError("\(rowLabel(row)): bound is NaN") }
            guard lower != .infinity else { throw ModelError("\(rowLabel(row)): lower bound is +infinity") }
            guard upper != -.infinity else { throw ModelError("\(rowLabel(row)): upper bound is -infinity") }
            guard lower <= upper else {
                throw ModelError("\(rowLabel(row)): lower bound \(lower) exceeds upper bound \(upper)")
            }
            for position in rowStart[row]..<rowStart[row + 1] {
                let column = Int(rowColumns[position])
                guard column >= 0, column < variableCount else {
                    throw ModelError("\(rowLabel(row)): column index \(column) is out of range 0..<\(variableCount)")
                }
                guard rowValues[position].isFinite else {
                    throw ModelError("\(rowLabel(row)): coefficient of \(columnLabel(column)) is \(rowValues[position])")
                }
            }
        }
        try Self.validateNames(columnName, kind: "column")
        try Self.validateNames(rowName, kind: "row")
    }

    /// The largest magnitude of a coefficient or a finite bound that a backend is handed.
    ///
    /// Clp asserts that scaled objective coefficients stay below 1e25 (an abort, not an error)
    /// and CBC reads bounds from 1e30 up as infinite; with tolerances near 1e-7 and 1e-9, larger
    /// numbers would be meaningless anyway. Callers scale their models (docs/mip.md).
    public static let largestSolverMagnitude = 1e15 // (written out in the messages below)

    /// The smallest magnitude of a nonzero coefficient that a backend is handed: below it, Clp's
    /// scaling multiplies and divides by numbers that leave the range of a double.
    public static let smallestSolverMagnitude = 1e-30

    /// Throws unless the model also suits the solver backends: ``validate()``, and every
    /// nonzero objective and row coefficient and every finite bound within
    /// [``smallestSolverMagnitude``, ``largestSolverMagnitude``] in magnitude (finite bounds
    /// only need to stay below the largest; 0 is always fine).
    public func validateForSolvers() throws(ModelError) {
        try validate()
        func check(_ value: Double, _ place: @autoclosure () -> String, isCoefficient: Bool) throws(ModelError) {
            let magnitude = Swift.abs(value)
            guard magnitude.isFinite, magnitude != 0 else { return }
            if magnitude > Self.largestSolverMagnitude {
                throw ModelError("\(place()) is \(value), beyond the 1e15 the solvers handle; rescale the model")
            }
            if isCoefficient, magnitude < Self.smallestSolverMagnitude {
                throw ModelError("\(place()) is \(value), below the 1e-30 the solvers handle; rescale the model")
            }
        }
        for column in 0..<variableCount {
            try check(objective[column], "\(columnLabel(column)): objective coefficient", isCoefficient: true)
            try check(columnLower[column], "\(columnLabel(column)): lower bound", isCoefficient: false)
            try check(columnUpper[column], "\(columnLabel(column)): upper bound", isCoefficient: false)
        }
        for row in 0..<constraintCount {
            try check(rowLower[row], "\(rowLabel(row)): lower bound", isCoefficient: false)
            try check(rowUpper[row], "\(rowLabel(row)): upper bound", isCoefficient: false)
            for position in rowStart[row]..<rowStart[row + 1] {
                try check(rowValues[position], "\(rowLabel(row)): coefficient of \(columnLabel(Int(rowColumns[position])))",
                          isCoefficient: true)
            }
        }
    }

    /// Throws unless `mipStart` has one finite value per column.
    public func validate(mipStart: [Double]) throws(ModelError) {
        guard mipStart.count == variableCount else {
            throw ModelError("MIP start has \(mipStart.count) values for \(variableCount) columns")
        }
        if let column = mipStart.firstIndex(where: { !$0.isFinite }) {
            throw ModelError("MIP start: value of \(columnLabel(column)) is \(mipStart[column])")
        }
    }

    /// The bounds handed to solvers: binary columns clipped to [0, 1], integer bounds rounded
    /// inward (a bound within 1e-9 of an integer counts as that integer).
    public func solverBounds(ofColumn column: Int) -> (lower: Double, upper: Double) {
        var lower = columnLower[column], upper = columnUpper[column]
        switch columnKind[column] {
        case .continuous:
            return (lower, upper)
        case .binary:
            lower = Swift.max(lower, 0)
            upper = Swift.min(upper, 1)
        case .integer:
            break
        }
        return ((lower - 1e-9).rounded(.up), (upper + 1e-9).rounded(.down))
    }

    /// A description of the first bound, integrality or row that `values` violates by more than
    /// `tolerance` (absolute, or relative to the size of the bound), or nil if they satisfy all.
    public func violation(of values: [Double], tolerance: Double = 1e-6) -> String? {
        guard values.count == variableCount else { return "\(values.count) values for \(variableCount) columns" }
        func slack(_ bound: Double) -> Double { tolerance * Swift.max(1, Swift.abs(bound)) }
        for column in 0..<variableCount {
            let value = values[column]
            let bounds = solverBounds(ofColumn: column)
            guard value.isFinite else { return "\(columnLabel(column)) is \(value)" }
            if value < bounds.lower - slack(bounds.lower) || value > bounds.upper + slack(bounds.upper) {
                return "\(columnLabel(column)) = \(value) is outside [\(bounds.lower), \(bounds.upper)]"
            }
            if columnKind[column].isIntegral, Swift.abs(value - value.rounded()) > tolerance {
                return "\(columnLabel(column)) = \(value) is not integral"
            }
        }
        for row in 0..<constraintCount {
            var activity = 0.0
            for position in rowStart[row]..<rowStart[row + 1] {
                activity += rowValues[position] * values[Int(rowColumns[position])]
            }
            if activity < rowLower[row] - slack(rowLower[row]) || activity > rowUpper[row] + slack(rowUpper[row]) {
                return "\(rowLabel(row)): activity \(activity) is outside [\(rowLower[row]), \(rowUpper[row])]"
            }
        }
        return nil
    }

    /// "column 3 ('x')" or "column 3": how errors name a column.
    public func columnLabel(_ column: Int) -> String {
        guard column >= 0, column < columnName.count, !columnName[column].isEmpty else { return "column \(column)" }
        return "column \(column) ('\(columnName[column])')"
    }

    /// "row 3 ('capacity')" or "row 3": how errors name a row.
    public func rowLabel(_ row: Int) -> String {
        guard row >= 0, row < rowName.count, !rowName[row].isEmpty else { return "row \(row)" }
        return "row \(row) ('\(rowName[row])')"
    }

    private static func validateNames(_ names: [String], kind: String) throws(ModelError) {
        var firstUse: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            if name.utf8.count > maximumNameLength {
                throw ModelError("\(kind) \(index): name is longer than \(maximumNameLength) bytes")
            }
            if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw ModelError("\(kind) \(index): name contains a control character")
            }
            if let earlier = firstUse.updateValue(index, forKey: name) {
                throw ModelError("\(kind) \(index): name '\(name)' is already used by \(kind) \(earlier)")
            }
        }
    }
}
