/// Writes a model in CPLEX LP format, as read by `glpsol --lp` and `cbc`.
///
/// Conventions chosen for portability: names are sanitised (``ExportNames``); every integer or
/// binary column is listed under `General` with explicit bounds; a ranged row `lo ≤ a·x ≤ hi`
/// becomes two rows `name_lo` and `name_hi`; a free row is left out; an objective constant is
/// carried by an extra column fixed at 1. None of these change the optimum.
public struct LPWriter {
    /// The model to write.
    public let model: Model

    /// Lines written as `\ ` comments at the top of the file (what the model is, its units).
    public let comments: [String]

    /// Prepares to write `model`, headed by `comments`.
    public init(model: Model, comments: [String] = []) {
        self.model = model
        self.comments = comments
    }

    /// The LP text; throws if the model is invalid.
    public func text() throws(ModelError) -> String {
        try model.validate()
        let names = ExportNames(model: model)
        var out = comments.map { "\\ " + ExportNames.commentLine($0) + "\n" }.joined()
        out += "\\ Model \(ExportNames.sanitized(model.name, fallback: "model"))\n"
        out += model.sense == .minimize ? "Minimize\n" : "Maximize\n"
        var objectiveTerms: [(Int, Double)] = model.objective.indices.compactMap { model.objective[$0] != 0 ? ($0, model.objective[$0]) : nil }
        if objectiveTerms.isEmpty, model.variableCount > 0 { objectiveTerms = [(0, 0)] }
        var objectiveLine = " \(ExportNames.objectiveName):"
        appendTerms(objectiveTerms.map { (names.columns[$0.0], $0.1) }, to: &objectiveLine)
        if model.objectiveConstant != 0 {
            appendTerms([(names.constantColumn, model.objectiveConstant)], to: &objectiveLine)
        }
        out += objectiveLine + "\n"
        out += "Subject To\n"
        for row in 0..<model.constraintCount {
            let lower = model.rowLower[row], upper = model.rowUpper[row]
            if lower == -.infinity, upper == .infinity { continue }
            var terms = (model.rowStart[row]..<model.rowStart[row + 1]).map {
                (names.columns[Int(model.rowColumns[$0])], model.rowValues[$0])
            }
            if terms.isEmpty {
                guard model.variableCount > 0 else { continue }
                terms = [(names.columns[0], 0)]
            }
            let name = names.rows[row]
            if lower == upper {
                out += constraintLine(name, terms, "=", lower)
            } else if lower == -.infinity {
                out += constraintLine(name, terms, "<=", upper)
            } else if upper == .infinity {
                out += constraintLine(name, terms, ">=", lower)
            } else {
                out += constraintLine(name + "_lo", terms, ">=", lower)
                out += constraintLine(name + "_hi", terms, "<=", upper)
            }
        }
        out += "Bounds\n"
        for column in 0..<model.variableCount {
            let (lower, upper) = model.solverBounds(ofColumn: column)
            let name = names.columns[column]
            if lower == upper {
                out += " \(name) = \(exportNumber(lower))\n"
            } else if lower == -.infinity, upper == .infinity {
                out += " \(name) free\n"
            } else if upper == .infinity {
                if lower != 0 || model.columnKind[column].isIntegral { out += " \(name) >= \(exportNumber(lower))\n" }
            } else {
                let lowerText = lower == -.infinity ? "-inf" : exportNumber(lower)
                out += " \(lowerText) <= \(name) <= \(exportNumber(upper))\n"
            }
        }
        if model.objectiveConstant != 0 { out += " \(names.constantColumn) = 1\n" }
        let integers = (0..<model.variableCount).filter { model.columnKind[$0].isIntegral }
        if !integers.isEmpty {
            out += "General\n"
            for chunk in stride(from: 0, to: integers.count, by: 8) {
                out += " " + integers[chunk..<Swift.min(chunk + 8, integers.count)].map { names.columns[$0] }.joined(separator: " ") + "\n"
            }
        }
        out += "End\n"
        return out
    }

    private func constraintLine(_ name: String, _ terms: [(String, Double)], _ relation: String, _ value: Double) -> String {
        var line = " \(name):"
        appendTerms(terms, to: &line)
        return line + " \(relation) \(exportNumber(value))\n"
    }

    /// Appends ` + 3 x - 2 y …`, breaking lines every few terms (readers limit line length).
    private func appendTerms(_ terms: [(String, Double)], to line: inout String) {
        for (position, (name, coefficient)) in terms.enumerated() {
            if position > 0, position % 8 == 0 { line += "\n  " }
            line += coefficient < 0 ? " - \(exportNumber(-coefficient)) \(name)" : " + \(exportNumber(coefficient)) \(name)"
        }
    }
}
