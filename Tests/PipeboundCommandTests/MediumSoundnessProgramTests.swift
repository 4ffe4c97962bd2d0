import Foundation
import XCTest

/// The medium soundness check on 500 graphs (docs/formulations.md, "Tolerances"): every MIP lower
/// bound and probe, on both backends, against the exact optimum, in the release program
/// `pipebound-soundness` (in a debug build the exact DP alone would take most of `make test`'s
/// budget). Two processes, one per core, two blocks each; `PIPEBOUND_MEDIUM_SOUNDNESS=N` sets the
/// graphs per block (default 125). The in-process `MediumSoundnessTests` run a few more graphs
/// through the same check in the test build.
final class MediumSoundnessProgramTests: XCTestCase {
    private static let perBlock = ProcessInfo.processInfo.environment["PIPEBOUND_MEDIUM_SOUNDNESS"].flatMap(Int.init) ?? 125

    func testFiveHundredMediumGraphsOnBothBackends() throws {
        let binary = try PipeboundBinary.releaseBuild("pipebound-soundness")
        let shards = [["0", "1"], ["2", "3"]]
        var runs = [PipeboundBinary.Run?](repeating: nil, count: shards.count)
        var errors = [Error?](repeating: nil, count: shards.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: shards.count) { shard in
            do {
                let run = try PipeboundBinary.run(["--blocks"] + shards[shard] + ["--graphs", String(Self.perBlock)],
                                                  timeout: 1800, executable: binary)
                lock.withLock { runs[shard] = run }
            } catch {
                lock.withLock { errors[shard] = error }
            }
        }
        var graphs = 0
        for (shard, run) in runs.enumerated() {
            if let error = errors[shard] { throw error }
            let run = try XCTUnwrap(run)
            print(run.stdout, terminator: "")
            XCTAssertEqual(run.status, 0, "shard \(shard): \(run.stderr)\n\(run.stdout)")
            for line in run.stdout.split(separator: "\n") where line.hasPrefix("medium soundness block") {
                // "medium soundness block B (S s): N graphs (…), M bounds, F failures, …"
                let afterColon = line.split(separator: ":", maxSplits: 1).last ?? ""
                graphs += Int(afterColon.split(separator: " ").first ?? "") ?? 0
                XCTAssertTrue(line.contains(" 0 failures"), String(line))
            }
        }
        XCTAssertEqual(graphs, shards.joined().count * Self.perBlock, "every block reports its graphs")
    }
}
