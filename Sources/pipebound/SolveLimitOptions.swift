import ArgumentParser

/// `--time-limit` and `--node-limit`, shared by the commands that solve MIPs (`certify`, `bound`).
struct SolveLimitOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional,
            help: "Wall-clock budget in seconds (certify: per stage count).")
    var timeLimit: Double = ArgumentChecks.defaultTimeLimit

    @Option(name: .long, parsing: .unconditional, help: "Branch-and-bound node limit per MIP (deterministic).")
    var nodeLimit: Int?

    func validate() throws {
        try ArgumentChecks.timeLimit(timeLimit)
        try ArgumentChecks.nodeLimit(nodeLimit)
    }
}
