import XCTest
@testable import PipeBounds
import PipeGraph

/// The kept closure totals of a large graph are reused only for a graph with the same costs, edges and
/// groups: a graph differing in one node's work gets its own totals.
final class ClosureTotalsCacheTests: XCTestCase {
    func testKeptTotalsFollowTheGraph() throws {
        let count = ClosureTotals.sharingNodeCount
        // A chain: node i's ancestor work is the sum of works 0...i.
        func chain(lastWork: Double) throws -> ComputationGraph {
            let nodes = (0..<count).map { Node(name: "n\($0)", work: $0 == count - 1 ? lastWork : 1, comm: 1) }
            return try ComputationGraph(name: "chain", nodes: nodes, edges: (1..<count).map { ($0 - 1, $0) })
        }
        let first = try chain(lastWork: 1)
        XCTAssertEqual(ClosureTotals.shared(for: first).ancestorWork.last, Double(count))
        XCTAssertEqual(ClosureTotals.shared(for: first).ancestorWork.last, Double(count))
        let second = try chain(lastWork: 5)
        XCTAssertEqual(ClosureTotals.shared(for: second).ancestorWork.last, Double(count + 4))
        XCTAssertEqual(ClosureTotals.shared(for: second).ancestorWork, ClosureTotals(graph: second).ancestorWork)
    }
}
