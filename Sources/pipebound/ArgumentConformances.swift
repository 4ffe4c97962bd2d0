import ArgumentParser
import PipeBounds
import PipeCertify
import PipePartition

// The library enums a command line names, parsed by ArgumentParser so that an unknown name is a
// usage error listing the choices before anything runs.

extension LowerBoundMethod: ExpressibleByArgument {}

extension PartitionMethod: ExpressibleByArgument {}

extension CertificateFormat: ExpressibleByArgument {}

extension ExportedFormulation: ExpressibleByArgument {
    /// Also reads `value-probe`, the name before `bound --method value-search` and this
    /// formulation were named alike; it is left out of the help.
    public init?(argument: String) {
        if argument == "value-probe" {
            self = .valueProbe
        } else {
            self.init(rawValue: argument)
        }
    }
}
