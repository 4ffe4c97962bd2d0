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

    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let requested = arguments.isEmpty || arguments.first == "all" ? groups.map(\.name) : [arguments.removeFirst()]
        if arguments.first == "all" { arguments.removeFirst() }
        for name in requested {
            guard let group = groups.first(where: { $0.name == name }) else {
                FileHandle.standardError.write(Data("pipebound-bench: unknown group '\(name)'; groups: \(groups.map(\.name).joined(separator: ", ")), all\n".utf8))
                exit(2)
            }
            print("== \(name) ==")
            try group.run(arguments)
        }
    }
}
