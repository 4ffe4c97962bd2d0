/// A row `lower ≤ expression ≤ upper`, with `-infinity` or `+infinity` for a missing side.
///
/// Comparison operators on expressions build these: `x + 2 * y <= 3`.
public struct LinearConstraint: Sendable {
    /// The left-hand side; its constant is moved to the bounds when the row is added.
    public var expression: LinearExpression
    /// The lower bound, `-.infinity` if none.
    public var lower: Double
    /// The upper bound, `+.infinity` if none.
    public var upper: Double

    /// `lower ≤ expression ≤ upper` (a ranged row when both are finite).
    public init(_ expression: LinearExpression, lower: Double = -.infinity, upper: Double = .infinity) {
        self.expression = expression
        self.lower = lower
        self.upper = upper
    }
}

extension LinearExpression {
    public static func <= (lhs: LinearExpression, rhs: Double) -> LinearConstraint { LinearConstraint(lhs, upper: rhs) }
    public static func >= (lhs: LinearExpression, rhs: Double) -> LinearConstraint { LinearConstraint(lhs, lower: rhs) }
    public static func == (lhs: LinearExpression, rhs: Double) -> LinearConstraint { LinearConstraint(lhs, lower: rhs, upper: rhs) }
    public static func <= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint { LinearConstraint(lhs - rhs, upper: 0) }
    public static func >= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint { LinearConstraint(lhs - rhs, lower: 0) }
    public static func == (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint { LinearConstraint(lhs - rhs, lower: 0, upper: 0) }
    public static func <= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { LinearConstraint(lhs - rhs, upper: 0) }
    public static func >= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { LinearConstraint(lhs - rhs, lower: 0) }
    public static func == (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { LinearConstraint(lhs - rhs, lower: 0, upper: 0) }
    public static func <= (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs >= lhs }
    public static func >= (lhs: Double, rhs: LinearExpression) -> LinearConstraint { rhs <= lhs }
}

extension Variable {
    public static func <= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) <= rhs }
    public static func >= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) >= rhs }
    public static func == (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) == rhs }
    public static func <= (lhs: Variable, rhs: Variable) -> LinearConstraint { LinearConstraint(lhs - rhs, upper: 0) }
    public static func >= (lhs: Variable, rhs: Variable) -> LinearConstraint { LinearConstraint(lhs - rhs, lower: 0) }
    public static func <= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearConstraint(lhs - rhs, upper: 0) }
    public static func >= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearConstraint(lhs - rhs, lower: 0) }
    public static func == (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearConstraint(lhs - rhs, lower: 0, upper: 0) }
}
