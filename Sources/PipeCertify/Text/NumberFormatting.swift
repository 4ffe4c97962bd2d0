import Foundation

/// How figures are printed for people: enough digits to tell a bound from a partition apart.
public enum NumberFormatting {
    /// A cost, bound or memory figure with up to 7 significant digits, no exponent below 10^12.
    public static func figure(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == value.rounded(), abs(value) < 1e12 { return String(format: "%.0f", value) }
        let magnitude = abs(value)
        if magnitude >= 1e12 || magnitude < 1e-4 { return String(format: "%.6g", value) }
        let decimals = max(0, 6 - Int(floor(log10(magnitude))))
        var text = String(format: "%.\(decimals)f", value)
        while text.contains("."), text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        return text
    }

    /// A ratio such as LB/UB, with four decimals (rounded down, so 0.99996 is not shown as 1.0000).
    public static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        return String(format: "%.4f", (value * 10_000).rounded(.down) / 10_000)
    }

    /// Seconds with two decimals.
    public static func seconds(_ value: Double) -> String { String(format: "%.2f", value) }
}
