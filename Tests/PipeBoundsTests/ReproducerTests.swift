import Foundation
import MIP
import MIPSolvers
import XCTest
import PipeBounds
import PipeGraph
import PipeImport

/// The medium graphs on which solver tolerances once made a `proved` bound exceed the cost of a
/// valid partition (Fixtures/repro/README.md): every MIP method on both backends must now stay at or
/// below that cost. Node limits, not clocks, keep the runs deterministic.
final class ReproducerTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/repro")

    func testM8() throws { try check("m8", overshot: [("cbc", .singleBlock)]) }
    func testM20() throws { try check("m20", overshot: [("cbc", .exact)]) }
    func testM27() throws { try check("m27", overshot: [("cbc", .singleBlock)]) }
    func testM40() throws { try check("m40", overshot: [("cbc", .exact), ("cbc", .guessBlock), ("glpk", .guessBlock)]) }
    func testM53() throws { try check("m53", overshot: [("glpk", .exact)]) }

    /// Every method on both backends under a small node limit, and the pairs that once overshot
    /// (`overshot`) under a larger one, as deep as the two-second runs that found them went.
    private func check(_ name: String, overshot: [(String, LowerBoundMethod)]) throws {
        let graph = try ModelLoader.load(path: Self.root.appendingPathComponent("\(name).json").path)
        let partition = try Self.partition(named: "\(name)_k2_partition.json", on: graph)
        XCTAssertEqual(graph.violations(of: partition), [])
        let cost = graph.bottleneck(of: partition)
        var runs: [(String, LowerBoundMethod, Int)] = overshot.map { ($0.0, $0.1, 5_000) }
        for solverName in SolverCatalog.names {
            for method in [LowerBoundMethod.exact, .singleBlock, .guessBlock, .valueSearch] { runs.append((solverName, method, 500)) }
        }
        for (solverName, method, nodeLimit) in runs {
            let solver = try SolverCatalog.solver(named: solverName)
            var request = BoundRequest(graph: graph, stageCount: 2, solver: solver, nodeLimit: nodeLimit, targetRatio: 1)
            request.usesIdealDP = false
            let result = try LowerBounds.compute(method, request)
            XCTAssertLessThanOrEqual(result.value, cost, "\(name) \(solverName) \(method.rawValue) node limit \(nodeLimit): "
                                     + "\(result.value) [\(result.status.rawValue)] above a partition costing \(cost); \(result.detail)")
        }
    }

    /// A `{"node": stage}` map as a partition of `graph` into two stages.
    private static func partition(named file: String, on graph: ComputationGraph) throws -> Partition {
        let data = try Data(contentsOf: root.appendingPathComponent(file))
        let map = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Int])
        var stageOf = [Int](repeating: 0, count: graph.nodeCount)
        for (name, stage) in map { stageOf[try XCTUnwrap(graph.indexByName[name], name)] = stage }
        return Partition(stageCount: 2, stageOf: stageOf)
    }
}
