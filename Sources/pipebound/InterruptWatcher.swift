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
    private var interrupted = false

    /// Starts watching; `onInterrupt` runs once, on a background queue, after the flag is raised.
    public init(stopFlag: StopFlag = StopFlag(), onInterrupt: @escaping @Sendable () -> Void) {
        self.stopFlag = stopFlag
        let queue = DispatchQueue(label: "pipebound.signals")
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let first = !self.interrupted
                self.interrupted = true
                self.lock.unlock()
                self.stopFlag.stop()
                if first { onInterrupt() }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether a signal arrived.
    public var wasInterrupted: Bool {
        lock.lock(); defer { lock.unlock() }
        return interrupted
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
