import Dispatch
import Foundation
import MIP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into a raised ``MIP/StopFlag`` plus a callback, instead of ending
/// the process: the signals are ignored at the process level and delivered through dispatch
/// sources, so the handler runs on an ordinary queue where it may lock and print.
public final class InterruptWatcher: @unchecked Sendable {
    /// Raised on the first SIGINT or SIGTERM.
    public let stopFlag: StopFlag
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var firstSignal: Date?

    /// Blocks SIGINT and SIGTERM in the calling thread, and so in every thread it starts later. Call it
    /// first thing, before any thread exists (dispatch's workers included): on Linux a dispatch signal
    /// source reads the signals through a signalfd, which sees only signals that every thread blocks;
    /// a thread started before this one blocked them could take a signal and drop it.
    public static func blockSignalsInThisThread() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Starts watching; `onInterrupt` runs once, on a background queue, after the flag is raised.
    /// Create it before the work it guards starts (certify: before reading the graph), so that no
    /// signal falls between the start and the watch.
    public init(stopFlag: StopFlag = StopFlag(), onInterrupt: @escaping @Sendable () -> Void = {}) {
        self.stopFlag = stopFlag
        Self.blockSignalsInThisThread()
        let queue = DispatchQueue(label: "pipebound.signals")
        for signalNumber in [SIGINT, SIGTERM] {
            #if !os(Linux)
            // Darwin's dispatch sources watch signals that the process ignores. On Linux they are
            // blocked instead, and ignoring them would drop one that arrived before the watcher.
            signal(signalNumber, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let first = self.firstSignal == nil
                if first { self.firstSignal = Date() }
                self.lock.unlock()
                self.stopFlag.stop()
                if first { onInterrupt() }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether a signal arrived.
    public var wasInterrupted: Bool { interruptedAt != nil }

    /// When the first signal arrived (nil: none yet).
    public var interruptedAt: Date? {
        lock.lock(); defer { lock.unlock() }
        return firstSignal
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
