import CGLPK
import CGLPKGuard
import Foundation
import MIP
import MIPSolvers
import XCTest

/// What the process around a solve relies on: silence, its SIGINT handler, concurrent
/// solves, and no GLPK error ending the process.
final class BackendSafetyTests: XCTestCase {
    let solvers: [any MIPSolver] = SolverCatalog.names.compactMap { try? SolverCatalog.solver(named: $0) }

    /// Runs `body` with file descriptors 1 and 2 sent to a file; returns what was written there.
    func capturedOutput(_ body: () throws -> Void) rethrows -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipebound-silence-\(getpid()).txt").path
        fflush(stdout); fflush(stderr)
        let savedOut = dup(1), savedError = dup(2)
        let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        dup2(file, 1); dup2(file, 2)
        defer {
            fflush(stdout); fflush(stderr)
            dup2(savedOut, 1); dup2(savedError, 2)
            close(file); close(savedOut); close(savedError)
        }
        try body()
        fflush(stdout); fflush(stderr)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    func testSilentSolvesPrintNothing() throws {
        let planted = HardModels.marketSplitWithPlantedSolution(rows: 3, columns: 20, seed: 4)
        let output = try capturedOutput {
            for solver in solvers {
                _ = try solver.solve(TextbookModels.knapsack().model, options: SolveOptions())
                _ = try solver.solve(TextbookModels.infeasible(), options: SolveOptions())
                _ = try solver.solve(TextbookModels.unbounded(), options: SolveOptions())
                _ = try solver.solve(TextbookModels.linearProgram().model, options: SolveOptions())
                _ = try solver.solve(planted.model, options: SolveOptions(nodeLimit: 3, mipStart: planted.start))
                _ = try solver.solve(HardModels.setCover(elements: 150, sets: 300, seed: 1), options: SolveOptions(timeLimit: 0.05))
            }
        }
        XCTAssertEqual(output, "")
        // And the capture works: verbose solves do print.
        let verbose = try capturedOutput {
            for solver in solvers { _ = try solver.solve(TextbookModels.knapsack().model, options: SolveOptions(verbosity: .normal)) }
        }
        XCTAssertTrue(verbose.contains("Cbc") || verbose.contains("CBC"), verbose)
        XCTAssertTrue(verbose.contains("tree is empty"), verbose)
    }

    func testSolvesLeaveTheSIGINTHandlerAlone() throws {
        let handler: @convention(c) (Int32) -> Void = { _ in }
        let previous = signal(SIGINT, handler)
        defer { signal(SIGINT, previous) }
        for solver in solvers {
            _ = try solver.solve(HardModels.setCover(elements: 80, sets: 120, seed: 2), options: SolveOptions())
            let current = signal(SIGINT, handler)
            XCTAssertEqual(unsafeBitCast(current, to: Int.self), unsafeBitCast(handler, to: Int.self), solver.name)
        }
    }

    func testConcurrentSolvesGiveTheSequentialAnswers() throws {
        let models = (1...8).map { HardModels.setCover(elements: 80, sets: 160, seed: UInt64($0)) }
        for solver in solvers {
            let sequential = try models.map { try solver.solve($0, options: SolveOptions()).objective }
            let results = ResultSlots(count: models.count)
            DispatchQueue.concurrentPerform(iterations: models.count * 2) { index in
                let result = try? solver.solve(models[index % models.count], options: SolveOptions())
                results.set(index % models.count, result?.objective)
            }
            XCTAssertEqual(results.values, sequential, solver.name)
        }
        XCTAssertTrue(try SolverCatalog.solver(named: "glpk").supportsConcurrentSolves)
        XCTAssertFalse(try SolverCatalog.solver(named: "cbc").supportsConcurrentSolves)
    }

    func testGLPKErrorsReturnInsteadOfAborting() throws {
        // A row naming its one column twice is a GLPK error (abort() without the guard): loaded by
        // columns, that column is longer than the row count.
        var storage: [UnsafeMutableRawPointer] = []
        defer { storage.forEach { $0.deallocate() } }
        func buffer<Element>(_ values: [Element]) -> UnsafeMutablePointer<Element> {
            let pointer = UnsafeMutablePointer<Element>.allocate(capacity: values.count)
            pointer.initialize(from: values, count: values.count)
            storage.append(UnsafeMutableRawPointer(pointer))
            return pointer
        }
        pb_glpk_route_output(0)
        var problem = PBGLPKProblem(
            columnCount: 1, rowCount: 1, rowStart: buffer([Int32(0), 2]), rowColumns: buffer([Int32(0), 0]), rowValues: buffer([1.0, 2.0]),
            columnLower: buffer([0.0]), columnUpper: buffer([1.0]), objective: buffer([1.0]), rowLower: buffer([-Double.infinity]),
            rowUpper: buffer([1.0]), columnIsInteger: buffer([UInt8(0)]), maximize: 0)
        XCTAssertNil(pb_glpk_create(&problem))
        XCTAssertTrue(String(cString: pb_glpk_last_output()).contains("glp_set_mat_col"), String(cString: pb_glpk_last_output()))
        // GLPK works again on this thread afterwards.
        let result = try XCTUnwrap(solvers.first { $0.name == "glpk" }).solve(TextbookModels.knapsack().model, options: SolveOptions())
        XCTAssertEqual(result.objective ?? .nan, 29, accuracy: 1e-9)
    }
}

/// Results written from concurrent solves.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Double?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Double?) { lock.lock(); slots[index] = value; lock.unlock() }
    var values: [Double?] { lock.lock(); defer { lock.unlock() }; return slots }
}
