/// A linear expression `Σ aᵢ xᵢ + constant`, stored sparsely as parallel arrays.
///
/// Terms are kept in the order they were added and may repeat a variable; the model merges
/// repeated variables when the expression becomes a row or an objective. Build large
/// expressions with ``add(_:_:)`` or ``init(variables:coefficients:constant:)``, which append
/// in place, rather than chaining `+`, which copies.
public struct LinearExpression: Sendable {
    /// Column indices of the terms, parallel to ``coefficients``.
    public var indices: [Int]
    /// Coefficients of the terms, parallel to ``indices``.
    public var coefficients: [Double]
    /// The constant term.
    public var constant: Double

    /// The zero expression, optionally with room reserved for `capacity` terms.
    public init(capacity: Int = 0) {
        indices = []
        coefficients = []
        constant = 0
        if capacity > 0 {
            indices.reserveCapacity(capacity)
            coefficients.reserveCapacity(capacity)
        }
    }

    /// A constant expression.
    public init(constant: Double) {
        self.init()
        self.constant = constant
    }

    /// `Σ coefficients[i] * variables[i] + constant`.
    public init(variables: [Variable], coefficients: [Double], constant: Double = 0) {
        precondition(variables.count == coefficients.count, "variables and coefficients differ in length")
        self.indices = variables.map(\.index)
        self.coefficients = coefficients
        self.constant = constant
    }

    /// A single variable with coefficient 1.
    public init(_ variable: Variable) {
        indices = [variable.index]
        coefficients = [1]
        constant = 0
    }

    /// Appends `coefficient * variable` in place.
    @inlinable
    public mutating func add(_ coefficient: Double, _ variable: Variable) {
        indices.append(variable.index)
        coefficients.append(coefficient)
    }

    /// Appends every term of `other` scaled by `factor`, and its constant, in place.
    public mutating func add(_ other: LinearExpression, times factor: Double = 1) {
        indices.append(contentsOf: other.indices)
        if factor == 1 {
            coefficients.append(contentsOf: other.coefficients)
        } else {
            coefficients.append(contentsOf: other.coefficients.lazy.map { $0 * factor })
        }
        constant += other.constant * factor
    }

    /// The number of stored terms (a variable may appear more than once).
    public var termCount: Int { indices.count }

    /// The value of the expression for a full column vector.
    public func value(at values: [Double]) -> Double {
        var total = constant
        for position in indices.indices {
            total += coefficients[position] * values[indices[position]]
        }
        return total
    }
}

// MARK: - Arithmetic

extension LinearExpression {
    public static func + (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
        var result = lhs
        result.add(rhs)
        return result
    }

    public static func - (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
        var result = lhs
        result.add(rhs, times: -1)
        return result
    }

    public static prefix func - (operand: LinearExpression) -> LinearExpression {
        var result = LinearExpression()
        result.add(operand, times: -1)
        return result
    }

    public static func * (factor: Double, expression: LinearExpression) -> LinearExpression {
        var result = LinearExpression(capacity: expression.termCount)
        result.add(expression, times: factor)
        return result
    }

    public static func * (expression: LinearExpression, factor: Double) -> LinearExpression { factor * expression }

    public static func += (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs) }
    public static func -= (lhs: inout LinearExpression, rhs: LinearExpression) { lhs.add(rhs, times: -1) }
    public static func += (lhs: inout LinearExpression, rhs: Variable) { lhs.add(1, rhs) }
    public static func -= (lhs: inout LinearExpression, rhs: Variable) { lhs.add(-1, rhs) }
    public static func += (lhs: inout LinearExpression, rhs: Double) { lhs.constant += rhs }
    public static func -= (lhs: inout LinearExpression, rhs: Double) { lhs.constant -= rhs }
}

extension Variable {
    public static func * (factor: Double, variable: Variable) -> LinearExpression {
        LinearExpression(variables: [variable], coefficients: [factor])
    }
    public static func * (variable: Variable, factor: Double) -> LinearExpression { factor * variable }
    public static prefix func - (variable: Variable) -> LinearExpression { -1 * variable }

    public static func + (lhs: Variable, rhs: Variable) -> LinearExpression { LinearExpression(lhs) + LinearExpression(rhs) }
    public static func - (lhs: Variable, rhs: Variable) -> LinearExpression { LinearExpression(lhs) - LinearExpression(rhs) }
    public static func + (lhs: Variable, rhs: LinearExpression) -> LinearExpression { LinearExpression(lhs) + rhs }
    public static func - (lhs: Variable, rhs: LinearExpression) -> LinearExpression { LinearExpression(lhs) - rhs }
    public static func + (lhs: LinearExpression, rhs: Variable) -> LinearExpression { lhs + LinearExpression(rhs) }
    public static func - (lhs: LinearExpression, rhs: Variable) -> LinearExpression { lhs - LinearExpression(rhs) }
    public static func + (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) + LinearExpression(constant: rhs) }
    public static func - (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) - LinearExpression(constant: rhs) }
    public static func + (lhs: Double, rhs: Variable) -> LinearExpression { LinearExpression(constant: lhs) + LinearExpression(rhs) }
    public static func - (lhs: Double, rhs: Variable) -> LinearExpression { LinearExpression(constant: lhs) - LinearExpression(rhs) }
}

extension LinearExpression {
    public static func + (lhs: LinearExpression, rhs: Double) -> LinearExpression { var r = lhs; r.constant += rhs; return r }
    public static func - (lhs: LinearExpression, rhs: Double) -> LinearExpression { var r = lhs; r.constant -= rhs; return r }
    public static func + (lhs: Double, rhs: LinearExpression) -> LinearExpression { var r = rhs; r.constant += lhs; return r }
    public static func - (lhs: Double, rhs: LinearExpression) -> LinearExpression { -rhs + lhs }
}

extension Sequence where Element == LinearExpression {
    /// The sum of the expressions, built in one buffer.
    public func sum() -> LinearExpression {
        var total = LinearExpression()
        for expression in self { total.add(expression) }
        return total
    }
}

extension Sequence where Element == Variable {
    /// The sum of the variables, each with coefficient 1.
    public func sum() -> LinearExpression {
        var total = LinearExpression()
        for variable in self { total.add(1, variable) }
        return total
    }
}
