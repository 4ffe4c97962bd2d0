import MIP
import PipeImport
import MIPSolvers
import XCTest
@testable import PipeBounds
import PipeGraph
import PipeTestSupport

/// Checks that need no solver: windows and combinatorial bounds against every partition of small
/// graphs, and the MIP models against the partitions they must admit (so a correct solver's
/// bound can only be ≤ OPT).
final class WindowAndFormulationTests: XCTestCase {
    private struct Instance {
        let graph: ComputationGraph
        let stageCount: Int
        let partitions: [Partition]
        let costs: [Double]
        var optimum: Double { costs.min() ?? .infinity }
    }

    private func instances(count: Int, seedBase: UInt64) -> [Instance] {
        (0..<UInt64(count)).map { offset in
            let seed = seedBase + offset
            let graph = RandomGraphs.smallDAG(nodeCount: 3 + Int(seed % 5), seed: seed, options: TestSupport.options(seed: seed))
            let stageCount = 2 + Int(seed % 3)
            let partitions = ExhaustiveSearch.allPartitions(of: graph, stageCount: stageCount)
            return Instance(graph: graph, stageCount: stageCount, partitions: partitions,
                            costs: partitions.map { graph.bottleneck(of: $0) })
        }
    }

    func testEveryPartitionLiesInsideItsWindowsAndAboveTheCombinatorialBound() {
        var checked = 0
        for instance in instances(count: 600, seedBase: 1000) {
            let calculator = StageWindowCalculator(graph: instance.graph, stageCount: instance.stageCount)
            let bound = CombinatorialBound(graph: instance.graph, stageCount: instance.stageCount, windows: calculator)
            if instance.partitions.isEmpty { continue }
            XCTAssertLessThanOrEqual(bound.value, instance.optimum, "\(instance.graph.name) k=\(instance.stageCount): \(bound.detail)")
            for (partition, cost) in zip(instance.partitions, instance.costs) {
                guard let windows = calculator.windows(bottleneck: cost) else {
                    XCTFail("\(instance.graph.name): no windows at a reachable bottleneck \(cost)")
                    break
                }
                for node in 0..<instance.graph.nodeCount where !windows.allows(node, in: partition.stageOf[node]) {
                    XCTFail("\(instance.graph.name): node \(node) in stage \(partition.stageOf[node]) outside [\(windows.earliest[node]), \(windows.latest[node])] at T=\(cost)")
                }
            }
            checked += 1
        }
        print("windows and combinatorial bounds checked on \(checked) instances")
    }

    func testPathBoundIsTheLeastValueWithWindows() {
        for instance in instances(count: 40, seedBase: 3000) where !instance.partitions.isEmpty {
            let calculator = StageWindowCalculator(graph: instance.graph, stageCount: instance.stageCount)
            guard let path = calculator.pathBound() else { continue }
            XCTAssertNotNil(calculator.windows(bottleneck: path * (1 + 1e-7)), instance.graph.name)
            if path > 0 { XCTAssertNil(calculator.windows(bottleneck: path * (1 - 1e-6)), instance.graph.name) }
        }
    }

    /// Every valid partition, encoded as start values at T = its bottleneck, satisfies the prefix
    /// model windowed at that T, and decodes back to itself.
    func testPrefixModelAdmitsEveryPartitionAndDecodesIt() {
        for instance in instances(count: 60, seedBase: 5000) {
            let calculator = StageWindowCalculator(graph: instance.graph, stageCount: instance.stageCount)
            for (partition, cost) in zip(instance.partitions, instance.costs).prefix(40) {
                guard let windows = calculator.windows(bottleneck: cost) else { XCTFail("no windows"); continue }
                let formulation = PrefixFormulation(graph: instance.graph, stageCount: instance.stageCount, windows: windows,
                                                    scale: 3, lowerBound: 0, upperBound: cost)
                XCTAssertFalse(formulation.isTriviallyInfeasible)
                guard let values = formulation.startValues(for: partition, graph: instance.graph) else {
                    XCTFail("the partition leaves its windows"); continue
                }
                XCTAssertEqual(values[formulation.bottleneck.index] * 3, cost, accuracy: 1e-9)
                if let violation = TestSupport.firstViolation(formulation.model, values: values) {
                    XCTFail("\(instance.graph.name) k=\(instance.stageCount) \(partition.stageOf): \(violation)")
                }
                XCTAssertEqual(formulation.decode(values), partition)
            }
        }
    }

