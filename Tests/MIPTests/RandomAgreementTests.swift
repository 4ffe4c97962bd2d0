import Foundation
import MIP
import MIPSolvers
import PipeGraph
import XCTest

/// Seeded random pure-integer MIPs with small domains: both backends agree with brute force.
final class RandomAgreementTests: XCTestCase {
    /// A random model with 2–5 integer columns (domains of at most 4 values, some binary),
    /// 1–4 rows of every kind, a random sense and objective constant.
    static func randomModel(seed: UInt64) -> Model {
        var generator = SeededGenerator(seed: seed)
        func integer(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(generator.next() % UInt64(range.count)) }
        var model = Model(name: "random\(seed)")
        let columnCount = integer(2...5)
        for column in 0..<columnCount {
            if integer(0...3) == 0 {
                model.addBinary(name: "b\(column)")
            } else {
                let lower = integer(-2...1)
                model.addVariable(lower: Double(lower), upper: Double(lower + integer(0...3)), kind: .integer, name: "z\(column)")
            }
        }
        let point = (0..<columnCount).map { Double(integer(Int(model.columnLower[$0])...Int(model.columnUpper[$0]))) }
        for _ in 0..<integer(1...4) {
            var columns: [Int] = [], coefficients: [Double] = []
            for column in 0..<columnCount where integer(0...9) < 7 {
                columns.append(column)
                coefficients.append(Double(integer(-5...5)))
            }
            let activity = zip(columns, coefficients).reduce(0.0) { $0 + $1.1 * point[$1.0] }
            // Around a random point, so most models are feasible but not all.
            let shift = Double(integer(-3...2))
            switch integer(0...3) {
            case 0: model.addConstraint(columns: columns, coefficients: coefficients, upper: activity + shift)
            case 1: model.addConstraint(columns: columns, coefficients: coefficients, lower: activity - shift)
            case 2:
                let lower = activity + Double(integer(-1...1))
                model.addConstraint(columns: columns, coefficients: coefficients, lower: lower, upper: lower + Double(integer(0...2)) + 0.5)
            default:
                let value = activity + Double(integer(0...1))
                model.addConstraint(columns: columns, coefficients: coefficients, lower: value, upper: value)
            }
        }
        var objective = LinearExpression(constant: Double(integer(-3...3)))
        for column in 0..<columnCount { objective.add(Double(integer(-6...6)), Variable(index: column)) }
        if integer(0...1) == 0 { model.minimize(objective) } else { model.maximize(objective) }
        return model
    }

    /// Calls `body` with every integer point within the columns' bounds (feasible or not).
    static func forEachIntegerPoint(of model: Model, _ body: ([Double]) -> Void) {
        var point = (0..<model.variableCount).map { model.solverBounds(ofColumn: $0).lower }
        func visit(_ column: Int) {
            if column == model.variableCount { return body(point) }
            let bounds = model.solverBounds(ofColumn: column)
            var value = bounds.lower
            while value <= bounds.upper {
                point[column] = value
                visit(column + 1)
                value += 1
            }
        }
        visit(0)
    }

    /// The optimum by enumerating every integer point (nil: infeasible).
    static func bruteForceOptimum(_ model: Model) -> Double? {
        var best: Double?
        forEachIntegerPoint(of: model) { point in
            guard model.violation(of: point, tolerance: 1e-9) == nil else { return }
            let value = model.objectiveValue(at: point)
            if let current = best, model.sense == .minimize ? value >= current : value <= current { return }
            best = value
        }
        return best
    }

    func testBothBackendsMatchBruteForceOn300Models() throws {
        let solvers = try SolverCatalog.names.map { try SolverCatalog.solver(named: $0) }
        var feasibleCount = 0, infeasibleCount = 0
        for seed in 1...(Int(ProcessInfo.processInfo.environment["PB_RANDOM_MIPS"] ?? "") ?? 300) {
            let model = Self.randomModel(seed: UInt64(seed))
            let expected = Self.bruteForceOptimum(model)
            if expected == nil { infeasibleCount += 1 } else { feasibleCount += 1 }
            for solver in solvers {
                let result = try solver.solve(model, options: SolveOptions())
                let label = "\(solver.name) seed \(seed)"
                if let expected {
                    XCTAssertEqual(result.status, .optimal, label)
                    XCTAssertEqual(result.objective ?? .nan, expected, accuracy: 1e-6, label)
                    XCTAssertNil(model.violation(of: result.values), label)
                    // Soundness: the bound never passes the optimum.
                    if model.sense == .minimize {
                        XCTAssertLessThanOrEqual(result.bestBound, expected + 1e-6, label)
                    } else {
                        XCTAssertGreaterThanOrEqual(result.bestBound, expected - 1e-6, label)
                    }
                    // Within the pruning margin the backends leave below an incumbent (docs/mip.md).
                    XCTAssertEqual(result.bestBound, expected, accuracy: 1e-6 * (1 + Swift.abs(expected)), label)
                } else {
                    XCTAssertEqual(result.status, .infeasible, label)
                }
            }
        }
        // The generator must produce both kinds for the test to mean something.
        XCTAssertGreaterThan(feasibleCount, 100)
        XCTAssertGreaterThan(infeasibleCount, 20)
    }
}
