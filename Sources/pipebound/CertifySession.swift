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
    private let watcher: InterruptWatcher
    private let printer: ProgressPrinter?
    /// How long to wait, after a signal, for the running step to return before answering anyway.
    /// Solvers stop within a fraction of a second; a heuristic without a stop flag may not.
    public var gracePeriod: Double = 3

    /// The user's partition, offered first to every stage count (``Certifier/givenPartition``).
    public var givenPartition: Partition? {
        get { certifier.givenPartition }
        set { certifier.givenPartition = newValue }
    }

    /// Prepares a run with the options' solver, stopped by `watcher`'s signals (the command creates
    /// it first thing, before the graph is read; see ``InterruptWatcher``).
    public init(graph: ComputationGraph, options: CertifyOptions, showsProgress: Bool, watcher: InterruptWatcher) {
        var options = options
        options.stopFlag = watcher.stopFlag
        self.watcher = watcher
        certifier = Certifier(graph: graph, options: options)
        printer = showsProgress ? ProgressPrinter() : nil
        if let printer { certifier.progress = { printer.show($0) } }
    }

    /// Runs every stage count; returns when done, or soon after a signal.
    public func run(stageCounts: [Int]) -> Outcome {
        let watcher = self.watcher
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
            if let since = watcher.interruptedAt, Date().timeIntervalSince(since) > gracePeriod { break }
        }
        printer?.finish()
        return Outcome(results: certifier.snapshot(), interrupted: watcher.wasInterrupted)
    }
}
