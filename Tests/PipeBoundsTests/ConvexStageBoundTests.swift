import Foundation
import MIP
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// The convex-stage bound against brute force, on 1,000 random DAGs (4 to 8 nodes, k = 2 to 5; groups on half,
/// a third of those not convex as given, memory caps on a third, comm-heavy on a third) and both backends:
/// for every group and every node outside one, the bound's value equals the least f(S) over the stages S
/// holding it (every node set enumerated: convex, groups whole, within the cap), and the method's bound is
/// ≤ OPT. On half of the seeds every set goes through the MIP, not only those the minimum cut gets wrong.
final class ConvexStageBoundTests: XCTestCase {
    private static let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }

    static func options(seed: UInt64) -> RandomGraphs.Options {
        var options = RandomGraphs.Options()
        options.edgeProbability = [0.25, 0.4, 0.55][Int(seed % 3)]
        options.commRange = seed % 3 == 0 ? 5...30 : 0...6
        if seed % 3 == 1 {
            options.memoryRange = 1...10
            options.memoryCapFraction = [0.35, 0.5, 0.7][Int((seed / 3) % 3)]
        }
        if seed % 2 == 0 { options.groupProbability = 0.35 }
        if seed % 6 == 4 { options.allowNonConvexGroups = true }
        return options
    }

    /// The cheapest stage holding each node (so its group), by enumerating every node set.
    static func cheapestStage(of graph: ComputationGraph) -> [Double] {
        var cheapest = [Double](repeating: .infinity, count: graph.nodeCount)
        for mask in 1..<(1 << graph.nodeCount) {
            let members = (0..<graph.nodeCount).filter { mask & (1 << $0) != 0 }
            guard graph.isStage(members) else { continue }
            let cost = graph.stageCost(of: members)
            for member in members { cheapest[member] = Swift.min(cheapest[member], cost) }
        }
        return cheapest
    }

    /// Seed 103,282 of the generator above (6 nodes, a memory cap, the group {3, 5}): with OpenBLAS's SkylakeX
    /// kernels behind Clp, CBC's probing cuts cross a column's bounds on the stage MIP around {3, 5}, and Clp's
    /// assertion `lowerValue <= upperValue` used to abort the whole process (docs/mip.md, "Assertions inside
    /// CBC and Clp"). The solve must end instead, as an error naming the assertion (with other kernels CBC solves
    /// it), every least stage cost must stay at most the enumerated one, and CBC must go on solving afterwards.
    /// ``testClpAssertionUnderTheKernelThatTriggersIt`` runs this test with those kernels.
    func testClpAssertionEndsTheSolveNotTheProcess() throws {
        let seed: UInt64 = 103_282
        let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % 5), seed: seed, options: Self.options(seed: seed))
        let solver = try SolverCatalog.solver(named: "cbc")
        let scale = Swift.max(1, CombinatorialBound(graph: graph, stageCount: 2 + Int((seed / 5) % 4)).value)
        let cheapestStage = Self.cheapestStage(of: graph)
        var bound = ConvexStageBound(graph: graph, solver: solver, scale: scale)
        bound.trustsCutStages = false
        let model = bound.stageModel(holding: [3, 5])
        let (result, margin) = try SolverBound.solve(model, with: solver, options: SolveOptions())
        print("clp-assertion model: \(model.variableCount) columns, \(result.status)")
        if case .error(let message) = result.status {
            XCTAssertTrue(message.contains("lowerValue <= upperValue"), message)
        } else {
            let proven = try XCTUnwrap(SolverBound.provenBound(result, margin: margin, scale: scale))
            XCTAssertLessThanOrEqual(proven, cheapestStage[3])
        }
        for candidate in bound.candidates() {
            let value = try bound.leastStageCost(holding: candidate.members, enough: -.infinity, options: SolveOptions())
            XCTAssertLessThanOrEqual(value, cheapestStage[candidate.members[0]], "members \(candidate.members)")
        }
        let request = BoundRequest(graph: graph, stageCount: 2, solver: solver)
        XCTAssertNotEqual(try LowerBounds.compute(.convexStage, request).status, .failed)
        let optimum = try XCTUnwrap(ExhaustiveSearch.optimum(of: graph, stageCount: 2)?.bottleneck)
        XCTAssertLessThanOrEqual(try LowerBounds.compute(.exact, request).value, optimum)
    }

    /// Runs ``testClpAssertionEndsTheSolveNotTheProcess`` in a child process whose OpenBLAS uses its SkylakeX
    /// kernels (chosen when the library loads, hence the child), under which the assertion fires: the child must
    /// report the assertion as the solve's error and pass. Skipped on processors without AVX-512, which those
    /// kernels need.
    func testClpAssertionUnderTheKernelThatTriggersIt() throws {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        try XCTSkipUnless(cpuInfo.contains(" avx512f"), "OpenBLAS's SkylakeX kernels need AVX-512")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["PipeBoundsTests.ConvexStageBoundTests/testClpAssertionEndsTheSolveNotTheProcess"]
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = "SkylakeX"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, text)
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("Executed 1 test, with 0 failures"), text)
        let verdict = text.split(separator: "\n").first { $0.hasPrefix("clp-assertion model:") } ?? ""
        XCTAssertTrue(verdict.contains("error(") && verdict.contains("lowerValue <= upperValue"), text)
    }

    func testTheLeastStageCostMatchesEnumerationAndTheBoundIsSound() throws {
        XCTAssertEqual(Self.solvers.count, 2, "both backends must be available")
        var (checked, raised, solves, instances, aboveCuts) = (0, 0, 0, 0, 0)
        for seed in UInt64(21_000)..<UInt64(22_000) {
            let graph = RandomGraphs.smallDAG(nodeCount: 4 + Int(seed % 5), seed: seed, options: Self.options(seed: seed))
            let stageCount = 2 + Int((seed / 5) % 4)
            let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck
            let label = "seed \(seed) n=\(graph.nodeCount) k=\(stageCount)"
            let cheapestStage = Self.cheapestStage(of: graph)
            let containing = ContainingStageBound(graph: graph)
            for solver in Self.solvers {
                let scale = Swift.max(1, CombinatorialBound(graph: graph, stageCount: stageCount).value)
                var bound = ConvexStageBound(graph: graph, solver: solver, scale: scale)
                // On half the seeds every set goes through the MIP, so that its model meets enumeration everywhere.
                bound.trustsCutStages = seed % 2 == 1
                for candidate in bound.candidates() {
                    let expected = cheapestStage[candidate.members[0]]
                    guard expected.isFinite else { continue }
                    let value = try bound.leastStageCost(holding: candidate.members, enough: -.infinity, options: SolveOptions())
                    checked += 1
                    let where_ = "\(label) \(solver.name) members \(candidate.members): \(value) against \(expected)"
                    XCTAssertLessThanOrEqual(value, expected, where_)
                    XCTAssertGreaterThanOrEqual(value, expected * (1 - 1e-4), where_)
                    XCTAssertLessThanOrEqual(expected, candidate.ceiling * (1 + 1e-12), where_)
                    if value > containing.leastCost(holding: candidate.members) * (1 + 1e-6) { raised += 1 }
                }
                solves += bound.solves
                let request = BoundRequest(graph: graph, stageCount: stageCount, solver: solver)
                let result = try LowerBounds.compute(.convexStage, request)
                XCTAssertNotEqual(result.status, .failed, "\(label) \(solver.name)")
                if let optimum {
                    XCTAssertLessThanOrEqual(result.value, optimum, "\(label) \(solver.name) [\(result.detail)]")
                    let cuts = try LowerBounds.compute(.cuts, request)
                    if result.value > cuts.value * (1 + 1e-6) { aboveCuts += 1 }
                }
            }
            if optimum != nil { instances += 1 }
        }
        print("convex-stage: \(checked) least stage costs checked, \(raised) above the minimum cut, \(solves) MIPs; "
              + "\(instances) instances against OPT, above the cut bounds on \(aboveCuts)")
        // The check must reach the MIP: sets the cut gets wrong (a group's nodes in between, the memory cap).
        XCTAssertGreaterThan(raised, 100)
        XCTAssertGreaterThan(aboveCuts, 20)
    }
}
