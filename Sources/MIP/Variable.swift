/// A decision variable of a ``Model``: a handle to one column, valid only for the model that created it.
public struct Variable: Hashable, Sendable, Comparable {
    /// The column index in the model, from 0.
    public let index: Int

    /// Wraps a column index; prefer the handles returned by ``Model/addVariable(lower:upper:kind:name:objective:)``.
    public init(index: Int) { self.index = index }

    public static func < (lhs: Variable, rhs: Variable) -> Bool { lhs.index < rhs.index }
}

/// The domain of a variable.
public enum VariableKind: String, Sendable, Codable {
    /// Any real value within the bounds.
    case continuous
    /// Any integer value within the bounds.
    case integer
    /// 0 or 1; the bounds are clipped to [0, 1].
    case binary

    /// Whether the solver must give the variable an integer value.
    public var isIntegral: Bool { self != .continuous }
}
