import MIP
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph

final class DebugTests: XCTestCase {
    func testTiming() throws {
        for name in ["cbc", "glpk"] {
            let solver = try SolverCatalog.solver(named: name)
            for method in [LowerBoundMethod.exact, .singleBlock, .guessBlock, .valueSearch] {
                let start = Date()
                var solves = 0
                for seed in 0..<20 as Range<UInt64> {
                    let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % 6), seed: seed, options: TestSupport.options(seed: seed))
                    let r = try LowerBounds.compute(method, BoundRequest(graph: graph, stageCount: 2 + Int(seed % 3), solver: solver, targetRatio: 1))
                    solves += max(1, r.probes.count)
                }
                print(name, method, Date().timeIntervalSince(start), solves)
            }
        }
    }
}
