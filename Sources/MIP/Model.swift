/// Whether the objective is minimised or maximised.
public enum ObjectiveSense: String, Sendable, Codable {
    case minimize
    case maximize
}

/// A row handle of a ``Model``.
public struct ConstraintIndex: Hashable, Sendable {
    /// The row index in the model, from 0.
    public let index: Int
    public init(index: Int) { self.index = index }
}

/// A mixed-integer linear program, independent of any solver.
///
/// Columns are stored as parallel arrays and rows in compressed sparse row form, so a model
/// with millions of nonzeros is a handful of arrays. The model is a value: copying it and
/// changing bounds on the copy (say, between the probes of a search) leaves the original alone.
/// Nothing is checked while building; ``validate()`` checks everything once, and every
/// backend calls it before handing the model to C.
public struct Model: Sendable {
    /// The model's name, written into LP and MPS files.
    public var name: String

    /// Objective direction.
    public var sense: ObjectiveSense = .minimize
    /// Objective coefficient of each column.
    public internal(set) var objective: [Double] = []
    /// The objective's constant term.
    public var objectiveConstant: Double = 0

    /// Lower bound of each column (`-.infinity` for none).
    public internal(set) var columnLower: [Double] = []
    /// Upper bound of each column (`+.infinity` for none).
    public internal(set) var columnUpper: [Double] = []
    /// Domain of each column.
    public internal(set) var columnKind: [VariableKind] = []
    /// Name of each column (`""` means the writer and the backends make one up).
    public internal(set) var columnName: [String] = []

    /// Start of each row in ``rowColumns`` / ``rowValues``; `rowStart.count == rowCount + 1`.
    public internal(set) var rowStart: [Int] = [0]
    /// Column index of each nonzero, row by row.
    public internal(set) var rowColumns: [Int32] = []
    /// Coefficient of each nonzero, row by row.
    public internal(set) var rowValues: [Double] = []
    /// Lower bound of each row (`-.infinity` for none).
    public internal(set) var rowLower: [Double] = []
    /// Upper bound of each row (`+.infinity` for none).
    public internal(set) var rowUpper: [Double] = []
    /// Name of each row (`""` means made up).
    public internal(set) var rowName: [String] = []

    /// Scratch map from column to position in the row being merged; kept to avoid allocation per row.
    private var mergePosition: [Int32] = []

    /// An empty model.
    public init(name: String = "model") {
        self.name = name
    }

    /// The number of columns.
    public var variableCount: Int { columnKind.count }
    /// The number of rows.
    public var constraintCount: Int { rowLower.count }
    /// The number of stored nonzeros.
    public var nonzeroCount: Int { rowColumns.count }
    /// Whether any column must be integral.
    public var hasIntegerVariables: Bool { columnKind.contains { $0.isIntegral } }

    // MARK: Columns

    /// Adds a column and returns its handle. Binary columns get bounds clipped to [0, 1].
    @discardableResult
    public mutating func addVariable(lower: Double = 0, upper: Double = .infinity, kind: VariableKind = .continuous,
                                     name: String = "", objective: Double = 0) -> Variable {
        let variable = Variable(index: columnKind.count)
        if kind == .binary {
            columnLower.append(Swift.max(lower, 0))
            columnUpper.append(Swift.min(upper, 1))
        } else {
            columnLower.append(lower)
            columnUpper.append(upper)
        }
        columnKind.append(kind)
        columnName.append(name)
        self.objective.append(objective)
        return variable
    }

    /// Adds a binary column.
    @discardableResult
    public mutating func addBinary(name: String = "", objective: Double = 0) -> Variable {
        addVariable(lower: 0, upper: 1, kind: .binary, name: name, objective: objective)
    }

    /// Changes a column's bounds (for example to fix it: `lower == upper`).
    public mutating func setBounds(_ variable: Variable, lower: Double, upper: Double) {
        columnLower[variable.index] = lower
        columnUpper[variable.index] = upper
    }

    /// Fixes a column to one value.
    public mutating func fix(_ variable: Variable, to value: Double) {
        setBounds(variable, lower: value, upper: value)
    }

    /// Changes a column's domain.
    public mutating func setKind(_ variable: Variable, _ kind: VariableKind) {
        columnKind[variable.index] = kind
    }

    /// Renames a column.
    public mutating func setName(_ variable: Variable, _ name: String) {
        columnName[variable.index] = name
    }

    /// Renames a row.
    public mutating func setName(_ row: ConstraintIndex, _ name: String) {
        rowName[row.index] = name
    }

    // MARK: Objective

