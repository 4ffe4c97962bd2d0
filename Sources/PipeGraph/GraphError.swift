/// Why a graph is not a valid input: one line naming the place and the problem.
public struct GraphError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The message, without the file name (callers that know the file prefix it).
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
