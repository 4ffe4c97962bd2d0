/// A relaxation that removes coefficients too small for a solver's tolerances to treat soundly.
///
/// CBC 2.10.8's probing, given a stage-cost row whose coefficients run from 3e-14 to 1, fixed
/// variables that cut off the optimum and reported a root bound 0.3 % above it (medium soundness
/// seed 31, docs/mip.md, "Negligible terms"). Removing such a term while widening the row by
/// everything it could contribute gives a relaxation: every point feasible before stays feasible,
/// and the objective, shifted by the least the removed term could add, is nowhere larger. So any
/// lower bound proven on the result holds for the original model.
extension Model {
    /// The default threshold of ``relaxingNegligibleTerms(relativeTolerance:)``: three orders of
    /// magnitude below the solvers' feasibility and optimality tolerances (1e-7).
    public static let negligibleTermTolerance = 1e-10

    /// This model with every term a·x of a row (or of the objective) removed whose largest
    /// contribution |a|·(u − l) is positive and below `relativeTolerance` times the row's
    /// (objective's) largest |a|·max(u − l, 1), each row's bounds widened by the removed term's range of values, and the objective
    /// constant lowered (raised, when maximising) by the least (most) the term could add.
    /// Terms on columns without two finite bounds are kept. Returns the model itself when nothing
    /// is negligible.
    public func relaxingNegligibleTerms(relativeTolerance: Double = Model.negligibleTermTolerance) -> Model {
        func contribution(_ coefficient: Double, _ column: Int) -> Double? {
            let lower = columnLower[column], upper = columnUpper[column]
            guard lower.isFinite, upper.isFinite else { return nil }
            return Swift.abs(coefficient) * (upper - lower)
        }
        // The range a·x takes over the column's bounds.
        func termRange(_ coefficient: Double, _ column: Int) -> (low: Double, high: Double) {
            let atLower = coefficient * columnLower[column], atUpper = coefficient * columnUpper[column]
            return (Swift.min(atLower, atUpper), Swift.max(atLower, atUpper))
        }
        // The yardstick of a row: its largest |a| · max(u − l, 1). A fixed column or one without
        // finite bounds counts as unit range, so that a row of fixed columns keeps its scale.
        func largestContribution(_ terms: some Sequence<(Double, Int)>) -> Double {
            var largest = 0.0
            for (coefficient, column) in terms {
                largest = Swift.max(largest, Swift.abs(coefficient) * Swift.max(contribution(1, column) ?? 1, 1))
            }
            return largest
        }
        // Terms on fixed columns are constants, not noise: they stay.
        func negligible(_ coefficient: Double, _ column: Int, comparedWith largest: Double) -> Bool {
            guard let size = contribution(coefficient, column), size > 0 else { return false }
            return size < relativeTolerance * largest
        }

        var relaxed = self
        var changed = false

        let objectiveLargest = largestContribution(objective.enumerated().map { ($0.element, $0.offset) })
        for column in 0..<variableCount where objective[column] != 0 {
            guard negligible(objective[column], column, comparedWith: objectiveLargest) else { continue }
            let range = termRange(objective[column], column)
            relaxed.objectiveConstant = sense == .minimize ? (relaxed.objectiveConstant + range.low).nextDown
                                                           : (relaxed.objectiveConstant + range.high).nextUp
            relaxed.objective[column] = 0
            changed = true
        }

        var rowStart = [0], rowColumns: [Int32] = [], rowValues: [Double] = []
        rowColumns.reserveCapacity(self.rowColumns.count)
        rowValues.reserveCapacity(self.rowValues.count)
        for row in 0..<constraintCount {
            let entries = self.rowStart[row]..<self.rowStart[row + 1]
            let rowLargest = largestContribution(entries.map { (self.rowValues[$0], Int(self.rowColumns[$0])) })
            for entry in entries {
                let coefficient = self.rowValues[entry], column = Int(self.rowColumns[entry])
                if negligible(coefficient, column, comparedWith: rowLargest) {
                    // rest + a·x ∈ [L, U] for some x implies rest ∈ [L − max a·x, U − min a·x].
                    let range = termRange(coefficient, column)
                    // Rounded outward, so that the float arithmetic cannot tighten the row.
                    relaxed.rowLower[row] = (relaxed.rowLower[row] - range.high).nextDown
                    relaxed.rowUpper[row] = (relaxed.rowUpper[row] - range.low).nextUp
                    changed = true
                } else {
                    rowColumns.append(self.rowColumns[entry])
                    rowValues.append(coefficient)
                }
            }
            rowStart.append(rowColumns.count)
        }
        guard changed else { return self }
        relaxed.rowStart = rowStart
        relaxed.rowColumns = rowColumns
        relaxed.rowValues = rowValues
        return relaxed
    }
}
