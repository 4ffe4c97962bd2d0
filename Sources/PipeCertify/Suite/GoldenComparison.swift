import Foundation

/// Compares suite results with goldens: what got worse (a failure), what got better (a hint to
/// run `--update`), what is new.
public struct GoldenComparison: Sendable {
    /// One difference.
    public struct Change: Sendable {
        /// How it matters.
        public enum Verdict: String, Sendable {
            /// A partition got worse, a bound weaker, a method disappeared, or a certificate is invalid.
            case regression
            /// A partition got better or a bound stronger.
            case improvement
            /// No golden yet, or a method the golden does not have.
            case new
        }

        /// The instance, `MODEL/kK`.
        public var instance: String
        /// What changed: a method, `upper bound`, `lower bound` or `certificate`.
        public var subject: String
        /// The golden's value (nil when there is none).
        public var expected: Double?
        /// The new value (nil when there is none).
        public var found: Double?
        /// The verdict.
        public var verdict: Verdict
        /// Why, in words.
        public var note: String
    }

    /// Every difference, in suite order.
    public var changes: [Change] = []

    /// Whether any change is a regression.
    public var hasRegressions: Bool { changes.contains { $0.verdict == .regression } }
    /// Whether any change is an improvement or something new.
    public var hasImprovements: Bool { changes.contains { $0.verdict != .regression } }

    /// Compares every result with its golden (nil: none). `tolerance` is relative.
    public init(results: [InstanceResult], goldens: [Int: Golden], tolerance: Double) {
        for result in results {
            compare(result, with: goldens[result.instance.index], tolerance: tolerance)
        }
    }

    private mutating func compare(_ result: InstanceResult, with golden: Golden?, tolerance: Double) {
        let name = result.instance.identifier
        for problem in result.problems {
            changes.append(Change(instance: name, subject: "certificate", expected: nil, found: nil, verdict: .regression, note: problem))
        }
        guard let certificate = result.certificate else { return }
        guard let golden else {
            changes.append(Change(instance: name, subject: "golden", expected: nil, found: certificate.lowerBound.value,
                                  verdict: .new, note: "no golden yet"))
            return
        }
        func slack(_ value: Double) -> Double { tolerance * max(1, abs(value)) }
        // Upper values must not go up; lower values must not go down.
        func check(_ subject: String, kind: BoundRecord.Kind, expected: Double, found: Double?, expectedStatus: String? = nil) {
            guard let found else {
                changes.append(Change(instance: name, subject: subject, expected: expected, found: nil, verdict: .regression,
                                      note: "the method no longer reports a value"))
                return
            }
            let worse = kind == .upper ? found > expected + slack(expected) : found < expected - slack(expected)
            let better = kind == .upper ? found < expected - slack(expected) : found > expected + slack(expected)
            if worse {
                changes.append(Change(instance: name, subject: subject, expected: expected, found: found, verdict: .regression,
                                      note: kind == .upper ? "partition worse" : "bound weaker"))
            } else if better {
                changes.append(Change(instance: name, subject: subject, expected: expected, found: found, verdict: .improvement,
                                      note: kind == .upper ? "partition better" : "bound stronger"))
            }
        }
        check("upper bound", kind: .upper, expected: golden.upperBound.value, found: certificate.upperBound.value)
        check("lower bound", kind: .lower, expected: golden.lowerBound.value, found: certificate.lowerBound.value)
        for entry in golden.bounds {
            let found = certificate.bounds.first { $0.method == entry.method && $0.kind == entry.kind }
            check("\(entry.method) (\(entry.kind.rawValue))", kind: entry.kind, expected: entry.value, found: found?.value)
        }
        for record in certificate.bounds where !golden.bounds.contains(where: { $0.method == record.method && $0.kind == record.kind }) {
            changes.append(Change(instance: name, subject: "\(record.method) (\(record.kind.rawValue))", expected: nil,
                                  found: record.value, verdict: .new, note: "not in the golden"))
        }
    }

    /// The changes as a table (empty string when there are none).
    public func table() -> String {
        guard !changes.isEmpty else { return "" }
        var table = TextTable(header: ["instance", "what", "golden", "now", "change", "verdict"], rightAligned: [2, 3, 4])
        for change in changes {
            let difference: String
            if let expected = change.expected, let found = change.found, expected != 0 {
                difference = String(format: "%+.3f%%", (found - expected) / abs(expected) * 100)
            } else {
                difference = ""
            }
            table.add([change.instance, change.subject, change.expected.map(NumberFormatting.figure) ?? "-",
                       change.found.map(NumberFormatting.figure) ?? "-", difference,
                       "\(change.verdict.rawValue): \(change.note)"])
        }
        return table.render()
    }
}
