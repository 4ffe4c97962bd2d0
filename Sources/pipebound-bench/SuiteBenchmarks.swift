import Foundation
import MIPSolvers
import PipeCertify

/// The full regression suite (Fixtures/suite-full.json) through the same runner as
/// `pipebound regress`: the paper-style table of LB/UB per k and method, checked against the
/// quality targets of docs/cost-model.md, plus any golden differences.
///
/// Arguments: `[SUITE] [--jobs J] [--shard I/N]`; the results go to .build/suite-results-NAME.json.
enum SuiteBenchmarks {
    static func run(_ arguments: [String]) throws {
        // A full suite runs for long; show each instance as it finishes, also when redirected.
        setvbuf(stdout, nil, _IOLBF, 0)
        var suitePath = "Fixtures/suite-full.json"
        var jobs = 1
        var shard: ShardSpecification?
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--jobs": jobs = remaining.popFirst().flatMap(Int.init) ?? jobs
            case "--shard": shard = remaining.popFirst().flatMap(ShardSpecification.init)
            default: suitePath = argument
            }
        }
        let suite = try Suite.load(path: suitePath)
        let instances = shard.map { $0.select(suite.allInstances) } ?? suite.allInstances
        print("suite '\(suite.name)': \(instances.count) instances, solver \(suite.solver), node limit \(suite.nodeLimit.map(String.init) ?? "none"), \(jobs) jobs")
        let started = Date()
        let results = SuiteRunner.run(suite, instances: instances, jobs: jobs, shard: shard, solvers: { try SolverCatalog.solver(named: $0) }) { result, seconds in
            let summary = result.certificate.map { "LB/UB \(NumberFormatting.ratio($0.ratio))" } ?? (result.problems.first ?? "")
            print("  \(result.instance.identifier)  \(summary)  \(NumberFormatting.seconds(seconds)) s")
        }
        let seconds = Date().timeIntervalSince(started)
        let output = ".build/suite-results-\(suite.name).json"
        try OutputFile.write(try results.json(), to: output)
        let summary = SuiteSummary(results)
        print(summary.table(), terminator: "")
        print("total \(NumberFormatting.seconds(seconds)) s; results in \(output) (pipebound summary \(output))")

        // Quality targets (docs/cost-model.md): ≥ 0.97 at k = 16, ≥ 0.95 at every k.
        for k in summary.stageCounts {
            guard let cell = summary.cells[k]?[SuiteSummary.certifiedColumn] else { continue }
            let target = k == 16 ? 0.97 : 0.95
            let verdict = cell.geometricMean >= target ? "meets" : "MISSES"
            print("k = \(k): certified \(NumberFormatting.ratio(cell.geometricMean)) \(verdict) the target \(target)")
        }
        let invalid = results.instances.filter { !$0.problems.isEmpty }
        if !invalid.isEmpty {
            print("INVALID: " + invalid.map { "\($0.instance.identifier): \($0.problems[0])" }.joined(separator: "; "))
        }
        var goldens: [Int: Golden] = [:]
        for instance in instances {
            if let golden = try Golden.read(for: instance, in: suite.resolve(suite.expected)) { goldens[instance.index] = golden }
        }
        if !goldens.isEmpty {
            print(GoldenComparison(results: results.instances, goldens: goldens, tolerance: suite.tolerance).table(), terminator: "")
        }
    }
}
