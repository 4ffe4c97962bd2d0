import Foundation
import MIP
import MIPSolvers
@testable import PipeCertify
import PipeGraph
import PipeImport
import PipeTestSupport
import XCTest

/// The exact MIP, the stage-cover and the merged-stages bounds on a second core beside the certify plan
/// (docs/certificate.md, "The second core").
final class SecondCoreTests: XCTestCase {
    /// Brute force (the exact MIP itself has its own in `SoundnessTests`): with the second core on, every
    /// certificate still has LB ≤ OPT ≤ UB, for both main backends (CBC's partner is GLPK, GLPK's is GLPK),
    /// on small random DAGs with groups and memory caps. The plan has no ideal DP (which would settle these
    /// graphs before the second core starts).
    func testCertificatesWithASecondCoreAreSoundAgainstBruteForce() throws {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("the second core needs two cores") }
        var secondCoreRecords = 0
        var portfolioRuns = 0
        var checked = 0
        for solverName in SolverCatalog.names {
            let solver = try SolverCatalog.solver(named: solverName)
            for seed in UInt64(1)...100 {
                let graph = Self.randomGraph(seed: seed, nodeCount: 6 + Int(seed % 3), edgeProbabilities: [0.2, 0.35, 0.5],
                                             commRange: 0...6, memoryCapFraction: 0.45)
                for stageCount in [2, 3] {
                    guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
                    var options = CertifyOptions(solver: solver, timeLimit: 10, seed: seed)
                    // Every other seed with a value search, before which the plan's own exact MIP moves when
                    // the second core runs the other backend's.
                    options.plan = [.bound(.combinatorial, budgetShare: 1), .partition(.slice),
                                    .bound(seed % 2 == 0 ? .valueSearch : .singleBlock, budgetShare: 0.5),
                                    .bound(.exact, budgetShare: 1)]
                    options.secondCoreSolver = SolverCatalog.concurrentPartner(of: solver)
                    let certified = try XCTUnwrap(Certifier(graph: graph, options: options).run(stageCounts: [stageCount]).first,
                                                  "\(solverName) seed \(seed) k=\(stageCount): no certificate")
                    let certificate = certified.certificate
                    let label = "\(solverName) seed \(seed) k=\(stageCount)"
                    Self.assertSound(certified, graph: graph, optimum: optimum, label)
                    // With CBC the plan's own exact MIP runs beside GLPK's on the second core (two backends, one
                    // MIP); with GLPK, whose partner is GLPK, the plan leaves its own out.
                    let exactRecords = certificate.bounds.filter { $0.method == "exact" }
                    let onSecondCore = exactRecords.filter { $0.detail?.hasPrefix("on a second core") == true }
                    XCTAssertLessThanOrEqual(onSecondCore.count, 1, label)
                    XCTAssertLessThanOrEqual(exactRecords.count - onSecondCore.count,
                                             onSecondCore.isEmpty || solverName == "cbc" ? 1 : 0,
                                             "\(label): the plan's exact step ran beside the same backend's")
                    secondCoreRecords += onSecondCore.count
                    if onSecondCore.count == 1, exactRecords.count == 2 { portfolioRuns += 1 }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 300)
        // Where the slicing DP's partition is already proved optimal the second core never starts.
        XCTAssertGreaterThan(secondCoreRecords, 60)
        // The target reached by one of the two ends the other, so not every CBC run has both records.
        XCTAssertGreaterThan(portfolioRuns, 20, "runs with both exact records")
    }

    /// Brute force for the stage-cover bound on the second core: comm-heavy 6- to 8-node DAGs at k = 3 (the cover
    /// bound's stage count lowered to it), where the bound often rises above the cut bounds; every certificate
    /// has LB ≤ OPT ≤ UB, for both main backends.
    func testCertificatesWithTheCoverBoundOnASecondCoreAreSoundAgainstBruteForce() throws {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("the second core needs two cores") }
        // With n ≤ k nodes the covering LP never needs more than k stages, so the test lowers the stage count
        // from which the second core runs the cover bound to the one it checks.
        let stageCount = 3
        var coverRecords = 0
        var raised = 0
        let checked = try Self.certifySmallCommHeavyGraphs(stageCount: stageCount) { options in
            options.secondCoreCoverStageCount = stageCount
        } inspect: { bounds, _ in
            let cover = bounds.filter { $0.method == "stage-cover" && $0.detail?.hasPrefix("on a second core") == true }
            let cuts = bounds.first { $0.method == "cuts" }?.value ?? 0
            coverRecords += cover.count
            if let value = cover.first?.value, value > cuts * (1 + 1e-6) { raised += 1 }
        }
        XCTAssertGreaterThanOrEqual(checked, 150)
        XCTAssertGreaterThan(coverRecords, 50, "runs where the second core ran the cover bound")
        XCTAssertGreaterThan(raised, 10, "runs where the cover bound rose above the cut bounds")
    }

