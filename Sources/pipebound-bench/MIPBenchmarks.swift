/// Benchmarks of the MIP group (not built yet).
enum MIPBenchmarks {
    static func run(_ arguments: [String]) throws {
        print("(no MIP benchmarks yet)")
    }
}
