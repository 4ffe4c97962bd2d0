import Foundation
import PipeCertify
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows certify progress on stderr: one line redrawn in place on a terminal (refreshed a few
/// times a second so the clock moves during long solves), plain lines otherwise (logs, CI).
public final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal: Bool
    private var latest: CertifyStatus?
    private var latestAt = Date()
    private var timer: DispatchSourceTimer?
    private var drewLiveLine = false

    /// A printer for stderr; `live` overrides terminal detection (nil: ask isatty).
    public init(live: Bool? = nil) {
        isTerminal = live ?? (isatty(STDERR_FILENO) == 1)
        if isTerminal {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
            timer.schedule(deadline: .now() + 0.25, repeating: 0.25)
            timer.setEventHandler { [weak self] in self?.redraw() }
            timer.resume()
            self.timer = timer
        }
    }

    deinit { timer?.cancel() }

    /// Records a status; prints it at once on a plain stream.
    public func show(_ status: CertifyStatus) {
        lock.lock()
        latest = status
        latestAt = Date()
        lock.unlock()
        if isTerminal {
            redraw()
        } else {
            write(Self.line(for: status) + "\n")
        }
    }

    /// Ends the live line so later output starts on a fresh line, and stops refreshing.
    public func finish() {
        timer?.cancel()
        timer = nil
        lock.lock()
        let needsNewline = drewLiveLine
        drewLiveLine = false
        lock.unlock()
        if needsNewline { write("\n") }
    }

    /// The text of one progress line.
    public static func line(for status: CertifyStatus) -> String {
        let upper = status.upper.map(NumberFormatting.figure) ?? "-"
        let ratio = status.ratio.map(NumberFormatting.ratio) ?? "-"
        return "k=\(status.stageCount)  \(String(format: "%6.1f", status.elapsed))s  UB \(upper)  LB \(NumberFormatting.figure(status.lower))  LB/UB \(ratio)  \(status.step)"
    }

    private func redraw() {
        lock.lock()
        guard var status = latest else { lock.unlock(); return }
        if status.step != "done" { status.elapsed += Date().timeIntervalSince(latestAt) }
        drewLiveLine = true
        lock.unlock()
        // \r and "erase to end of line" redraw the same line.
        write("\r" + Self.line(for: status) + "\u{1B}[K")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
