/// Benchmarks of the Suite group (not built yet).
enum SuiteBenchmarks {
    static func run(_ arguments: [String]) throws {
        print("(no Suite benchmarks yet)")
    }
}
