import MIP
import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// The `cuts` method (docs/formulations.md, "Boundary cuts" and "Containing-stage cuts", run as a step
/// of their own) against brute force on 1,000 random small DAGs with comm (a third comm-heavy), memory
/// caps and colocation groups: L0 ≤ the bound ≤ OPT, and it is deterministic. No solver is involved.
/// On training graphs the cuts are off, so the method returns L0 itself.
final class CutBoundsTests: XCTestCase {
    func testCutsMethodIsBetweenL0AndTheOptimum() throws {
        var raised = 0, checked = 0
        for seed in UInt64(14_000)..<UInt64(15_000) {
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 5), seed: seed, options: BoundaryCutBoundTests.options(seed: seed))
            let stageCount = 2 + Int((seed / 5) % 3)
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
            checked += 1
            let request = BoundRequest(graph: graph, stageCount: stageCount, solver: NoSolver())
            let combinatorial = try LowerBounds.compute(.combinatorial, request).value
            let cuts = try LowerBounds.compute(.cuts, request)
            let label = "seed \(seed) k=\(stageCount) [\(cuts.detail)]"
            XCTAssertEqual(cuts.status, .proved, label)
            XCTAssertGreaterThanOrEqual(cuts.value, combinatorial, label)
            XCTAssertLessThanOrEqual(cuts.value, optimum, label)
            XCTAssertEqual(try LowerBounds.compute(.cuts, request).value, cuts.value, label)
            if cuts.value > combinatorial * (1 + 1e-3) { raised += 1 }
        }
        print("cuts method: above L0 on \(raised) of \(checked) instances")
        XCTAssertGreaterThan(checked, 750)
        XCTAssertGreaterThan(raised, 75)
    }

    func testCutsAreOffOnTrainingGraphs() throws {
        for seed in UInt64(15_500)..<UInt64(15_700) {
            let graph = RandomGraphs.smallTrainingDAG(forwardCount: 3 + Int(seed % 3), seed: seed)
            let request = BoundRequest(graph: graph, stageCount: 2 + Int(seed % 3), solver: NoSolver())
            let combinatorial = try LowerBounds.compute(.combinatorial, request).value
            let cuts = try LowerBounds.compute(.cuts, request)
            XCTAssertEqual(cuts.value, combinatorial, "seed \(seed) [\(cuts.detail)]")
            if let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: request.stageCount)?.bottleneck {
                XCTAssertLessThanOrEqual(cuts.value, optimum, "seed \(seed)")
            }
        }
    }
}
