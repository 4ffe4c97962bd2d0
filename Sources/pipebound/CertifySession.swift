import Foundation
import MIP
import PipeCertify
import PipeGraph

/// A certify run as the command line performs it: on a worker thread, with progress on stderr
/// and SIGINT / SIGTERM turned into "stop the solvers and return the best so far".
public final class CertifySession: @unchecked Sendable {
    /// What a session returns.
    public struct Outcome: Sendable {
        /// The certificates of every stage count reached, with their partitions for re-checking.
        public var results: [CertifiedPartition]
        /// Whether a signal stopped the run.
        public var interrupted: Bool
    }

    private let certifier: Certifier
    private let stopFlag: StopFlag
    private let printer: ProgressPrinter?
    /// How long to wait, after a signal, for the running step to return before answering anyway.
    /// Solvers stop within a fraction of a second; a heuristic without a stop flag may not.
    public var gracePeriod: Double = 3

    /// The user's partition, offered first to every stage count (``Certifier/givenPartition``).
    public var givenPartition: Partition? {
        get { certifier.givenPartition }
        set { certifier.givenPartition = newValue }
    }

    /// Prepares a run with the options' solver.
    public init(graph: ComputationGraph, options: CertifyOptions, showsProgress: Bool) {
        var options = options
        let stopFlag = options.stopFlag ?? StopFlag()
        options.stopFlag = stopFlag
        self.stopFlag = stopFlag
        certifier = Certifier(graph: graph, options: options)
        printer = showsProgress ? ProgressPrinter() : nil
        if let printer { certifier.progress = { printer.show($0) } }
    }

    /// Runs every stage count; returns when done, or soon after a signal.
    public func run(stageCounts: [Int]) -> Outcome {
        let interruptedAt = LockedValue<Date?>(nil)
        let watcher = InterruptWatcher(stopFlag: stopFlag) { interruptedAt.set(Date()) }
        let finished = DispatchSemaphore(value: 0)
        let certifier = self.certifier
        let worker = Thread {
            _ = certifier.run(stageCounts: stageCounts)
            finished.signal()
        }
        // Branch and bound recurses; give the worker the stack a main thread would have.
        worker.stackSize = 64 << 20
        worker.start()
        while finished.wait(timeout: .now() + 0.1) == .timedOut {
            if let since = interruptedAt.get(), Date().timeIntervalSince(since) > gracePeriod { break }
        }
        printer?.finish()
        withExtendedLifetime(watcher) {}
        return Outcome(results: certifier.snapshot(),
                       interrupted: interruptedAt.get() != nil)
    }
}

/// A value shared between threads behind a lock.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func get() -> Value {
        lock.lock(); defer { lock.unlock() }
        return value
    }

    func set(_ newValue: Value) {
        lock.lock(); value = newValue; lock.unlock()
    }
}
