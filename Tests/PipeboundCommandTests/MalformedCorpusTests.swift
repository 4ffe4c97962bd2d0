import Foundation
import XCTest

/// Every file of the malformed-input corpus: exit 2 and exactly one line on stderr naming the file.
final class MalformedCorpusTests: XCTestCase {
    func testEveryMalformedFileGivesExitTwoAndOneLine() throws {
        let directory = PipeboundBinary.fixture("malformed")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertGreaterThan(files.count, 10, "the corpus is missing")
        for file in files {
            let path = "\(directory)/\(file)"
            for command in [["certify", path, "--stages", "2", "--quiet"], ["evaluate", path, "--partition", path]] {
                let run = try PipeboundBinary.run(command, timeout: 60)
                XCTAssertEqual(run.status, 2, "\(command): \(run.stderr)")
                XCTAssertEqual(run.stderrLines.count, 1, "\(command): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains(file), "\(file): the message names the file: \(run.stderr)")
                XCTAssertEqual(run.stdout, "", file)
            }
        }
    }
}
