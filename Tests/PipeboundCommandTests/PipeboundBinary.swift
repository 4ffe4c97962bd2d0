import Foundation
import XCTest

/// Runs the built `pipebound` executable, as a user would, and captures what it prints.
enum PipeboundBinary {
    /// What one run printed and returned.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double

        /// The non-empty lines of stderr.
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// The package's root directory (this file is Tests/PipeboundCommandTests/PipeboundBinary.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable: next to the test bundle (same configuration: `make test` builds the tests in release), else
    /// .build/debug.
    static func executable() throws -> URL {
        // In the release test build Bundle(for:) did not lead to the products directory (every end-to-end test fell
        // back to .build/debug and skipped), so the runner's own executable is asked first.
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent(),
                          Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()]
        for directory in candidates.compactMap({ $0 }) {
            let besideTests = directory.appendingPathComponent("pipebound")
            if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        }
        let debug = packageRoot.appendingPathComponent(".build/debug/pipebound")
        guard FileManager.default.isExecutableFile(atPath: debug.path) else {
            throw XCTSkip("build the executable first (swift build): \(debug.path) is missing")
        }
        return debug
    }

    /// A product of the release build (`make release`), if that build is newer than every source
    /// file. One `swift build -c release` builds every product, so the freshness of `pipebound`
    /// vouches for its siblings. Otherwise the test is skipped, saying why, or fails when
    /// `PIPEBOUND_REQUIRE_RELEASE` is set (`make test` sets it after building the release first).
    static func releaseBuild(_ product: String = "pipebound") throws -> URL {
        let release = packageRoot.appendingPathComponent(".build/release")
        let marker = release.appendingPathComponent("pipebound")
        let binary = release.appendingPathComponent(product)
        func unusable(_ reason: String) -> Error {
            ProcessInfo.processInfo.environment["PIPEBOUND_REQUIRE_RELEASE"] != nil
                ? ReleaseBuildMissing(reason: reason) : XCTSkip(reason)
        }
        guard FileManager.default.isExecutableFile(atPath: marker.path),
              FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw unusable("needs the release build (make release): \(binary.path) is missing")
        }
        func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        let built = modified(marker.path) ?? .distantPast
        let sources = packageRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        if let newer = files.first(where: { (modified(sources.appendingPathComponent($0).path) ?? .distantPast) > built }) {
            throw unusable("the release build is older than Sources/\(newer): run make release (make test does)")
        }
        return binary
    }

    /// Why a release-build test could not run where it must (`PIPEBOUND_REQUIRE_RELEASE`).
    struct ReleaseBuildMissing: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// A fixture path under Fixtures/.
    static func fixture(_ relative: String) -> String {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// Runs `pipebound arguments…` in the package root; kills it after `timeout` seconds.
    /// `signalAfter` sends SIGINT that many seconds after the start.
    /// `executable` replaces the default binary (say, the release build).
    static func run(_ arguments: [String], timeout: Double = 120, signalAfter: Double? = nil,
                    directory: URL? = nil, input: String? = nil, executable chosen: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try chosen ?? executable()
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // `input` names a file fed to stdin (repair --batch); otherwise stdin is empty.
        process.standardInput = input.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
        let outData = DataBox(), errData = DataBox()
        // Threads of their own, not the global dispatch queue: on a 2-core machine the two blocking
        // reads can occupy its workers, and a signal scheduled there was sent only after the run ended.
        let group = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            Thread {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }.start()
        }
        let started = Date()
        try process.run()
        if let signalAfter {
            // Sent once: a lost signal must fail the test (OpenBLAS's worker thread once swallowed it).
            Thread {
                Thread.sleep(forTimeInterval: signalAfter)
                if process.isRunning { kill(process.processIdentifier, SIGINT) }
            }.start()
        }
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        group.wait()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                   stderr: String(decoding: errData.data, as: UTF8.self), seconds: Date().timeIntervalSince(started))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipebound-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private final class Marker {}
    private final class DataBox: @unchecked Sendable { var data = Data() }
}
