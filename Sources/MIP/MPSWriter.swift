/// Writes a model in free MPS format, as read by `glpsol --freemps` and `cbc`.
///
/// Names are sanitised (``ExportNames``); integer and binary columns sit between
/// `MARKER INTORG/INTEND` lines and always get explicit bounds (readers disagree on the
/// default upper bound of integer columns); ranged rows use the RANGES section; free rows
/// are left out (readers may take an `N` row for a second objective); an objective
/// constant is carried by an extra column fixed at 1. Neither `glpsol` nor `cbc` reads
/// `OBJSENSE` from free MPS reliably, so a maximisation is written as the minimisation of
/// the negated objective (a comment line says so): the file's optimum is minus the model's.
public struct MPSWriter {
    /// The model to write.
    public let model: Model

    /// Prepares to write `model`.
    /// Lines written as `* ` comments at the top of the file (what the model is, its units).
    public let comments: [String]

    /// Prepares to write `model`, headed by `comments`.
    public init(model: Model, comments: [String] = []) {
        self.model = model
        self.comments = comments
    }

    /// The free-MPS text; throws if the model is invalid.
    public func text() throws(ModelError) -> String {
        try model.validate()
        let names = ExportNames(model: model)
        let objective = ExportNames.objectiveName
        // "FREE" after the name switches CBC's reader to free format (it guesses fixed otherwise);
        // glpsol ignores it.
        var out = comments.map { "* " + ExportNames.commentLine($0) + "\n" }.joined()
        out += "NAME \(ExportNames.sanitized(model.name, fallback: "model")) FREE\n"
        // Maximising: the file minimises the negated objective.
        let objectiveSign: Double = model.sense == .maximize ? -1 : 1
        if model.sense == .maximize { out += "* maximisation written as minimisation of the negated objective\n" }
        out += "ROWS\n N \(objective)\n"
        var written = [Bool](repeating: false, count: model.constraintCount)
        for row in 0..<model.constraintCount {
            let lower = model.rowLower[row], upper = model.rowUpper[row]
            let type: String
            if lower == upper { type = "E" } else if lower == -.infinity { type = upper == .infinity ? "" : "L" } else { type = "G" }
            guard !type.isEmpty else { continue }
            written[row] = true
            out += " \(type) \(names.rows[row])\n"
        }
        // Column-wise entries: transpose the row storage.
        var columnEntries = [[(row: Int, value: Double)]](repeating: [], count: model.variableCount)
        for row in 0..<model.constraintCount where written[row] {
            for position in model.rowStart[row]..<model.rowStart[row + 1] {
                columnEntries[Int(model.rowColumns[position])].append((row, model.rowValues[position]))
            }
        }
        out += "COLUMNS\n"
        var inIntegerBlock = false
        var markerCount = 0
        for column in 0..<model.variableCount {
            let integral = model.columnKind[column].isIntegral
            if integral != inIntegerBlock {
                out += "    MARKER\(markerCount) 'MARKER' '\(integral ? "INTORG" : "INTEND")'\n"
                markerCount += 1
                inIntegerBlock = integral
            }
            let name = names.columns[column]
            out += "    \(name) \(objective) \(exportNumber(objectiveSign * model.objective[column]))\n"
            for entry in columnEntries[column] {
                out += "    \(name) \(names.rows[entry.row]) \(exportNumber(entry.value))\n"
            }
        }
        if inIntegerBlock { out += "    MARKER\(markerCount) 'MARKER' 'INTEND'\n" }
        if model.objectiveConstant != 0 {
            out += "    \(names.constantColumn) \(objective) \(exportNumber(objectiveSign * model.objectiveConstant))\n"
        }
        out += "RHS\n"
        var ranges = ""
        for row in 0..<model.constraintCount where written[row] {
            let lower = model.rowLower[row], upper = model.rowUpper[row]
            let rightHandSide = lower == -.infinity ? upper : lower
            if rightHandSide != 0 { out += "    RHS \(names.rows[row]) \(exportNumber(rightHandSide))\n" }
            if lower != upper, lower != -.infinity, upper != .infinity {
                ranges += "    RNG \(names.rows[row]) \(exportNumber(upper - lower))\n"
            }
        }
        if !ranges.isEmpty { out += "RANGES\n" + ranges }
        out += "BOUNDS\n"
        for column in 0..<model.variableCount {
            let (lower, upper) = model.solverBounds(ofColumn: column)
            let name = names.columns[column]
            if lower == upper {
                out += " FX BND \(name) \(exportNumber(lower))\n"
                continue
            }
            if lower == -.infinity, upper == .infinity {
                out += " FR BND \(name)\n"
                continue
            }
            if lower == -.infinity {
                out += " MI BND \(name)\n"
            } else if lower != 0 || model.columnKind[column].isIntegral {
                out += " LO BND \(name) \(exportNumber(lower))\n"
            }
            if upper != .infinity {
                out += " UP BND \(name) \(exportNumber(upper))\n"
            } else if model.columnKind[column].isIntegral {
                out += " PL BND \(name)\n"
            }
        }
        if model.objectiveConstant != 0 { out += " FX BND \(names.constantColumn) 1\n" }
        out += "ENDATA\n"
        return out
    }
}
