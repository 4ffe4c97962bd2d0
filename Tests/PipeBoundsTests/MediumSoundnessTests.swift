import Foundation
import MIP
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph
import PipePartition

/// Soundness where the MIPs do the work: random graphs of 15 to 40 nodes (narrow enough for the
/// exact DP over ideals to give the optimum, wide enough that the combinatorial bound does not
/// settle them), with comm/work ratios from 1e-3 to 1e3, some costs spanning 1e-7 to 1e7, colocation
/// groups and memory caps. Every MIP method and every value-search probe, on both backends, with the
/// DP shortcut off, must stay at or below the optimum (docs/formulations.md, "Tolerances").
///
/// The MIPs run under a node limit (deterministic, and the bound of a stopped solve must be sound
/// too). `PIPEBOUND_MEDIUM_SOUNDNESS=N` runs N instances per block instead of 30 and
/// `PIPEBOUND_MEDIUM_NODES=M` sets the node limit (default 20); each block prints the largest
/// relative excess (LB − OPT)/OPT it saw, and `PIPEBOUND_MEDIUM_VERBOSE=1` every bound with its time.
final class MediumSoundnessTests: XCTestCase {
    private static let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }
    private static let methods: [LowerBoundMethod] = [.exact, .singleBlock, .guessBlock, .valueSearch]
    private static let perBlock = ProcessInfo.processInfo.environment["PIPEBOUND_MEDIUM_SOUNDNESS"].flatMap(Int.init) ?? 30
    private static let verbose = ProcessInfo.processInfo.environment["PIPEBOUND_MEDIUM_VERBOSE"] != nil
    private static let nodeLimit = ProcessInfo.processInfo.environment["PIPEBOUND_MEDIUM_NODES"].flatMap(Int.init) ?? 20

    func testBlockA() throws { try check(block: 0) }
    func testBlockB() throws { try check(block: 1) }
    func testBlockC() throws { try check(block: 2) }
    func testBlockD() throws { try check(block: 3) }
    func testBlockE() throws { try check(block: 4) }

    private func check(block: UInt64) throws {
        XCTAssertEqual(Self.solvers.count, 2, "both backends must be available")
        var checked = 0
        var graphs = 0
        var skipped = 0
        var largestExcess = -Double.infinity
        var worst = ""
        let first = block * 100_000
        var seed = first
        while graphs < Self.perBlock {
            defer { seed += 1 }
            let graph = MediumGraphs.graph(seed: seed)
            let stageCount = 2 + Int(seed % 2)
            // The optimum by the exact DP, within count limits (deterministic) so that a debug build
            // stays quick; the few graphs with too many ideals (or no partition) are replaced by the next seeds.
            var limits = IdealDP.Limits()
            limits.idealCount = 20_000
            limits.transitionCount = 2_000_000
            let sliced = try? Partitioner.partition(graph, stageCount: stageCount, method: .slice)
            guard let exact = try? IdealDP.optimum(of: graph, stageCount: stageCount,
                                                   upperBound: sliced?.bottleneck ?? .infinity, limits: limits) else {
                skipped += 1
                continue
            }
            let optimum = exact.bottleneck
            XCTAssertEqual(graph.violations(of: exact.partition), [], "seed \(seed): the exact DP's partition")
            XCTAssertEqual(graph.bottleneck(of: exact.partition), optimum, accuracy: 1e-9 * optimum, "seed \(seed)")
            graphs += 1
            for solver in Self.solvers {
                for method in Self.methods {
                    // The default target (0.999): the value search's probes stop there, as in certify.
                    // Two seconds per method as well: CBC's root on a few seeds (100005, single-block)
                    // runs for minutes whatever the node limit. A bound must hold wherever a limit stops it.
                    var request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver,
                                               timeLimit: 2, nodeLimit: Self.nodeLimit)
                    // The MIPs and MIP probes are under test: no DP shortcut, no search probes.
                    request.idealCountLimit = 0
                    request.searchStepLimit = 0
                    let result = try LowerBounds.compute(method, request)
                    let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount) \(solver.name) \(method.rawValue) [\(result.detail)]"
                    let excess = (result.value - optimum) / optimum
                    if excess > largestExcess { largestExcess = excess; worst = label }
                    XCTAssertLessThanOrEqual(result.value, optimum, "\(label): bound \(result.value) above the optimum \(optimum)")
                    for probe in result.probes {
                        switch probe.verdict {
                        case .infeasible, .noWindows:
                            XCTAssertLessThan(probe.value, optimum, "\(label): probe at \(probe.value) called infeasible")
                        case .feasible:
                            let cost = try XCTUnwrap(probe.partitionCost, label)
                            XCTAssertLessThanOrEqual(cost, probe.value * (1 + 1e-9), "\(label): feasible probe at \(probe.value)")
                        default:
                            break
                        }
                    }
                    if let partition = result.partition {
                        XCTAssertEqual(graph.violations(of: partition), [], label)
                        XCTAssertGreaterThanOrEqual(graph.bottleneck(of: partition), optimum * (1 - 1e-12), label)
                    }
                    checked += 1
                    if Self.verbose { print(String(format: "%.2f s %@", result.seconds, label)) }
                }
            }
        }
        print(String(format: "medium soundness block %d: %d graphs (%d replaced: too many ideals or no partition), %d bounds, "
                     + "largest (LB − OPT)/OPT = %.3g at %@", Int(block), graphs, skipped, checked, largestExcess, worst))
    }
}

