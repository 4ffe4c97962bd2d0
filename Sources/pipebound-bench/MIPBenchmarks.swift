import Foundation
import MIP
import MIPSolvers
import PipeGraph

/// Benchmarks of the MIP group: model-building rate, and our CBC and GLPK bindings against
/// the `cbc` and `glpsol` programs on the same MPS file.
enum MIPBenchmarks {
    /// Arguments: `[--keep-mps PATH]` also writes the benchmark model's MPS file to PATH
    /// (to try solver options by hand); `[--solver NAME]` compares that backend only and skips the
    /// building rate (so that no other solve shares the process while it is measured); `[--models N]`
    /// compares on N seeded set covers of the same size (seeds 11, 12, …; default 1, the benchmark
    /// model) and closes each comparison with the set's total seconds.
    static func run(_ arguments: [String]) throws {
        if let flag = arguments.firstIndex(of: "--keep-mps"), arguments.indices.contains(flag + 1) {
            try MPSWriter(model: benchmarkModel()).text().write(toFile: arguments[flag + 1], atomically: true, encoding: .utf8)
        }
        var only: String?
        if let flag = arguments.firstIndex(of: "--solver"), arguments.indices.contains(flag + 1) { only = arguments[flag + 1].lowercased() }
        var modelCount = 1
        if let flag = arguments.firstIndex(of: "--models"), arguments.indices.contains(flag + 1) {
            guard let count = Int(arguments[flag + 1]), count >= 1 else { throw BenchError("--models needs a positive count") }
            modelCount = count
        }
        if only == nil { buildingRate() }
        try solverComparison(only: only, models: (0..<modelCount).map { benchmarkModel(seed: 11 + UInt64($0)) })
    }

    /// Nonzeros per second building a 1,000,000-nonzero model, bulk path and operator path.
    static func buildingRate() {
        let columns = 100_000, rows = 100_000, perRow = 10
        var generator = SeededGenerator(seed: 1)
        let pattern = (0..<rows * perRow).map { _ in Int(generator.next() % UInt64(columns)) }
        let coefficients = (0..<rows * perRow).map { Double($0 % 7) + 1 }

        let bulkSeconds = seconds {
            var model = Model(name: "bulk")
            for _ in 0..<columns { model.addVariable(lower: 0, upper: 1) }
            model.reserve(rows: rows, nonzeros: rows * perRow)
            var rowColumns = [Int](repeating: 0, count: perRow)
            var rowCoefficients = [Double](repeating: 0, count: perRow)
            for row in 0..<rows {
                for term in 0..<perRow {
                    rowColumns[term] = pattern[row * perRow + term]
                    rowCoefficients[term] = coefficients[row * perRow + term]
                }
                model.addConstraint(columns: rowColumns, coefficients: rowCoefficients, upper: 5)
            }
            precondition(model.nonzeroCount > 900_000)
        }
        let operatorSeconds = seconds {
            var model = Model(name: "operators")
            let x = (0..<columns).map { _ in model.addVariable(lower: 0, upper: 1) }
            for row in 0..<rows {
                let base = row * perRow
                var expression = coefficients[base] * x[pattern[base]]
                for term in 1..<perRow { expression = expression + coefficients[base + term] * x[pattern[base + term]] }
                model.addConstraint(expression <= 5)
            }
            precondition(model.nonzeroCount > 900_000)
        }
        let nonzeros = Double(rows * perRow)
        print(String(format: "build 1M nonzeros, bulk path:     %.3f s  (%.1f M nonzeros/s)", bulkSeconds, nonzeros / bulkSeconds / 1e6))
        print(String(format: "build 1M nonzeros, operator path: %.3f s  (%.1f M nonzeros/s)", operatorSeconds, nonzeros / operatorSeconds / 1e6))
    }

    /// One MPS file solved by our binding and by the program, side by side: wall-clock seconds,
    /// and CPU seconds (this process's for the binding, the child's for the program), the fair
    /// measure when other jobs share the machine. With several models, each comparison's totals
    /// over the set follow its per-model lines.
    static func solverComparison(only: String? = nil, models: [Model]) throws {
        var totals: [String: (ours: Double, theirs: Double, oursCPU: Double, theirsCPU: Double)] = [:]
        var labels: [String] = []
        for model in models {
            for (label, figures) in try solverComparison(only: only, model: model) {
                if totals[label] == nil { labels.append(label) }
                let sum = totals[label] ?? (0, 0, 0, 0)
                totals[label] = (sum.ours + figures.ours, sum.theirs + figures.theirs,
                                 sum.oursCPU + figures.oursCPU, sum.theirsCPU + figures.theirsCPU)
            }
        }
        guard models.count > 1 else { return }
        for label in labels {
            guard let total = totals[label] else { continue }
            print(String(format: "total over %d models, %@: wall %.2f s vs %.2f s, ratio %.2f; CPU %.2f s vs %.2f s, ratio %.2f",
                         models.count, label, total.ours, total.theirs, total.ours / total.theirs,
                         total.oursCPU, total.theirsCPU, total.oursCPU / total.theirsCPU))
        }
    }