    /// A medium wide graph where nothing settles quickly: the run keeps its time limit with both cores busy,
    /// the second core's record is there and names its backend, and the plan's own exact MIP (CBC) ran
    /// before the value search.
    func testCertifyWithASecondCoreEndsByItsTimeLimit() throws {
        let bounds = try certifyWideGraph(nodeCount: 150, width: 12, commRatio: 2, groupProbability: 0.2, seed: 4, stageCount: 4)
        let exact = bounds.filter { $0.method == "exact" }
        XCTAssertEqual(exact.count, 2, "\(bounds)")
        XCTAssertEqual(exact.filter { $0.detail?.hasPrefix("on a second core, with glpk") == true }.count, 1, "\(exact)")
        let plansOwn = try XCTUnwrap(bounds.firstIndex { $0.method == "exact" && $0.detail?.hasPrefix("on a second core") != true })
        let valueSearch = try XCTUnwrap(bounds.firstIndex { $0.method == "value-search" }, "\(bounds)")
        XCTAssertLessThan(plansOwn, valueSearch, "\(bounds)")
    }

    /// Brute force for the merged-stages bound on the second core (its stage counts lowered to k = 3, where the
    /// merged problem has 2 stages): comm-heavy 6- to 8-node DAGs with groups and memory caps; every certificate
    /// has LB ≤ OPT ≤ UB, for both main backends, and the bound's record is there (above L0 on some).
    func testCertificatesWithTheMergedStagesBoundOnASecondCoreAreSoundAgainstBruteForce() throws {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("the second core needs two cores") }
        let stageCount = 3
        var (mergedRecords, raised) = (0, 0)
        let checked = try Self.certifySmallCommHeavyGraphs(stageCount: stageCount) { options in
            options.secondCoreCover = false
            options.secondCoreMergedStageCounts = stageCount...stageCount
        } inspect: { bounds, label in
            let merged = bounds.filter { $0.method == "merged-stages" }
            XCTAssertLessThanOrEqual(merged.count, 1, label)
            let combinatorial = bounds.first { $0.method == "combinatorial" }?.value ?? 0
            mergedRecords += merged.count
            if let value = merged.first?.value, value > combinatorial * (1 + 1e-6) { raised += 1 }
        }
        XCTAssertGreaterThanOrEqual(checked, 150)
        XCTAssertGreaterThan(mergedRecords, 50, "runs where the second core ran the merged-stages bound")
        print("merged-stages on a second core: \(checked) certificates against OPT, \(mergedRecords) with the bound, above L0 on \(raised)")
        // The record's value starts from the bound the plan had proved when the second core began, so the count
        // moves with timing (21 to 36 seen in runs of this test).
        XCTAssertGreaterThan(raised, 10, "runs where the merged-stages bound rose above the combinatorial bound")
    }

    /// Brute force for the MIP neighbourhoods the plan runs after `lns` where the second core runs a bound (their stage
    /// count lowered to k = 4, where the second core runs the exact MIP on these graphs): comm-heavy 6- to 8-node DAGs
    /// with groups and memory caps; every certificate has LB ≤ OPT ≤ UB, for both main backends, and the plan's
    /// records are there, with the plan's backend. (On graphs this small `lns` leaves the MIPs nothing to better;
    /// `StageWindowNeighbourhoodTests` checks their partitions from the worst valid one.)
    func testCertificatesWithWindowMIPsInThePlanAreSoundAgainstBruteForce() throws {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("the second core needs two cores") }
        let stageCount = 4
        var (windowRecords, better) = (0, 0)
        let checked = try Self.certifySmallCommHeavyGraphs(stageCount: stageCount) { options in
            options.plan.insert(.partition(.lns), at: 2)
            options.planWindowMIPStageCount = stageCount
        } inspect: { bounds, label in
            let window = bounds.filter { $0.method == "window-mip" }
            XCTAssertLessThanOrEqual(window.count, 1, label)
            let solverName = label.prefix { $0 != " " }
            for record in window {
                XCTAssertTrue(record.detail?.hasPrefix("after lns, with \(solverName): ") == true, "\(label): \(record)")
                XCTAssertEqual(record.status, .found, label)
                windowRecords += 1
            }
            if let detail = window.first?.detail, !detail.hasSuffix(" 0 better") { better += 1 }
        }
        XCTAssertGreaterThanOrEqual(checked, 150)
        print("window MIPs in the plan: \(checked) certificates against OPT, \(windowRecords) with the step's record, \(better) with a better partition")
        XCTAssertGreaterThan(windowRecords, 30, "runs where the plan ran MIP neighbourhoods")
    }

    /// At eight stages on a 150-node comm-heavy graph, where the second core runs the stage-cover bound, the plan runs
    /// MIP neighbourhoods with its own backend (CBC) right after `lns`, and the run keeps its time limit.
    func testThePlanRunsWindowMIPsWhereTheSecondCoreRunsABound() throws {
        let bounds = try certifyWideGraph(nodeCount: 150, width: 12, commRatio: 2, groupProbability: 0.2, seed: 4, stageCount: 8)
        let window = bounds.filter { $0.method == "window-mip" }
        XCTAssertEqual(window.count, 1, "\(bounds)")
        XCTAssertEqual(window.first?.detail?.hasPrefix("after lns, with cbc: "), true, "\(window)")
        let lns = try XCTUnwrap(bounds.firstIndex { $0.method == "lns" && $0.detail?.hasPrefix("on a second core") != true }, "\(bounds)")
        let windowIndex = try XCTUnwrap(bounds.firstIndex { $0.method == "window-mip" })
        XCTAssertEqual(windowIndex, lns + 1, "\(bounds)")
    }

    /// At eight stages on a 350-node comm-heavy graph the second core runs the merged-stages bound (with GLPK) first:
    /// the run keeps its time limit, and the record names the backend and the merged problem.
    func testTheSecondCoreRunsTheMergedStagesBoundAtEightStages() throws {
        let bounds = try certifyWideGraph(nodeCount: 350, width: 20, commRatio: 3, groupProbability: 0, seed: 8, stageCount: 8)
        let merged = bounds.filter { $0.method == "merged-stages" }
        XCTAssertEqual(merged.count, 1, "\(bounds)")
        XCTAssertEqual(merged.first?.detail?.hasPrefix("on a second core, with glpk; the exact MIP at 4 stages"), true, "\(merged)")
    }

    /// At eight stages on a 150-node comm-heavy graph the second core runs the stage-cover bound (with GLPK)
    /// instead of the exact MIP: the run keeps its time limit, and the plan's own exact MIP (CBC) still runs.
    /// (The merged-stages bound, which would run first, is off here.)
    func testTheSecondCoreRunsTheCoverBoundAtManyStages() throws {
        let bounds = try certifyWideGraph(nodeCount: 150, width: 12, commRatio: 2, groupProbability: 0.2, seed: 4, stageCount: 8,
                                          mergedStagesOnSecondCore: false)
        let cover = bounds.filter { $0.method == "stage-cover" }
        XCTAssertEqual(cover.count, 1, "\(bounds)")
        XCTAssertEqual(cover.first?.detail?.hasPrefix("on a second core, with glpk"), true, "\(cover)")
        let exact = bounds.filter { $0.method == "exact" }
        XCTAssertEqual(exact.filter { $0.detail?.hasPrefix("on a second core") != true }.count, 1, "the plan's own exact step: \(bounds)")
    }

    /// Where the exact MIP is too large for the second core (350 nodes × 16 stages) and the cover bound is off,
    /// it searches instead: the run keeps its time limit, the plan's own exact MIP still runs, and every
    /// partition the second core found is recorded as `lns`.
    func testTheSecondCoreSearchesWhereTheExactMIPIsTooLarge() throws {
        let bounds = try certifyWideGraph(nodeCount: 350, width: 20, commRatio: 3, groupProbability: 0, seed: 8, stageCount: 16,
                                          coverOnSecondCore: false)
        let exact = bounds.filter { $0.method == "exact" }
        XCTAssertEqual(exact.count, 1, "the plan's own exact step: \(bounds)")
        XCTAssertFalse(exact.first?.detail?.hasPrefix("on a second core") ?? true, "\(exact)")
        for record in bounds where record.detail?.hasPrefix("on a second core, round") == true {
            XCTAssertEqual(record.method, "lns")
        }
        // The second core searches, so the plan leaves the MIP neighbourhoods to it.
        XCTAssertEqual(bounds.filter { $0.detail?.hasPrefix("after lns") == true }, [], "\(bounds)")
    }

    /// At up to eight stages the second core runs the exact MIP (GLPK) up to 8,000 nodes × stages (here
    /// 1,100 × 4, above the 4,000 of more stages); at eight stages the same graph (8,800) is too large for it,
    /// and the core searches.
    func testTheSecondCoreRunsTheExactMIPOnLargeGraphsAtFourStages() throws {
        let atFour = try certifyWideGraph(nodeCount: 1_100, width: 20, commRatio: 4, groupProbability: 0, seed: 16, stageCount: 4)
        let onSecondCore = atFour.filter { $0.detail?.hasPrefix("on a second core") == true }
        XCTAssertEqual(onSecondCore.map(\.method), ["exact"], "\(atFour)")
        XCTAssertEqual(onSecondCore.first?.detail?.hasPrefix("on a second core, with glpk;"), true, "\(onSecondCore)")
        let atEight = try certifyWideGraph(nodeCount: 1_100, width: 20, commRatio: 4, groupProbability: 0, seed: 16, stageCount: 8)
        XCTAssertEqual(atEight.filter { $0.detail?.hasPrefix("on a second core, with glpk") == true }, [], "\(atEight)")
    }

    /// A random DAG of `nodeCount` nodes whose shape varies with the seed: one of three edge probabilities, a memory
    /// cap on every fourth seed, colocation groups on every third.
    private static func randomGraph(seed: UInt64, nodeCount: Int, edgeProbabilities: [Double], commRange: ClosedRange<Double>,
                                    memoryCapFraction: Double) -> ComputationGraph {
        var options = RandomGraphs.Options()
        options.edgeProbability = edgeProbabilities[Int(seed % UInt64(edgeProbabilities.count))]
        options.commRange = commRange
        if seed % 4 == 1 { options.memoryRange = 1...10; options.memoryCapFraction = memoryCapFraction }
        if seed % 3 == 2 { options.groupProbability = 0.3 }
        return RandomGraphs.smallDAG(nodeCount: nodeCount, seed: seed, options: options)
    }

    /// Certifies comm-heavy 6- to 8-node DAGs (groups, memory caps; 100 seeds) at `stageCount` with a second core,
    /// for both main backends, with the cut bounds and the exact MIP as the plan and `configure`'s changes to the
    /// options; checks LB ≤ OPT ≤ UB against brute force and hands each certificate's records to `inspect`.
    /// Returns the number of certificates checked (instances without a valid partition are left out).
    private static func certifySmallCommHeavyGraphs(stageCount: Int, configure: (inout CertifyOptions) -> Void,
                                                    inspect: ([BoundRecord], String) -> Void) throws -> Int {
        var checked = 0
        for solverName in SolverCatalog.names {
            let solver = try SolverCatalog.solver(named: solverName)
            for seed in UInt64(1)...100 {
                let graph = randomGraph(seed: seed, nodeCount: 6 + Int(seed % 3), edgeProbabilities: [0.3, 0.45, 0.6],
                                        commRange: 2...12, memoryCapFraction: 0.3)
                guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: stageCount)?.bottleneck else { continue }
                var options = CertifyOptions(solver: solver, timeLimit: 10, seed: seed)
                options.plan = [.bound(.combinatorial, budgetShare: 1), .partition(.slice), .bound(.cuts, budgetShare: 1),
                                .bound(.exact, budgetShare: 1)]
                options.secondCoreSolver = SolverCatalog.concurrentPartner(of: solver)
                configure(&options)
                let certified = try XCTUnwrap(Certifier(graph: graph, options: options).run(stageCounts: [stageCount]).first,
                                              "\(solverName) seed \(seed): no certificate")
                let label = "\(solverName) seed \(seed) k=\(stageCount)"
                assertSound(certified, graph: graph, optimum: optimum, label)
                inspect(certified.certificate.bounds, label)
                checked += 1
            }
        }
        return checked
    }

    /// A valid partition behind the certificate, and LB ≤ OPT ≤ UB.
    private static func assertSound(_ certified: CertifiedPartition, graph: ComputationGraph, optimum: Double, _ label: String) {
        XCTAssertEqual(certified.problems(graph: graph), [], label)
        XCTAssertLessThanOrEqual(certified.certificate.lowerBound.value, optimum * (1 + 1e-9), label)
        XCTAssertGreaterThanOrEqual(certified.certificate.upperBound.value, optimum * (1 - 1e-9), label)
    }

    /// Certifies a wide layered graph with CBC and a second core at `--time-limit 4`, checks that it ends
    /// by the limit plus 2 s with a valid certificate, and returns the certificate's records.
    private func certifyWideGraph(nodeCount: Int, width: Int, commRatio: Double, groupProbability: Double, seed: UInt64,
                                  stageCount: Int, coverOnSecondCore: Bool = true,
                                  mergedStagesOnSecondCore: Bool = true) throws -> [BoundRecord] {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("the second core needs two cores") }
        let shape = SyntheticGraphs.WideLayeredShape(nodeCount: nodeCount, width: width, commRatio: commRatio,
                                                     memoryCapFraction: nil, groupProbability: groupProbability, seed: seed)
        let graph = try SyntheticGraphs.wideLayered(shape)
        var options = CertifyOptions(solver: try SolverCatalog.solver(named: "cbc"), timeLimit: 4)
        options.secondCoreSolver = SolverCatalog.concurrentPartner(of: options.solver)
        options.secondCoreCover = coverOnSecondCore
        options.secondCoreMergedStages = mergedStagesOnSecondCore
        let started = Date()
        let certified = try XCTUnwrap(Certifier(graph: graph, options: options).run(stageCounts: [stageCount]).first)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertLessThan(seconds, 4 + 2, "certify --time-limit 4 took \(seconds) s")
        XCTAssertEqual(certified.problems(graph: graph), [])
        return certified.certificate.bounds
    }
}
