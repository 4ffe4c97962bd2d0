/// Column and row names made safe for LP and MPS files: only letters, digits and `_`; never
/// starting with a digit or `e`/`E` (LP reads those as numbers); never an LP keyword; never
/// empty (`x<index>`, `r<index>`); unique within columns and within rows (`_2`, `_3`, …
/// appended). The row name `obj` is kept for the objective.
struct ExportNames {
    /// The objective's row name.
    static let objectiveName = "obj"
    /// A name for the fixed column that carries the objective constant (both formats lack a portable constant).
    static let constantColumnBase = "objective_constant"

    private static let keywords: Set<String> = [
        "st", "s.t.", "st.", "subject", "such", "that", "to", "bound", "bounds", "binary", "binaries", "bin",
        "general", "generals", "gen", "integer", "integers", "int", "semi", "semis", "semi-continuous",
        "free", "inf", "infinity", "end", "minimize", "minimise", "minimum", "min", "maximize", "maximise",
        "maximum", "max", "obj", "sos",
    ]

    let columns: [String]
    let rows: [String]
    /// The name of the constant-carrying column (unused when the objective has no constant).
    let constantColumn: String

    init(model: Model) {
        var usedColumns = Set<String>()
        columns = (0..<model.variableCount).map { Self.unique(Self.sanitized(model.columnName[$0], fallback: "x\($0)"), in: &usedColumns) }
        constantColumn = Self.unique(Self.constantColumnBase, in: &usedColumns)
        var usedRows: Set<String> = [Self.objectiveName]
        rows = (0..<model.constraintCount).map { Self.unique(Self.sanitized(model.rowName[$0], fallback: "r\($0)"), in: &usedRows) }
    }

    /// A comment kept on one line (line breaks become spaces), so that it cannot end the comment early.
    static func commentLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// `name` with every character outside [A-Za-z0-9_] replaced by `_`, made safe as a first symbol.
    static func sanitized(_ name: String, fallback: String) -> String {
        guard !name.isEmpty else { return fallback }
        var result = String(String.UnicodeScalarView(name.unicodeScalars.prefix(Model.maximumNameLength - 8).map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_") ? scalar : "_"
        }))
        if let first = result.unicodeScalars.first, ("0"..."9").contains(first) || first == "e" || first == "E" {
            result = "_" + result
        }
        if keywords.contains(result.lowercased()) { result = "_" + result }
        return result
    }

    private static func unique(_ candidate: String, in used: inout Set<String>) -> String {
        var name = candidate
        var suffix = 2
        while !used.insert(name).inserted {
            name = "\(candidate)_\(suffix)"
            suffix += 1
        }
        return name
    }
}

/// Numbers as LP and MPS readers expect them: integers without a fraction, others in the
/// shortest form that reads back to the same double.
func exportNumber(_ value: Double) -> String {
    if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