    /// One model through each comparison; returns the seconds of each (binding, program), by label.
    static func solverComparison(only: String?, model: Model) throws -> [(String, (ours: Double, theirs: Double, oursCPU: Double, theirsCPU: Double))] {
        var measured: [(String, (ours: Double, theirs: Double, oursCPU: Double, theirsCPU: Double))] = []
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipebound-bench-mip-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("\(model.name).mps")
        try MPSWriter(model: model).text().write(to: file, atomically: true, encoding: .utf8)
        print("model \(model.name): \(model.variableCount) columns, \(model.constraintCount) rows, \(model.nonzeroCount) nonzeros")
        let comparisons: [(solver: String, program: String, arguments: [String])] = [
            ("cbc", "cbc", [file.path, "-preprocess", "off", "-solve", "-quit"]),
            ("cbc", "cbc", [file.path, "-solve", "-quit"]),
            ("glpk", "glpsol", ["--freemps", file.path, "--cuts"]),
        ]
        var bindingSeconds: [String: (wall: Double, cpu: Double, objective: Double?, nodes: Int)] = [:]
        for comparison in comparisons where only == nil || comparison.solver == only {
            if bindingSeconds[comparison.solver] == nil {
                let solver = try SolverCatalog.solver(named: comparison.solver)
                var result: SolveResult?
                let cpuBefore = cpuSeconds(children: false)
                let elapsed = try seconds { result = try solver.solve(model, options: SolveOptions(timeLimit: 120)) }
                bindingSeconds[comparison.solver] = (elapsed, cpuSeconds(children: false) - cpuBefore, result?.objective, result?.nodes ?? 0)
            }
            let ours = bindingSeconds[comparison.solver] ?? (.nan, .nan, nil, 0)
            guard let program = programPath(comparison.program) else {
                print("\(comparison.program) not installed; \(comparison.solver) binding \(String(format: "%.2f", ours.wall)) s")
                continue
            }
            let cpuBefore = cpuSeconds(children: true)
            let theirs = try seconds { try runProgram(program, comparison.arguments) }
            let theirsCPU = cpuSeconds(children: true) - cpuBefore
            let label = "\(comparison.solver) binding vs `\(comparison.program) \(comparison.arguments.dropFirst(comparison.program == "glpsol" ? 2 : 1).joined(separator: " "))`"
            print(String(format: "%@: wall %.2f s vs %.2f s, ratio %.2f; CPU %.2f s vs %.2f s, ratio %.2f (objective %@, %d nodes)", label,
                         ours.wall, theirs, ours.wall / theirs, ours.cpu, theirsCPU, ours.cpu / theirsCPU,
                         ours.objective.map { String($0) } ?? "none", ours.nodes))
            measured.append((label, (ours.wall, theirs, ours.cpu, theirsCPU)))
        }
        return measured
    }

    /// A weighted set cover that takes CBC a few seconds: 300 elements, 600 sets (seed 11: the benchmark model).
    static func benchmarkModel(seed: UInt64 = 11) -> Model {
        var generator = SeededGenerator(seed: seed)
        let elements = 300, sets = 600
        var model = Model(name: "set_cover_\(elements)_\(sets)" + (seed == 11 ? "" : "_seed\(seed)"))
        let chosen = (0..<sets).map { model.addBinary(name: "s\($0)", objective: Double(1 + generator.next() % 20)) }
        for element in 0..<elements {
            var members = (0..<sets).filter { _ in generator.nextUnit() < 0.02 }
            while members.count < 2 { members.append(Int(generator.next() % UInt64(sets))) }
            model.addConstraint(members.map { chosen[$0] }.sum() >= 1, name: "e\(element)")
        }
        return model
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now()
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// User plus system CPU seconds of this process, or of its waited-for children.
    static func cpuSeconds(children: Bool) -> Double {
        var usage = tms()
        _ = times(&usage)
        let ticks = children ? usage.tms_cutime + usage.tms_cstime : usage.tms_utime + usage.tms_stime
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func programPath(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func runProgram(_ path: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}
