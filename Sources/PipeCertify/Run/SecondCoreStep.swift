import Foundation
import MIP

/// A step running on a thread of its own beside a certify plan (the exact MIP or neighbourhood search on
/// the second core): its own stop flag, and a wait for its end.
final class SecondCoreStep: Sendable {
    /// Raised to end the step early (its result so far is still recorded).
    let stopFlag: StopFlag
    /// Whether the step is the exact MIP (then the plan leaves out its own).
    let runsExactMIP: Bool
    private let finished = DispatchGroup()

    /// Starts `body` at once on a new thread with a large stack (the solvers recurse).
    init(stopFlag: StopFlag, runsExactMIP: Bool, body: @escaping @Sendable () -> Void) {
        self.stopFlag = stopFlag
        self.runsExactMIP = runsExactMIP
        let finished = finished
        finished.enter()
        let worker = Thread {
            body()
            finished.leave()
        }
        worker.stackSize = 64 << 20
        worker.start()
    }

    /// Returns once the step has ended.
    func wait() {
        finished.wait()
    }
}
