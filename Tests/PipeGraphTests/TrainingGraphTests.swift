import Foundation
import XCTest
import PipeGraph
import PipeImport
import PipeTestSupport

/// Training graphs (docs/graph-format.md, "Training graphs"): the backward flag in both formats, the
/// precedence edges, the violations, and the brute force against hand-checked cases.
final class TrainingGraphTests: XCTestCase {
    /// f1 → f2 forward; b2 → b1 backward; f1, b1 in class A and f2, b2 in class B; f2 → b2 (loss).
    private func twoLayers(backwardOnlyB1: Bool = false) throws -> ComputationGraph {
        let nodes = [
            Node(name: "f1", work: 2, comm: 1, group: "A"),
            Node(name: "f2", work: 3, comm: 1, group: "B"),
            Node(name: "b2", work: 4, comm: 2, group: "B", backward: true),
            Node(name: "b1", work: 5, comm: 0, group: backwardOnlyB1 ? nil : "A", backward: true),
        ]
        return try ComputationGraph(name: "two-layers", nodes: nodes, namedEdges: [("f1", "f2"), ("f2", "b2"), ("b2", "b1"), ("f1", "b1")])
    }

    func testBackwardNodesFollowTheirClassAndOnlyForwardEdgesOrder() throws {
        let graph = try twoLayers()
        XCTAssertTrue(graph.isTraining)
        XCTAssertEqual(graph.precedenceEdges.map { [$0.0, $0.1] }, [[0, 1]])
        XCTAssertEqual(graph.groupMembers, [[0, 3], [1, 2]])
        // Class A in stage 0, class B in stage 1: the backward edge b2 → b1 goes from stage 1 to 0, allowed.
        let split = Partition(stageCount: 2, stageOf: [0, 1, 1, 0])
        XCTAssertEqual(graph.violations(of: split), [])
        // f = work + comm out + comm in: stage 0 = 2 + 5 + c(f1) out + c(b2) in = 10; stage 1 = 3 + 4 + c(f1) in + c(b2) out = 10.
        XCTAssertEqual(graph.stageLoads(of: split).map(\.cost), [10, 10])
        XCTAssertEqual(ExhaustiveSearch.optimum(of: graph, stageCount: 2)?.bottleneck, 10)
        // The forward edge may not go back.
        XCTAssertTrue(graph.violations(of: Partition(stageCount: 2, stageOf: [1, 0, 0, 1])).contains(
            .backwardEdge(producer: "f1", producerStage: 1, consumer: "f2", consumerStage: 0)))
        XCTAssertEqual(ExhaustiveSearch.allPartitions(of: graph, stageCount: 2).count, 3)
    }

    func testBackwardOnlyClassIsPlacedAsTheMirrorOfTheForwardPass() throws {
        let graph = try twoLayers(backwardOnlyB1: true)
        // b2 → b1 touches b1's class (backward only): mirrored as b1 → b2.
        XCTAssertEqual(graph.precedenceEdges.map { [$0.0, $0.1] }, [[0, 1], [3, 2]])
        XCTAssertEqual(graph.violations(of: Partition(stageCount: 2, stageOf: [0, 1, 1, 0])), [])
        let wrong = graph.violations(of: Partition(stageCount: 2, stageOf: [0, 0, 0, 1]))
        XCTAssertEqual(wrong, [.backwardOnlyClassOrder(producer: "b2", producerStage: 0, consumer: "b1", consumerStage: 1)])
        XCTAssertTrue(wrong[0].description.contains("colour class without forward nodes"), wrong[0].description)
        // Every map the brute force lists is valid by the graph's rules, and the counts agree.
        let listed = ExhaustiveSearch.allPartitions(of: graph, stageCount: 3)
        var valid = 0
        for code in 0..<81 {
            let map = (0..<4).map { code / [1, 3, 9, 27][$0] % 3 }
            if graph.isValid(Partition(stageCount: 3, stageOf: map)) { valid += 1 }
        }
        XCTAssertEqual(listed.count, valid)
        XCTAssertTrue(listed.allSatisfy { graph.isValid($0) })
    }

