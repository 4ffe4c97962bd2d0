import Foundation

/// `pipebound-bench [GROUP...]`: benchmark groups, each measuring ratios side by side in one run.
/// Groups: mip, partition, bounds, combinatorial, suite, wide, dnn, repair; `all` runs every group.
@main
enum BenchMain {
    static let groups: [(name: String, run: ([String]) throws -> Void)] = [
        ("mip", MIPBenchmarks.run),
        ("partition", PartitionBenchmarks.run),
        ("bounds", BoundBenchmarks.run),
        ("combinatorial", CombinatorialBenchmarks.run),
        ("suite", SuiteBenchmarks.run),
        ("wide", WideBenchmarks.run),
        ("dnn", DnnPartitioningBenchmarks.run),
        ("repair", RepairBenchmarks.run),
    ]

    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let requested = arguments.isEmpty || arguments.first == "all" ? groups.map(\.name) : [arguments.removeFirst()]
        if arguments.first == "all" { arguments.removeFirst() }
        for name in requested {
            guard let group = groups.first(where: { $0.name == name }) else {
                FileHandle.standardError.write(Data("pipebound-bench: unknown group '\(name)'; groups: \(groups.map(\.name).joined(separator: ", ")), all\n".utf8))
                exit(2)
            }
            print("== \(name) ==")
            do {
                try group.run(arguments)
            } catch {
                // A bad flag or a file that will not load: one line, exit code 2, never a trap.
                FileHandle.standardError.write(Data("pipebound-bench \(name): \(error)\n".utf8))
                exit(2)
            }
        }
    }
}
