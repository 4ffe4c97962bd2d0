/// Benchmarks of the Partition group (not built yet).
enum PartitionBenchmarks {
    static func run(_ arguments: [String]) throws {
        print("(no Partition benchmarks yet)")
    }
}
