import ArgumentParser
import Foundation

/// The `pipebound` command: partitions a computation graph into pipeline stages and certifies how close to optimal it is.
struct Pipebound: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipebound",
        abstract: "Partition a computation graph into k pipeline stages and prove how close the partition is to the best possible one.",
        version: "0.1.0",
        subcommands: [
            CertifyCommand.self, PartitionCommand.self, BoundCommand.self, EvaluateCommand.self,
            ConvertCommand.self, ExportMIPCommand.self, ReportCommand.self, RegressCommand.self,
            MergeCommand.self, SummaryCommand.self, RepairCommand.self,
        ])
}