    func testMirroredEdgesThatCloseACycleFuseTheClasses() throws {
        // f1 → f2 with classes A = {f1, b1x} and B = {f2}; x, y backward-only; b edges make A ≤ y ≤ ... ≤ A.
        let nodes = [
            Node(name: "f1", work: 1, group: "A"), Node(name: "f2", work: 1, group: "B"),
            Node(name: "b2", work: 1, group: "B", backward: true), Node(name: "x", work: 1, backward: true),
            Node(name: "b1", work: 1, group: "A", backward: true),
        ]
        // b2 → x mirrored: x ≤ B; x → b1 mirrored: A ≤ x. With A ≤ B from f1 → f2 nothing fuses.
        let graph = try ComputationGraph(name: "fuse", nodes: nodes, namedEdges: [("f1", "f2"), ("f2", "b2"), ("b2", "x"), ("x", "b1")])
        XCTAssertEqual(graph.groupMembers.count, 2)
        let cyclic = try ComputationGraph(name: "fuse", nodes: nodes + [Node(name: "y", work: 1, backward: true)],
                                          namedEdges: [("f1", "f2"), ("f2", "b2"), ("b1", "y"), ("y", "b2")])
        // b1 → y mirrored: y ≤ A; y → b2 mirrored: B ≤ y; with A ≤ B from f1 → f2, A, B and y fuse (x stays free).
        XCTAssertEqual(cyclic.groupMembers, [[0, 1, 2, 4, 5]])
        let listed = ExhaustiveSearch.allPartitions(of: cyclic, stageCount: 2)
        XCTAssertEqual(listed.count, 4)
        XCTAssertTrue(listed.allSatisfy { partition in
            cyclic.isValid(partition) && Set([0, 1, 2, 4, 5].map { partition.stageOf[$0] }).count == 1
        })
    }

    func testNativeFormatReadsAndWritesTheBackwardField() throws {
        let graph = try twoLayers()
        let text = String(decoding: try GraphFile.encode(graph), as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "\"backward\":true").count - 1, 2, text)
        let back = try GraphFile.decode(Data(text.utf8))
        XCTAssertEqual(back.nodes.map(\.backward), [false, false, true, true])
        XCTAssertEqual(back.precedenceEdges.map { [$0.0, $0.1] }, graph.precedenceEdges.map { [$0.0, $0.1] })
        // Without the field nothing changes: older files read as before, forward graphs are written as before.
        let plain = try ComputationGraph(name: "p", nodes: [Node(name: "a", work: 1), Node(name: "b", work: 1)], namedEdges: [("a", "b")])
        XCTAssertFalse(String(decoding: try GraphFile.encode(plain), as: UTF8.self).contains("backward"))
        XCTAssertThrowsError(try GraphFile.decode(Data(text.replacingOccurrences(of: "\"backward\":true", with: "\"backward\":3").utf8)))
    }

    func testDnnPartitioningImporterReadsIsBackwardNode() throws {
        let json = """
        {"maxSizePerFPGA": 100, "nodes": [
          {"id": 0, "fpgaLatency": 1, "colorClass": 0, "isBackwardNode": false},
          {"id": 1, "fpgaLatency": 2, "colorClass": 0, "isBackwardNode": true},
          {"id": 2, "fpgaLatency": 3, "isBackwardNode": 1}],
         "edges": [{"sourceId": 0, "destId": 1, "cost": 1}, {"sourceId": 1, "destId": 2, "cost": 1}]}
        """
        let graph = try DnnPartitioningImporter.decode(Data(json.utf8), name: "t")
        XCTAssertEqual(graph.nodes.map(\.backward), [false, true, true])
        XCTAssertThrowsError(try DnnPartitioningImporter.decode(Data(json.replacingOccurrences(of: "\"isBackwardNode\": 1", with: "\"isBackwardNode\": \"yes\"").utf8), name: "t")) {
            XCTAssertTrue("\($0)".contains("nodes[2].isBackwardNode"), "\($0)")
        }
    }

    func testRandomTrainingGraphsHaveBackwardOnlyClasses() {
        var mirrored = 0
        for seed in UInt64(0)..<20 {
            let graph = RandomGraphs.smallTrainingDAG(forwardCount: 5, seed: seed)
            XCTAssertTrue(graph.nodes.contains { $0.backward })
            if graph.precedenceEdges.contains(where: { graph.nodes[$0.0].backward }) { mirrored += 1 }
        }
        XCTAssertGreaterThan(mirrored, 3)
    }
}