    /// A build stopped by its hook (a spent time limit) says so, so that the exact bound keeps its
    /// entry bound instead of solving a model without its comm terms; `bound --method exact` and
    /// certify then give the combinatorial bound, marked `limit`.
    func testStoppedPrefixBuildIsMarkedIncompleteAndNotSolved() throws {
        let graph = try SyntheticGraphs.generate(.layered, nodeCount: 600, seed: 3)
        let calculator = StageWindowCalculator(graph: graph, stageCount: 4)
        let windows = try XCTUnwrap(calculator.windows(bottleneck: graph.totalWork))
        let stopped = PrefixFormulation(graph: graph, stageCount: 4, windows: windows, scale: 1, shouldStop: { true })
        let full = PrefixFormulation(graph: graph, stageCount: 4, windows: windows, scale: 1)
        XCTAssertTrue(stopped.isIncomplete)
        XCTAssertFalse(full.isIncomplete)
        XCTAssertLessThan(stopped.model.constraintCount, full.model.constraintCount)
        let flag = StopFlag()
        flag.stop()
        let request = BoundRequest(graph: graph, stageCount: 4, solver: try SolverCatalog.solver(named: "glpk"), stopFlag: flag)
        let result = try LowerBounds.compute(.exact, request)
        XCTAssertEqual(result.status, .limit)
        XCTAssertEqual(result.value, try LowerBounds.compute(.combinatorial, request).value)
    }

    /// The in/out columns at their least feasible values make each stage row equal f(stage):
    /// the model's cost is the true cost, not just an upper estimate of it.
    func testPrefixModelStageRowsEqualTheStageCosts() {
        for instance in instances(count: 30, seedBase: 7000) {
            let calculator = StageWindowCalculator(graph: instance.graph, stageCount: instance.stageCount)
            for partition in instance.partitions.prefix(20) {
                let cost = instance.graph.bottleneck(of: partition)
                guard let windows = calculator.windows(bottleneck: cost),
                      case let formulation = PrefixFormulation(graph: instance.graph, stageCount: instance.stageCount,
                                                               windows: windows, scale: 1),
                      let values = formulation.startValues(for: partition, graph: instance.graph) else { continue }
                let loads = instance.graph.stageLoads(of: partition)
                for (stage, row) in formulation.stageRows.enumerated() {
                    let (columns, coefficients) = formulation.model.row(row)
                    var activity = 0.0
                    for (column, coefficient) in zip(columns, coefficients) where Int(column) != formulation.bottleneck.index {
                        activity += coefficient * values[Int(column)]
                    }
                    // Constants moved into the bound: upper = −(constant part).
                    let constant = -formulation.model.rowUpper[row.index]
                    XCTAssertEqual(activity + constant, loads[stage].cost, accuracy: 1e-9, "\(instance.graph.name) stage \(stage)")
                }
            }
        }
    }

