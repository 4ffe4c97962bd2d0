import Foundation
import PipeBounds
import PipeGraph

/// Benchmarks of the Combinatorial group: the seconds the combinatorial bound L0 takes on seeded
/// layered graphs of growing size, split into its parts (closure totals, path bound, the rest),
/// to show how its time grows with n (it should stay near-linear: at most a few seconds at
/// 100,000 nodes in release). Flags: `--sizes 20000,100000`, `--stages 16`, `--width 200`.
enum CombinatorialBenchmarks {
    static func run(_ arguments: [String]) throws {
        setvbuf(stdout, nil, _IOLBF, 0)
        var sizes = [20_000, 100_000]
        var stageCount = 16
        var width = 200
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchError("\(flag) needs a value") }
            switch flag {
            case "--sizes": sizes = value.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            case "--stages": stageCount = Int(value) ?? stageCount
            case "--width": width = Int(value) ?? width
            default: throw BenchError("unknown flag \(flag)")
            }
        }
        print("combinatorial: layered graphs of width \(width), k = \(stageCount)")
        for size in sizes {
            let graph = try BenchGraphs.layered(nodeCount: size, width: width, seed: 1)
            let started = Date()
            let totals = ClosureTotals(graph: graph)
            let totalsSeconds = Date().timeIntervalSince(started)
            let calculator = StageWindowCalculator(graph: graph, stageCount: stageCount)
            let pathStarted = Date()
            let path = calculator.pathBound()
            let pathSeconds = Date().timeIntervalSince(pathStarted)
            let boundStarted = Date()
            let bound = CombinatorialBound(graph: graph, stageCount: stageCount)
            let boundSeconds = Date().timeIntervalSince(boundStarted)
            // A fingerprint of every total's bits, so that a faster version can be checked to give identical numbers.
            var fingerprint: UInt64 = 0
            for list in [totals.ancestorWork, totals.descendantWork, totals.ancestorMemory, totals.descendantMemory,
                         totals.ancestorSources, totals.descendantSinks] {
                for value in list { fingerprint = (fingerprint &* 1_099_511_628_211) ^ value.bitPattern }
            }
            print(String(format: "  n=%-7d E=%-7d closure totals %.2fs  path bound %.2fs  whole L0 %.2fs  L0 %.17g  path %.17g  totals fingerprint %016llx",
                         size, graph.edgeCount, totalsSeconds, pathSeconds, boundSeconds, bound.value, path ?? .nan, fingerprint))
        }
    }
}
