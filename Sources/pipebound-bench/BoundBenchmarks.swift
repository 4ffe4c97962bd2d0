/// Benchmarks of the Bound group (not built yet).
enum BoundBenchmarks {
    static func run(_ arguments: [String]) throws {
        print("(no Bound benchmarks yet)")
    }
}
