/// Why a model cannot be handed to a solver or written to a file.
public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One line naming the place and the problem.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
