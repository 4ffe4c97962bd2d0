import ArgumentParser

/// The checks and defaults every subcommand shares, so that `--stages 0` or `--time-limit -5`
/// get the same message whichever command they are given to.
enum ArgumentChecks {
    /// The time limit of every command that has one, in seconds (certify: per stage count).
    static let defaultTimeLimit: Double = 60

    /// The largest stage count accepted (the partition methods are tuned up to a few thousand).
    static let maximumStageCount = 4096

    /// A stage count k must be in 1...``maximumStageCount``.
    static func stages(_ value: Int) throws {
        guard value >= 1 else { throw ValidationError("--stages must be at least 1, not \(value)") }
        guard value <= maximumStageCount else { throw ValidationError("--stages must be at most \(maximumStageCount), not \(value)") }
    }

    /// A time limit must be a positive, finite number of seconds.
    static func timeLimit(_ value: Double?) throws {
        guard let value else { return }
        guard value > 0, value.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds, not \(value.formatted)") }
    }

    /// A node limit must not be negative.
    static func nodeLimit(_ value: Int?) throws {
        guard let value else { return }
        guard value >= 0 else { throw ValidationError("--node-limit must not be negative, not \(value)") }
    }
}

extension Double {
    /// The number as the user typed it, without a trailing `.0` for whole numbers.
    fileprivate var formatted: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : "\(self)"
    }
}
