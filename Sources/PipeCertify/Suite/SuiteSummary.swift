import Foundation

/// The paper-style table of suite results: for each k and each lower-bound method, the
/// geometric mean over the models of (the method's bound) / (the best partition found).
public struct SuiteSummary: Sendable {
    /// One cell: the geometric mean and how many instances it covers.
    public struct Cell: Sendable {
        /// Geometric mean of LB/UB.
        public var geometricMean: Double
        /// Instances where the method produced a bound (skipped and failed runs are left out).
        public var count: Int
        /// Instances at this k.
        public var total: Int
    }

    /// The stage counts, ascending.
    public var stageCounts: [Int]
    /// The lower-bound methods, in the order they first appear, then `certified` (the best bound).
    public var methods: [String]
    /// cells[k][method].
    public var cells: [Int: [String: Cell]]

    /// The name of the column for the certificate's own (best) lower bound.
    public static let certifiedColumn = "certified"

    /// Tabulates `results`.
    public init(_ results: SuiteResults) {
        var ratios: [Int: [String: [Double]]] = [:]
        var totals: [Int: Int] = [:]
        var methods: [String] = []
        for result in results.instances {
            guard let certificate = result.certificate, result.problems.isEmpty else { continue }
            let k = certificate.stages
            totals[k, default: 0] += 1
            let upper = certificate.upperBound.value
            func ratio(_ value: Double) -> Double { upper > 0 ? value / upper : 1 }
            for record in certificate.bounds where record.kind == .lower && record.counts {
                if !methods.contains(record.method) { methods.append(record.method) }
                ratios[k, default: [:]][record.method, default: []].append(ratio(record.value))
            }
            ratios[k, default: [:]][Self.certifiedColumn, default: []].append(certificate.ratio)
        }
        self.methods = methods + [Self.certifiedColumn]
        stageCounts = totals.keys.sorted()
        cells = [:]
        for (k, byMethod) in ratios {
            for (method, values) in byMethod {
                // A zero ratio would zero the mean; a bound of 0 only happens for an all-zero graph.
                let logs = values.map { log(max($0, 1e-12)) }
                cells[k, default: [:]][method] = Cell(geometricMean: exp(logs.reduce(0, +) / Double(values.count)),
                                                      count: values.count, total: totals[k] ?? 0)
            }
        }
    }

    /// The table: one row per k, one column per method; `(c/n)` marks cells missing some instances.
    public func table() -> String {
        var table = TextTable(header: ["k", "models"] + methods, rightAligned: Set(0..<(methods.count + 2)))
        for k in stageCounts {
            let row = methods.map { method -> String in
                guard let cell = cells[k]?[method] else { return "-" }
                let mark = cell.count < cell.total ? " (\(cell.count)/\(cell.total))" : ""
                return NumberFormatting.ratio(cell.geometricMean) + mark
            }
            table.add(["\(k)", "\(cells[k]?[Self.certifiedColumn]?.total ?? 0)"] + row)
        }
        return "geometric mean of LB/UB (UB: the best partition found for the instance)\n" + table.render()
    }
}
