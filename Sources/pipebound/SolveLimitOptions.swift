import Foundation
import PipeCertify
import ArgumentParser

/// `--time-limit` and `--node-limit`, shared by the commands that solve MIPs (`certify`, `bound`).
struct SolveLimitOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional,
            help: "Wall-clock budget in seconds (certify: per stage count).")
    var timeLimit: Double = ArgumentChecks.defaultTimeLimit

    @Option(name: .long, parsing: .unconditional, help: "Branch-and-bound node limit per MIP (deterministic).")
    var nodeLimit: Int?

    /// The seconds a command's solving steps may still take, `started` being when the command began:
    /// `--time-limit` less what has passed and certify's reserve (``CertifyOptions/reserve(forTimeLimit:)``).
    func remainingTime(since started: Date) -> Double {
        Self.remainingTime(timeLimit: timeLimit, since: started)
    }

    /// The same for any command's `--time-limit` (`partition` has no node limit, so not this group).
    static func remainingTime(timeLimit: Double, since started: Date) -> Double {
        Swift.max(0, timeLimit - CertifyOptions.reserve(forTimeLimit: timeLimit) - Date().timeIntervalSince(started))
    }

    func validate() throws {
        try ArgumentChecks.timeLimit(timeLimit)
        try ArgumentChecks.nodeLimit(nodeLimit)
    }
}
