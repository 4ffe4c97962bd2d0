import Foundation
import MIP

/// A step running on a thread of its own beside a certify plan (the exact MIP, the stage-cover bound or
/// neighbourhood search on the second core): its own stop flag, and a wait for its end.
final class SecondCoreStep: Sendable {
    /// Raised to end the step early (its result so far is still recorded).
    let stopFlag: StopFlag
    /// What the step runs, which decides where the plan's own exact MIP goes.
    let work: Work
    private let finished = DispatchGroup()

    /// What a second core runs (docs/certificate.md, "The second core").
    enum Work {
        /// The exact MIP: the plan leaves out its own, or runs it early with another backend.
        case exactMIP
        /// The stage-cover bound, then the exact MIP if time is left: the plan keeps its own exact MIP.
        case coverBound
        /// Rounds of neighbourhood search.
        case search
    }

    /// Starts `body` at once on a new thread with a large stack (the solvers recurse).
    init(stopFlag: StopFlag, work: Work, body: @escaping @Sendable () -> Void) {
        self.stopFlag = stopFlag
        self.work = work
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
