import Foundation
import MIP
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into a raised ``MIP/StopFlag`` and the time of the first signal,
/// instead of ending the process.
///
/// Why a signal handler and a pipe rather than a dispatch signal source: a process-directed signal
/// goes to any thread that does not block it, and some threads exist before `main` runs (OpenBLAS,
/// which CBC links, starts its worker at load time with no signal blocked). On Linux a dispatch
/// source reads signals through a signalfd, which sees only those pending for the process or its
/// own thread; when the OpenBLAS thread took one, it never reached the source and the run did not
/// stop (about one run in two on a 20,000-node certify). A handler runs on whichever thread the
/// kernel picks, and all it
/// does is write one byte to a pipe, which is async-signal-safe; a thread of our own reads the pipe
/// and does the rest, where it may lock and print.
public final class InterruptWatcher: @unchecked Sendable {
    /// Raised on the first SIGINT or SIGTERM.
    public let stopFlag = StopFlag()
    private let lock = NSLock()
    private var firstSignal: Date?

    /// Starts watching. Create it before the work it guards starts (certify: before reading the
    /// graph), so that no signal falls between the start and the watch. One watcher per process.
    public init() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            // Without a pipe the default action stays: a signal ends the process at once.
            return
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // A flood of signals must never block the handler: extra bytes are simply dropped.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        interruptPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        // The thread keeps the watcher alive: signals are watched for the life of the process.
        let reader = Thread { self.readSignals(from: readEnd) }
        reader.name = "pipebound.signals"
        reader.start()
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = writeSignalToPipe
            #else
            action.__sigaction_u.__sa_handler = writeSignalToPipe
            #endif
            sigemptyset(&action.sa_mask)
            // Reads and waits in other threads resume instead of failing with EINTR.
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Whether a signal arrived.
    public var wasInterrupted: Bool { interruptedAt != nil }

    /// When the first signal arrived (nil: none yet).
    public var interruptedAt: Date? {
        lock.lock(); defer { lock.unlock() }
        return firstSignal
    }

    /// The reader thread's loop: one byte per signal, for the life of the process.
    private func readSignals(from readEnd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(readEnd, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1 else { return }
            lock.lock()
            if firstSignal == nil { firstSignal = Date() }
            lock.unlock()
            stopFlag.stop()
        }
    }
}

/// The pipe's write end, set once before the handler is installed (so the handler never runs a
/// global's lazy initialiser).
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

/// The signal handler: async-signal-safe, it only writes one byte and keeps errno as it was.
private func writeSignalToPipe(_ signalNumber: Int32) {
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    _ = write(interruptPipeWriteEnd, &byte, 1)
    errno = savedErrno
}
