import Foundation
import MIP

/// A step running on a thread of its own beside a certify plan (the exact MIP on the second core):
/// its own stop flag, and a wait for its end.
final class SecondCoreBound: Sendable {
    /// Raised to end the step early (its result so far is still recorded).
    let stopFlag: StopFlag
    private let finished = DispatchGroup()

    /// Starts `body` at once on a new thread with a large stack (the solvers recurse).
    init(stopFlag: StopFlag, body: @escaping @Sendable () -> Void) {
        self.stopFlag = stopFlag
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