    /// Replaces the objective with `expression` (repeated variables are summed) in direction `sense`.
    public mutating func setObjective(_ expression: LinearExpression, sense: ObjectiveSense) {
        self.sense = sense
        for index in objective.indices { objective[index] = 0 }
        for position in expression.indices.indices {
            objective[expression.indices[position]] += expression.coefficients[position]
        }
        objectiveConstant = expression.constant
    }

    /// Minimises `expression`.
    public mutating func minimize(_ expression: LinearExpression) { setObjective(expression, sense: .minimize) }
    /// Maximises `expression`.
    public mutating func maximize(_ expression: LinearExpression) { setObjective(expression, sense: .maximize) }

    // MARK: Rows

    /// Adds a row built with the comparison operators; its constant moves to the bounds.
    @discardableResult
    public mutating func addConstraint(_ constraint: LinearConstraint, name: String = "") -> ConstraintIndex {
        let expression = constraint.expression
        return addConstraint(columns: expression.indices, coefficients: expression.coefficients,
                             lower: constraint.lower - expression.constant,
                             upper: constraint.upper - expression.constant, name: name)
    }

    /// Adds the row `lower ≤ Σ coefficients[i] * x[columns[i]] ≤ upper` without building an expression:
    /// the bulk path. Repeated columns are summed; terms that sum to zero are dropped.
    /// Indices are checked by ``validate()``, not here, so an out-of-range index is stored as is.
    @discardableResult
    public mutating func addConstraint(columns: [Int], coefficients: [Double], lower: Double = -.infinity,
                                       upper: Double = .infinity, name: String = "") -> ConstraintIndex {
        precondition(columns.count == coefficients.count, "columns and coefficients differ in length")
        let rowBegin = rowColumns.count
        if mergePosition.count < columnKind.count {
            mergePosition.append(contentsOf: repeatElement(-1, count: columnKind.count - mergePosition.count))
        }
        for position in columns.indices {
            let column = columns[position]
            let coefficient = coefficients[position]
            guard column >= 0, column < mergePosition.count else {
                // Left for validate() to report with the row and the index.
                rowColumns.append(Int32(truncatingIfNeeded: column))
                rowValues.append(coefficient)
                continue
            }
            let seen = mergePosition[column]
            if seen >= 0 {
                rowValues[Int(seen)] += coefficient
            } else {
                mergePosition[column] = Int32(rowColumns.count)
                rowColumns.append(Int32(column))
                rowValues.append(coefficient)
            }
        }
        // Reset the scratch map and drop exact zeros left by merging.
        var write = rowBegin
        for read in rowBegin..<rowColumns.count {
            let column = Int(rowColumns[read])
            if column >= 0, column < mergePosition.count { mergePosition[column] = -1 }
            if rowValues[read] != 0 || !rowValues[read].isFinite {
                rowColumns[write] = rowColumns[read]
                rowValues[write] = rowValues[read]
                write += 1
            }
        }
        rowColumns.removeLast(rowColumns.count - write)
        rowValues.removeLast(rowValues.count - write)
        rowStart.append(rowColumns.count)
        rowLower.append(lower)
        rowUpper.append(upper)
        rowName.append(name)
        return ConstraintIndex(index: rowLower.count - 1)
    }

    /// Changes a row's bounds.
    public mutating func setRowBounds(_ row: ConstraintIndex, lower: Double, upper: Double) {
        rowLower[row.index] = lower
        rowUpper[row.index] = upper
    }

    /// The nonzeros of one row.
    public func row(_ row: ConstraintIndex) -> (columns: ArraySlice<Int32>, coefficients: ArraySlice<Double>) {
        let range = rowStart[row.index]..<rowStart[row.index + 1]
        return (rowColumns[range], rowValues[range])
    }

    /// Reserves room for `rows` more rows and `nonzeros` more nonzeros.
    public mutating func reserve(rows: Int, nonzeros: Int) {
        rowStart.reserveCapacity(rowStart.count + rows)
        rowLower.reserveCapacity(rowLower.count + rows)
        rowUpper.reserveCapacity(rowUpper.count + rows)
        rowName.reserveCapacity(rowName.count + rows)
        rowColumns.reserveCapacity(rowColumns.count + nonzeros)
        rowValues.reserveCapacity(rowValues.count + nonzeros)
    }

    /// The objective value of a full column vector.
    public func objectiveValue(at values: [Double]) -> Double {
        var total = objectiveConstant
        for column in objective.indices where objective[column] != 0 {
            total += objective[column] * values[column]
        }
        return total
    }
}
