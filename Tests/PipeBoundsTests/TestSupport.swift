import MIP
import PipeGraph
import PipeTestSupport

/// Helpers shared by the bound tests: random instance options and row checks.
enum TestSupport {
    /// Options for the random instances of the soundness tests: comm, and now and then memory caps and groups.
    static func options(seed: UInt64) -> RandomGraphs.Options {
        var options = RandomGraphs.Options()
        options.edgeProbability = [0.2, 0.35, 0.5][Int(seed % 3)]
        options.commRange = seed % 5 == 0 ? 0...0 : 0...6
        if seed % 4 == 1 {
            options.memoryRange = 1...10
            options.memoryCapFraction = 0.45
        }
        if seed % 3 == 2 { options.groupProbability = 0.3 }
        // Half of the grouped instances have groups that are not convex as given (closed under paths).
        if seed % 6 == 5 { options.allowNonConvexGroups = true }
        return options
    }

    /// Sets every continuous column except `keep` to the least value its `column − … ≥ lower` rows
    /// (column coefficient +1) allow, the way a solver would for a fixed choice of the binaries.
    static func completeAuxiliaries(_ model: Model, values: inout [Double], keep: Set<Int>) {
        for row in 0..<model.constraintCount where model.rowUpper[row] == .infinity {
            let (columns, coefficients) = model.row(ConstraintIndex(index: row))
            for (column, coefficient) in zip(columns, coefficients) {
                let index = Int(column)
                guard coefficient == 1, model.columnKind[index] == .continuous, !keep.contains(index) else { continue }
                var rest = 0.0
                for (other, otherCoefficient) in zip(columns, coefficients) where Int(other) != index {
                    rest += otherCoefficient * values[Int(other)]
                }
                values[index] = Swift.max(values[index], model.rowLower[row] - rest, model.columnLower[index])
            }
        }
    }

    /// The first row or column bound `values` breaks by more than `tolerance`, or nil.
    static func firstViolation(_ model: Model, values: [Double], tolerance: Double = 1e-9) -> String? {
        for column in 0..<model.variableCount {
            let value = values[column]
            if value < model.columnLower[column] - tolerance || value > model.columnUpper[column] + tolerance {
                return "column \(model.columnName[column]) = \(value) outside [\(model.columnLower[column]), \(model.columnUpper[column])]"
            }
            if model.columnKind[column].isIntegral, abs(value - value.rounded()) > tolerance {
                return "column \(model.columnName[column]) = \(value) is not integral"
            }
        }
        for row in 0..<model.constraintCount {
            let (columns, coefficients) = model.row(ConstraintIndex(index: row))
            var activity = 0.0
            for (column, coefficient) in zip(columns, coefficients) { activity += coefficient * values[Int(column)] }
            if activity < model.rowLower[row] - tolerance || activity > model.rowUpper[row] + tolerance {
                return "row \(row) '\(model.rowName[row])' = \(activity) outside [\(model.rowLower[row]), \(model.rowUpper[row])]"
            }
        }
        return nil
    }

    /// The column called `name`.
    static func column(_ model: Model, named name: String) -> Int? {
        model.columnName.firstIndex(of: name)
    }
}
