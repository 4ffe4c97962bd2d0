import Foundation
import MIPSolvers
import PipeCertify
import PipeGraph
import PipeImport
import PipePartition

/// The dnn-partitioning group: `certify` on every profiled graph and k of `optima.csv` (Tarnawski et
/// al., NeurIPS 2020), against the optimum the reference DP computed and the seconds it took.
///
/// `pipebound-bench dnn [DIRECTORY] [--time-limit T] [--dp-only]`: DIRECTORY holds `optima.csv` and the graphs
/// (default Fixtures/dnn-partitioning). Each instance runs certify with `--target-ratio 0.9999` and
/// the time limit (default 60 s) and prints UB/OPT, LB/UB, LB/OPT, seconds and the reference seconds; the
/// totals close the table. An instance counts as exact when UB = OPT to 1e-9 relative and LB/UB ≥ 0.9999.
enum DnnPartitioningBenchmarks {
    /// The ratio certify aims at in this group.
    static let targetRatio = 0.9999

    static func run(_ arguments: [String]) throws {
        var timeLimit = 60.0
        var directory = "Fixtures/dnn-partitioning"
        var rest = arguments[...]
        var dpOnly = false
        while let argument = rest.popFirst() {
            if argument == "--time-limit", let value = rest.popFirst().flatMap(Double.init) { timeLimit = value }
            else if argument == "--dp-only" { dpOnly = true } else { directory = argument }
        }
        let rows = try optima(in: directory)
        if dpOnly { return try runDPOnly(rows, directory: directory) }
        print("certify --target-ratio \(targetRatio) --time-limit \(timeLimit) on \(rows.count) instances of \(directory)/optima.csv")
        print("  \(pad("graph", 36)) \(pad("k", 3)) \(pad("UB/OPT", 12)) \(pad("LB/UB", 9)) \(pad("LB/OPT", 9)) \(pad("seconds", 8)) \(pad("ref s", 8)) exact")
        var totalSeconds = 0.0, totalReference = 0.0, exact = 0
        var certified: [String: [Int: Certificate]] = [:]
        for row in rows {
            if certified[row.graph] == nil {
                // One certify run per graph with every k of the file (`certify --stages 2,4,…,64`):
                // each k has its own time limit and seconds; the run's wall time is their sum.
                let graph = try ModelLoader.load(path: "\(directory)/\(row.graph).json")
                let options = CertifyOptions(solver: try SolverCatalog.solver(named: "cbc"), timeLimit: timeLimit, targetRatio: targetRatio)
                let counts = rows.filter { $0.graph == row.graph }.map(\.stageCount)
                let results = Certifier(graph: graph, options: options).run(stageCounts: counts)
                certified[row.graph] = Dictionary(results.map { ($0.certificate.stages, $0.certificate) }, uniquingKeysWith: { first, _ in first })
            }
            let found = certified[row.graph]?[row.stageCount]
            let seconds = found?.seconds ?? 0
            totalSeconds += seconds
            totalReference += row.referenceSeconds
            guard let certificate = found else {
                print("  \(pad(row.graph, 36)) \(pad(row.stageCount, 3)) no partition   \(String(format: "%8.2f %8.2f", seconds, row.referenceSeconds))")
                continue
            }
            let upper = certificate.upperBound.value, lower = certificate.lowerBound.value
            let isExact = abs(upper - row.optimum) <= 1e-9 * row.optimum && lower / upper >= targetRatio
            if isExact { exact += 1 }
            print("  \(pad(row.graph, 36)) \(pad(row.stageCount, 3)) \(pad(String(format: "%.9f", upper / row.optimum), 12)) \(pad(String(format: "%.5f", lower / upper), 9)) \(pad(String(format: "%.5f", lower / row.optimum), 9)) \(pad(String(format: "%.2f", seconds), 8)) \(pad(String(format: "%.2f", row.referenceSeconds), 8)) \(isExact ? "yes" : "NO")")
        }
        print(String(format: "  total: %d of %d exact; %.2f s (reference %.2f s, ratio %.3f)", exact, rows.count, totalSeconds,
                     totalReference, totalSeconds / max(totalReference, 1e-9)))
    }

    /// `--dp-only`: the ideal DP alone (pruned by the slice partition's bottleneck, no count limit but
    /// the defaults of ``IdealDP/Limits``) on every instance: where the DP's own time goes.
    static func runDPOnly(_ rows: [Optimum], directory: String) throws {
        print("ideal DP (upper bound from slice) on \(rows.count) instances of \(directory)/optima.csv")
        print("  \(pad("graph", 36)) \(pad("k", 3)) \(pad("units", 6)) \(pad("DP/OPT", 12)) \(pad("seconds", 8)) \(pad("ref s", 8))")
        var totalSeconds = 0.0, totalReference = 0.0
        for row in rows {
            let graph = try ModelLoader.load(path: "\(directory)/\(row.graph).json")
            let units = UnitGraph(graph, mergingFreeNodes: true).unitCount
            let started = Date()
            let upper = (try? Partitioner.partition(graph, stageCount: row.stageCount, method: .slice))?.bottleneck ?? .infinity
            let answer: String
            do {
                let found = try IdealDP.optimum(of: graph, stageCount: row.stageCount, upperBound: upper)
                answer = found.map { String(format: "%.9f", $0.bottleneck / row.optimum) } ?? "none"
            } catch {
                answer = "\(error)"
            }
            let seconds = Date().timeIntervalSince(started)
            totalSeconds += seconds
            totalReference += row.referenceSeconds
            print("  \(pad(row.graph, 36)) \(pad(row.stageCount, 3)) \(pad(units, 6)) \(pad(answer, 12)) \(pad(String(format: "%.3f", seconds), 8)) \(pad(String(format: "%.2f", row.referenceSeconds), 8))")
        }
        print(String(format: "  total: %.2f s (reference %.2f s)", totalSeconds, totalReference))
    }

    /// One line of optima.csv.
    struct Optimum {
        var graph: String
        var stageCount: Int
        var optimum: Double
        var referenceSeconds: Double
    }

    /// Reads `graph,k,opt,reference_seconds` rows.
    static func optima(in directory: String) throws -> [Optimum] {
        let text = try String(contentsOfFile: "\(directory)/optima.csv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",").map(String.init)
            guard fields.count == 4, let k = Int(fields[1]), let opt = Double(fields[2]), let seconds = Double(fields[3]) else { return nil }
            return Optimum(graph: fields[0], stageCount: k, optimum: opt, referenceSeconds: seconds)
        }
    }

    private static func pad(_ value: Any, _ width: Int) -> String {
        let text = "\(value)"
        return text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
