import Foundation

extension Onnx_NodeProto {
    /// The attribute called `name`, if present.
    func attribute(_ name: String) -> Onnx_AttributeProto? { attribute.first { $0.name == name } }

    /// An integer attribute, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int) -> Int {
        guard let value = attribute(name) else { return defaultValue }
        return OnnxNumbers.clampedInt(value.i)
    }

    /// An integer-list attribute, or nil when absent.
    func ints(_ name: String) -> [Int]? { attribute(name).map { $0.ints.map(OnnxNumbers.clampedInt) } }

    /// A float attribute, or `defaultValue` when absent.
    func float(_ name: String, default defaultValue: Double) -> Double {
        attribute(name).map { Double($0.f) } ?? defaultValue
    }

    /// A string attribute, or `defaultValue` when absent.
    func string(_ name: String, default defaultValue: String) -> String {
        attribute(name).map { String(decoding: $0.s, as: UTF8.self) } ?? defaultValue
    }

    /// How errors name this node: its name, or its first output, and its operator.
    var label: String {
        let identity = !name.isEmpty ? name : (output.first { !$0.isEmpty } ?? "?")
        return "node '\(identity)' (\(opType))"
    }
}

/// Safe conversions between the numbers of ONNX files and Swift integers (no traps on huge values).
enum OnnxNumbers {
    /// `value` as an Int, clamped to ±2^30 (``TensorArithmetic/dimensionLimit``) so that later
    /// arithmetic cannot overflow; larger values (Slice's INT64_MAX ends) mean "to the end" anyway.
    static func clampedInt(_ value: Int64) -> Int {
        let limit = Int64(TensorArithmetic.dimensionLimit)
        return Int(max(min(value, limit), -limit))
    }

    /// A double as an Int, clamped to ±2^30; NaN becomes 0.
    static func clampedInt(_ value: Double) -> Int {
        guard !value.isNaN else { return 0 }
        let limit = Double(TensorArithmetic.dimensionLimit)
        return Int(max(min(value, limit), -limit))
    }
}