    /// For each partition, the guess-block model for its first heavy stage admits (P, B, Q) with T = its bottleneck.
    func testGuessBlockModelAdmitsEveryPartition() throws {
        for instance in instances(count: 50, seedBase: 9000) {
            guard let best = instance.partitions.indices.min(by: { instance.costs[$0] < instance.costs[$1] }) else { continue }
            let upper = instance.costs[best]
            let context = try BoundSetup(BoundProblem(graph: instance.graph, stageCount: instance.stageCount,
                                                      incumbent: instance.partitions[best]))
            guard let windows = context.windowCalculator.windows(bottleneck: upper) else { XCTFail("no windows"); continue }
            for (partition, cost) in zip(instance.partitions, instance.costs) where cost <= upper {
                let loads = instance.graph.stageLoads(of: partition)
                let average = instance.graph.totalWork / Double(instance.stageCount)
                guard let guess = loads.firstIndex(where: { $0.work >= average }) else { XCTFail("no heavy stage"); continue }
                let model = GuessBlockBound.model(for: guess, context: context, windows: windows,
                                                  lower: context.lowerBound, upper: upper)
                var values = [Double](repeating: 0, count: model.variableCount)
                for node in 0..<instance.graph.nodeCount {
                    values[TestSupport.column(model, named: "p_\(node)")!] = partition.stageOf[node] < guess ? 1 : 0
                    values[TestSupport.column(model, named: "q_\(node)")!] = partition.stageOf[node] <= guess ? 1 : 0
                }
                let bottleneck = TestSupport.column(model, named: "T")!
                values[bottleneck] = Swift.max(cost, context.lowerBound) / context.scale
                TestSupport.completeAuxiliaries(model, values: &values, keep: [bottleneck])
                if let violation = TestSupport.firstViolation(model, values: values) {
                    XCTFail("\(instance.graph.name) k=\(instance.stageCount) guess \(guess) \(partition.stageOf): \(violation)")
                }
            }
        }
    }
}

/// A backend that must never be called (for tests that only build models).
struct NoSolver: MIPSolver {
    var name: String { "none" }
    func solve(_ model: Model, options: SolveOptions) throws -> SolveResult {
        throw ModelError("NoSolver cannot solve")
    }
}

/// The exported models are the ones the methods solve: valid, and admitting the optimum.
final class ModelExportTests: XCTestCase {
    func testEveryFormulationExportsAValidModel() throws {
        var options = RandomGraphs.Options()
        options.memoryRange = 1...5
        options.memoryCapFraction = 0.6
        options.groupProbability = 0.3
        let graph = RandomGraphs.smallDAG(nodeCount: 8, seed: 42, options: options)
        guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: 3) else { return XCTFail("no partition") }
        let problem = BoundProblem(graph: graph, stageCount: 3, incumbent: optimum.partition)
        for formulation in ExportedFormulation.allCases {
            let (model, scale) = try ModelExport.model(formulation, problem: problem, value: optimum.bottleneck, block: 2)
            XCTAssertNoThrow(try model.validate(), formulation.rawValue)
            XCTAssertGreaterThan(model.variableCount, 0, formulation.rawValue)
            XCTAssertGreaterThan(scale, 0)
        }
        XCTAssertThrowsError(try ModelExport.model(.guessBlock, problem: problem, block: 4))
        XCTAssertThrowsError(try ModelExport.model(.valueProbe, problem: problem, value: nil))
        // Far below the optimum the windows are empty: the probe needs no solver, and export says so.
        XCTAssertThrowsError(try ModelExport.model(.valueProbe, problem: problem, value: optimum.bottleneck / 100))
    }

    func testExactModelAcceptsTheIncumbentAsStart() throws {
        for seed in 0..<20 as Range<UInt64> {
            let graph = RandomGraphs.smallDAG(nodeCount: 7, seed: seed, options: TestSupport.options(seed: seed))
            guard let optimum = ExhaustiveSearch.optimum(of: graph, stageCount: 3) else { continue }
            let context = try BoundSetup(BoundProblem(graph: graph, stageCount: 3, incumbent: optimum.partition))
            let windows = try XCTUnwrap(context.windowCalculator.windows(bottleneck: context.upperBound))
            let formulation = PrefixFormulation(graph: graph, stageCount: 3, windows: windows, scale: context.scale,
                                                lowerBound: Swift.min(context.lowerBound, optimum.bottleneck), upperBound: context.upperBound)
            let start = try XCTUnwrap(formulation.startValues(for: optimum.partition, graph: graph))
            XCTAssertNil(TestSupport.firstViolation(formulation.model, values: start, tolerance: 1e-7), "seed \(seed)")
            XCTAssertNoThrow(try formulation.model.validate(mipStart: start))
        }
    }
}