/// The medium random graphs of ``MediumSoundnessTests``: a topological sequence where each node
/// draws its producers from the few nodes before it (so the ideals stay few enough for the exact
/// DP), with costs drawn on a log scale.
enum MediumGraphs {
    static func graph(seed: UInt64) -> ComputationGraph {
        var random = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 17)
        func logUniform(_ low: Double, _ high: Double) -> Double {
            exp(log(low) + (log(high) - log(low)) * random.nextUnit())
        }
        let nodeCount = 15 + Int(random.next() % 26)
        let reach = 3 + Int(random.next() % 3)
        let commRatio = logUniform(1e-3, 1e3)
        let extreme = seed % 4 == 3
        var nodes: [Node] = []
        var edges: [(Int, Int)] = []
        for index in 0..<nodeCount {
            var work = 1 + 9 * random.nextUnit()
            var comm = commRatio * (0.2 + random.nextUnit())
            if extreme {
                work *= logUniform(1e-7, 1e7)
                comm *= logUniform(1e-7, 1e7)
            }
            if random.nextUnit() < 0.08 { comm = 0 }
            nodes.append(Node(name: "n\(index)", op: "Op", work: work, comm: comm, memory: (1 + 9 * random.nextUnit()).rounded()))
            guard index > 0 else { continue }
            let producerCount = 1 + Int(random.next() % 2)
            for _ in 0..<producerCount {
                let producer = index - 1 - Int(random.next() % UInt64(Swift.min(reach, index)))
                edges.append((producer, index))
            }
        }
        var stageMemory: Double? = nil
        if seed % 5 == 1 {
            let total = nodes.reduce(0) { $0 + $1.memory }
            stageMemory = Swift.max(total * 0.45, nodes.map(\.memory).max() ?? 1)
        }
        if seed % 3 == 2 {
            // Pairs of a node and one of its direct consumers with no other path between them.
            var group = 0
            var index = 0
            while index + 1 < nodeCount {
                if random.nextUnit() < 0.25, edges.contains(where: { $0 == (index, index + 1) }),
                   !edges.contains(where: { $0.1 == index + 1 && $0.0 != index && $0.0 > index }) {
                    nodes[index].group = "g\(group)"
                    nodes[index + 1].group = "g\(group)"
                    group += 1
                    index += 2
                } else {
                    index += 1
                }
            }
        }
        if let graph = try? ComputationGraph(name: "medium-\(seed)", nodes: nodes, edges: edges, stageMemory: stageMemory) {
            return graph
        }
        for index in nodes.indices { nodes[index].group = nil }
        return try! ComputationGraph(name: "medium-\(seed)", nodes: nodes, edges: edges, stageMemory: stageMemory)
    }
}
