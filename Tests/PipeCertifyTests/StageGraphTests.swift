import Foundation
import PipeCertify
import PipeGraph
import XCTest

/// The stage graph (GraphPipe): stage-to-stage edges with their comm, and the graph-pipeline latency.
final class StageGraphTests: XCTestCase {
    /// Two independent branches a1 -> a2 and b1 -> b2, each split into two stages of equal cost:
    /// the branches run side by side, so one input takes two stage times, not four.
    func testTwoIndependentBranchesHalveTheLatency() throws {
        let nodes = ["a1", "a2", "b1", "b2"].map { Node(name: $0, work: 5, comm: 1) }
        let graph = try ComputationGraph(name: "branches", nodes: nodes, namedEdges: [("a1", "a2"), ("b1", "b2")])
        let partition = Partition(stageCount: 4, stageOf: [0, 1, 2, 3])
        let stageGraph = StageGraph(graph: graph, partition: partition)
        XCTAssertEqual(stageGraph.edges, [StageGraph.Edge(from: 0, to: 1, comm: 1), StageGraph.Edge(from: 2, to: 3, comm: 1)])
        // Every stage costs 5 + 1 (its comm in or out): the bottleneck is 6.
        XCTAssertEqual(graph.bottleneck(of: partition), 6)
        XCTAssertEqual(stageGraph.sequentialLatency, 24)
        XCTAssertEqual(stageGraph.graphLatency, 12)
        XCTAssertEqual(stageGraph.graphLatency, stageGraph.sequentialLatency / 2)
        XCTAssertEqual(stageGraph.criticalPath.count, 2)
    }

    /// A chain's stage graph is a path: the graph-pipeline latency is the sum of the stage costs.
    func testChainLatencyIsTheSumOfStageCosts() throws {
        let nodes = (0..<6).map { Node(name: "n\($0)", work: Double($0 + 1), comm: 0.5) }
        let graph = try ComputationGraph(name: "chain", nodes: nodes, namedEdges: (0..<5).map { ("n\($0)", "n\($0 + 1)") })
        let partition = Partition(stageCount: 3, stageOf: [0, 0, 1, 1, 2, 2])
        let stageGraph = StageGraph(graph: graph, partition: partition)
        let costs = graph.stageLoads(of: partition).map(\.cost)
        XCTAssertEqual(stageGraph.graphLatency, costs.reduce(0, +), accuracy: 1e-12)
        XCTAssertEqual(stageGraph.criticalPath, [0, 1, 2])
        XCTAssertEqual(stageGraph.edges.map(\.comm), [0.5, 0.5])
    }

    /// A producer feeding two consumers in one later stage counts once on that edge, as in f.
    func testProducerCountsOncePerReceivingStage() throws {
        let nodes = [Node(name: "p", work: 1, comm: 3), Node(name: "c1", work: 1), Node(name: "c2", work: 1), Node(name: "d", work: 1)]
        let graph = try ComputationGraph(name: "fan", nodes: nodes, namedEdges: [("p", "c1"), ("p", "c2"), ("p", "d")])
        let stageGraph = StageGraph(graph: graph, partition: Partition(stageCount: 3, stageOf: [0, 1, 1, 2]))
        XCTAssertEqual(stageGraph.edges, [StageGraph.Edge(from: 0, to: 1, comm: 3), StageGraph.Edge(from: 0, to: 2, comm: 3)])
    }

    /// Certificates carry the stage graph and read it back.
    func testCertificateCarriesTheStageGraph() throws {
        let nodes = ["a1", "a2", "b1", "b2"].map { Node(name: $0, work: 5, comm: 1) }
        let graph = try ComputationGraph(name: "branches", nodes: nodes, namedEdges: [("a1", "a2"), ("b1", "b2")])
        let certificate = Certificate(graph: graph, partition: Partition(stageCount: 4, stageOf: [0, 1, 2, 3]), upperMethod: "given",
                                      solver: "none", bounds: [], seconds: 0)
        let json = try CertificateRendering.json([certificate])
        XCTAssertTrue(json.contains("\"graph_latency\" : 12"), json)
        XCTAssertEqual(try CertificateFile.decode(Data(json.utf8), file: "x"), [certificate])
        XCTAssertTrue(CertificateRendering.table(certificate).contains("12 us as a stage graph"))
        XCTAssertTrue(StageGraphDrawing.dot(certificate, stageGraph: try XCTUnwrap(certificate.stageGraph)).contains("s0 -> s1"))
    }
}
